"""The payload readers, field by field: the exact refusal a shop's integrator reads (code, sentence,
place) and the values at each limit that are still accepted."""

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from omni_channel.core import payload as p
from omni_channel.core.errors import ChannelInputError


def refusal(fn, *args, **kw) -> str:
	with pytest.raises(ChannelInputError) as e:
		fn(*args, **kw)
	return str(e.value)


# ---- bodies ----


def test_bodies():
	assert p.loads(b'{"a": 1}') == {"a": 1}
	assert p.loads('{"a": "\u00e9"}') == {"a": "\u00e9"}
	assert refusal(p.loads, 12) == "malformed_json: body must be bytes"
	assert refusal(p.loads, b"[1]") == "malformed_json: body must be a JSON object, not list"
	assert refusal(p.loads, b"{}  ", limit=3) == "too_large: body is 4 bytes, the limit is 3"
	assert p.loads(b"{} ", limit=3) == {}  # exactly the limit
	assert refusal(p.loads, b"{").startswith("malformed_json: body is not valid JSON: ")
	assert p.MAX_BODY_BYTES == 2 * 1024 * 1024


# ---- objects and lists ----


def test_objects_and_lists():
	assert p.obj({"c": {"x": 1}}, "c", "order") == {"x": 1}
	assert p.obj({}, "c", "order", required=False) == {}
	assert refusal(p.obj, {}, "c", "order") == "missing_field: order.c is required (at order.c)"
	assert (
		refusal(p.obj, {"c": 3}, "c", "order")
		== "wrong_type: order.c must be an object, not int (at order.c)"
	)
	assert p.arr({"l": [1]}, "l", "order") == [1]
	assert p.arr({}, "l", "order") == []
	assert (
		refusal(p.arr, {}, "l", "order", required=True) == "missing_field: order.l is required (at order.l)"
	)
	assert (
		refusal(p.arr, {"l": {}}, "l", "order") == "wrong_type: order.l must be a list, not dict (at order.l)"
	)
	assert list(p.each_obj([{"a": 1}, {"b": 2}], "order.l")) == [(0, {"a": 1}), (1, {"b": 2})]
	assert (
		refusal(lambda: list(p.each_obj([{}, None], "order.l")))
		== "wrong_type: order.l[1] must be an object, not null (at order.l[1])"
	)


# ---- text and ids ----


def test_text():
	assert p.text({"n": "  Ann  "}, "n", "c") == "Ann"
	assert p.text({"n": 42}, "n", "c") == "42"
	assert p.text({}, "n", "c") == "" and p.text({"n": ""}, "n", "c") == ""
	assert p.text({"n": "   "}, "n", "c") == ""  # blank and optional
	assert p.text({"n": "x" * 1000}, "n", "c") == "x" * 1000  # exactly the limit
	assert refusal(p.text, {}, "n", "c", required=True) == "missing_field: c.n is required (at c.n)"
	assert refusal(p.text, {"n": "  "}, "n", "c", required=True) == "missing_field: c.n is blank (at c.n)"
	assert refusal(p.text, {"n": True}, "n", "c") == "wrong_type: c.n must be a string, not bool (at c.n)"
	assert refusal(p.text, {"n": 1.5}, "n", "c") == "wrong_type: c.n must be a string, not float (at c.n)"
	assert (
		refusal(p.text, {"n": "x" * 1001}, "n", "c")
		== "bad_value: c.n is longer than 1000 characters (at c.n)"
	)
	assert refusal(p.text, {"n": "a\x00b"}, "n", "c") == "bad_value: c.n contains a NUL character (at c.n)"


def test_ids():
	assert p.ident({"id": 123456789012}, "id", "order") == "123456789012"
	assert p.ident({"id": "x" * 64}, "id", "order") == "x" * 64
	assert refusal(p.ident, {"id": "x" * 65}, "id", "order") == (
		"bad_value: order.id is longer than 64 characters (at order.id)"
	)
	assert refusal(p.ident, {}, "id", "order") == "missing_field: order.id is required (at order.id)"
	assert p.ident({}, "id", "order", required=False) == ""


# ---- money ----


def test_money():
	assert p.money({"t": "12.50"}, "t", "order") == Decimal("12.50")
	assert p.money({"t": 3}, "t", "order") == Decimal(3)
	assert p.money({"t": 0.1}, "t", "order") == Decimal("0.1")  # the float as written, not its binary value
	assert p.money({"t": "-2.5"}, "t", "order") == Decimal("-2.5")
	assert p.money({"t": "1e3"}, "t", "order") == Decimal(1000)
	assert p.money({}, "t", "order") == 0 and p.money({"t": ""}, "t", "order") == 0
	assert p.money({"t": "999999999999.99"}, "t", "order") == Decimal("999999999999.99")
	assert (
		refusal(p.money, {}, "t", "order", required=True) == "missing_field: order.t is required (at order.t)"
	)
	assert (
		refusal(p.money, {"t": True}, "t", "order")
		== "wrong_type: order.t must be an amount, not bool (at order.t)"
	)
	assert (
		refusal(p.money, {"t": [1]}, "t", "order")
		== "wrong_type: order.t must be an amount, not list (at order.t)"
	)
	assert (
		refusal(p.money, {"t": float("inf")}, "t", "order")
		== "bad_value: order.t is not a finite amount (at order.t)"
	)
	assert (
		refusal(p.money, {"t": "12,50"}, "t", "order")
		== "bad_value: order.t is not an amount: '12,50' (at order.t)"
	)
	assert (
		refusal(p.money, {"t": "NaN"}, "t", "order")
		== "bad_value: order.t is not a usable amount: 'NaN' (at order.t)"
	)
	assert refusal(p.money, {"t": "1e12"}, "t", "order") == (
		"bad_value: order.t is not a usable amount: '1e12' (at order.t)"
	)
	assert refusal(p.money, {"t": "-1000000000000"}, "t", "order") == (
		"bad_value: order.t is not a usable amount: '-1000000000000' (at order.t)"
	)
	# the fast path takes plain digits only: 15 characters still, 16 go the careful way (same value)
	assert p.to_money("123456789012.50", "x") == Decimal("123456789012.50")
	assert refusal(p.to_money, "1234567890123.50", "x") == (
		"bad_value: x is not a usable amount: '1234567890123.50' (at x)"
	)


