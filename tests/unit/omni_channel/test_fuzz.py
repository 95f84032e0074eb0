"""Hypothesis throws any JSON at every mapper: the only exception allowed is the core's own."""

import hashlib
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omni_channel.channels import parse_webhook, to_canonical
from omni_channel.core.errors import ChannelInputError
from omni_channel.core.order import order_key
from tests.unit.omni_channel.factories import all_fixtures, copy_of

ORDERS = [(p, n, d) for p, n, d in all_fixtures() if not n.startswith("webhook_")]

json_leaf = st.one_of(
	st.none(),
	st.booleans(),
	st.integers(min_value=-(2**70), max_value=2**70),
	st.floats(allow_nan=True, allow_infinity=True),
	st.text(max_size=30),
	st.sampled_from(
		[
			"",
			"NaN",
			"-1",
			"1e999",
			"2024-13-45",
			"2024-02-30T25:00:00",
			"0000-00-00 00:00:00",
			"9999-12-31T23:59:59-23:59",
			"\x00",
		]
	),
)
json_value = st.recursive(
	json_leaf,
	lambda c: st.one_of(st.lists(c, max_size=4), st.dictionaries(st.text(max_size=12), c, max_size=4)),
	max_leaves=12,
)

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _paths(obj, prefix=()):
	yield prefix
	if isinstance(obj, dict):
		for k, v in obj.items():
			yield from _paths(v, (*prefix, k))
	elif isinstance(obj, list):
		for i, v in enumerate(obj):
			yield from _paths(v, (*prefix, i))


def _set(obj, path, value, delete=False):
	for k in path[:-1]:
		obj = obj[k]
	if delete:
		del obj[path[-1]]
	else:
		obj[path[-1]] = value


def _must_map_or_refuse(platform, payload):
	try:
		o = to_canonical(platform, payload, "fuzz")
	except ChannelInputError as e:
		assert e.code and e.reason
		return
	assert o.created_at.tzinfo is not None
	assert all(ln.quantity >= 0 for ln in o.lines)
	assert o.key.startswith("fuzz")


@pytest.mark.parametrize("platform", ["shopify", "taobao", "woocommerce"])
@FUZZ
@given(payload=st.dictionaries(st.text(max_size=20), json_value, max_size=8))
def test_arbitrary_objects(platform, payload):
	_must_map_or_refuse(platform, payload)


@pytest.mark.parametrize("platform,name,base", ORDERS, ids=[f"{p}-{n}" for p, n, _ in ORDERS])
@FUZZ
@given(data=st.data())
def test_fixture_mutations(platform, name, base, data):
	payload = copy_of(base)
	for _ in range(data.draw(st.integers(1, 4))):
		paths = [p for p in _paths(payload) if p]
		if not paths:
			break
		path = data.draw(st.sampled_from(paths))
		if data.draw(st.booleans()) and not isinstance(path[-1], int):
			_set(payload, path, None, delete=True)
		else:
			_set(payload, path, data.draw(json_value))
	_must_map_or_refuse(platform, payload)


@pytest.mark.parametrize("platform", ["shopify", "taobao", "woocommerce"])
@FUZZ
@given(body=st.one_of(st.binary(max_size=200), json_value.map(lambda v: json.dumps(v).encode())))
def test_webhook_bodies(platform, body):
	"""Refused with a readable reason exactly when the body is no JSON object (Python's own json
	module decides that here); otherwise an event whose delivery id is the body's digest."""
	headers = {"X-Shopify-Topic": "orders/create", "X-WC-Webhook-Topic": "order.created"}
	try:
		decoded = json.loads(body)
	except (ValueError, RecursionError):
		decoded = None
	ping = platform == "woocommerce" and body.startswith(b"webhook_id=")
	try:
		ev = parse_webhook(platform, body, headers, "fuzz")
	except ChannelInputError as e:
		assert e.code and e.reason
		if not isinstance(decoded, dict) and not ping:
			assert e.code == "malformed_json"
		return
	assert isinstance(decoded, dict) or ping
	assert (ev.platform, ev.shop) == (platform, "fuzz")
	assert ev.kind in {"order", "refund", "notice", "deleted", "ping", "other"}
	if platform != "taobao":  # no delivery-id header sent: a redelivery is known by its body
		assert ev.webhook_id == hashlib.sha256(body).hexdigest()[:40]
	if ev.kind == "order":
		assert ev.order.external_id == ev.external_id and ev.order.key == order_key("fuzz", ev.external_id)