# ---- quantities and flags ----


def test_quantities():
	assert p.quantity({"q": 3}, "q", "l") == 3
	assert p.quantity({"q": " 4 "}, "q", "l") == 4
	assert p.quantity({"q": 5.0}, "q", "l") == 5
	assert p.quantity({"q": 0}, "q", "l") == 0
	assert p.quantity({"q": 10**7}, "q", "l") == 10**7
	assert p.quantity({}, "q", "l", required=False) == 0
	assert refusal(p.quantity, {}, "q", "l") == "missing_field: l.q is required (at l.q)"
	assert (
		refusal(p.quantity, {"q": True}, "q", "l")
		== "wrong_type: l.q must be a whole number, not bool (at l.q)"
	)
	assert (
		refusal(p.quantity, {"q": "2.5"}, "q", "l")
		== "wrong_type: l.q must be a whole number: '2.5' (at l.q)"
	)
	assert (
		refusal(p.quantity, {"q": 2.5}, "q", "l")
		== "wrong_type: l.q must be a whole number, not float (at l.q)"
	)
	assert refusal(p.quantity, {"q": -1}, "q", "l") == "negative_quantity: l.q is negative (-1) (at l.q)"
	assert refusal(p.quantity, {"q": 10**7 + 1}, "q", "l") == (
		"bad_value: l.q is implausibly large (10000001) (at l.q)"
	)


def test_flags():
	for v in (True, "true", "1", 1):
		assert p.flag({"f": v}, "f", "o") is True
	for v in (None, False, "false", "0", 0, ""):
		assert p.flag({"f": v}, "f", "o") is False
	assert p.flag({}, "f", "o") is False
	assert refusal(p.flag, {"f": "yes"}, "f", "o") == "wrong_type: o.f must be true or false (at o.f)"


# ---- times ----


def test_times():
	t = p.when({"at": "2026-11-24T10:00:00+08:00"}, "at", "o")
	assert t == datetime(2026, 11, 24, 2, tzinfo=timezone.utc)
	naive = p.when({"at": "2026-11-24 10:00:00"}, "at", "o", naive_tz=p.SHANGHAI)
	assert naive.utcoffset() == timedelta(hours=8) and naive.hour == 10
	assert p.when({"at": "2026-11-24 10:00:00"}, "at", "o").utcoffset() == timedelta(0)
	assert p.when({"at": "20261124T100000Z"}, "at", "o") == datetime(2026, 11, 24, 10, tzinfo=timezone.utc)
	assert p.when({"at": "Tue, 24 Nov 2026 10:00:00 GMT"}, "at", "o") == datetime(
		2026, 11, 24, 10, tzinfo=timezone.utc
	)
	assert p.when({}, "at", "o") is None and p.when({"at": ""}, "at", "o") is None
	assert refusal(p.when, {}, "at", "o", required=True) == "missing_field: o.at is required (at o.at)"
	assert (
		refusal(p.when, {"at": 5}, "at", "o")
		== "wrong_type: o.at must be a date-time string, not int (at o.at)"
	)
	assert (
		refusal(p.when, {"at": "soon"}, "at", "o") == "bad_value: o.at is not a date-time: 'soon' (at o.at)"
	)
	# year 1 and year 9999 are read; only an offset that pushes them past the calendar is refused
	assert p.when({"at": "9999-12-31T00:00:00+00:00"}, "at", "o").year == 9999
	assert p.when({"at": "0001-01-01T12:00:00+00:00"}, "at", "o").year == 1
	assert refusal(p.when, {"at": "0001-01-01T00:00:00+08:00"}, "at", "o") == (
		"bad_value: o.at is out of range: '0001-01-01T00:00:00+08:00' (at o.at)"
	)
	assert refusal(p.when, {"at": "9999-12-31T23:00:00-08:00"}, "at", "o") == (
		"bad_value: o.at is out of range: '9999-12-31T23:00:00-08:00' (at o.at)"
	)


# ---- geocodes and gateways ----


def test_coordinates_and_gateways():
	assert p.coordinate({"lat": "23.1"}, "lat", 90) == 23.1
	assert p.coordinate({"lat": 90}, "lat", 90) == 90 and p.coordinate({"lat": -90}, "lat", 90) == -90
	for bad in (90.01, -90.01, "x", True, None, float("nan"), [1]):
		assert p.coordinate({"lat": bad}, "lat", 90) is None
	assert p.coordinate({"lng": 180}, "lng", 180) == 180
	assert p.gateway_names({"g": [" Cash on Delivery ", "", 3], "h": "PayPal"}, "g", "h", "none") == [
		"cash on delivery",
		"paypal",
	]
