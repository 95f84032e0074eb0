"""Campaign maths and messages, checked against numbers worked out by hand."""

import datetime as dt

import pytest

from online_crm.core.outreach import (
	MessageError,
	buyers,
	check_template,
	conversion_lift,
	render,
	spend_lift,
	spend_per_customer,
)
from online_crm.core.rfm import InvoiceFact


def test_conversion_lift_and_its_interval_by_hand():
	# 20 of 100 contacted bought, 10 of 100 held out: 0.20 − 0.10 = 0.10;
	# se = √(0.2·0.8/100 + 0.1·0.9/100) = √0.0025 = 0.05; ± 1.96·0.05 = ± 0.098
	lift = conversion_lift(20, 100, 10, 100, z=1.96)
	assert lift.difference == pytest.approx(0.10)
	assert lift.low == pytest.approx(0.002) and lift.high == pytest.approx(0.198)
	assert lift.relative == pytest.approx(1.0)  # twice the hold-out's rate
	assert lift.significant
	# 12 of 100 against 10 of 100: the interval straddles zero
	assert not conversion_lift(12, 100, 10, 100).significant


def test_conversion_lift_without_a_group_says_nothing():
	lift = conversion_lift(3, 10, 0, 0)
	assert (lift.low, lift.high) == (None, None) and not lift.significant
	with pytest.raises(ValueError):
		conversion_lift(11, 10, 0, 5)


def test_spend_lift_welch_interval_by_hand():
	# contacted 0 and 20: mean 10, sample variance 200; held out 0, 0, 0, 0: mean 0, variance 0
	# se = √(200/2 + 0/4) = 10; 10 ± 1.96·10 = (−9.6, 29.6): not significant
	lift = spend_lift([0, 20], [0, 0, 0, 0], z=1.96)
	assert lift.difference == pytest.approx(10)
	assert (lift.low, lift.high) == (pytest.approx(-9.6), pytest.approx(29.6))
	assert lift.relative is None and not lift.significant
	# contacted 10, 20, 30 (mean 20, var 100); held out 4, 6 (mean 5, var 2)
	# se = √(100/3 + 2/2) = √34.333… = 5.8595; 15 ± 1.96·5.8595 = (3.5154, 26.4846)
	lift = spend_lift([10, 20, 30], [4, 6], z=1.96)
	assert lift.difference == pytest.approx(15)
	assert lift.low == pytest.approx(3.5154, abs=1e-4) and lift.high == pytest.approx(26.4846, abs=1e-4)
	assert lift.relative == pytest.approx(3.0) and lift.significant
	# one member in a group: a difference, no interval
	assert spend_lift([5], [1, 2]).low is None


def test_spend_per_customer_counts_the_window_and_returns_and_zero_for_no_purchase():
	d = dt.date(2026, 11, 10)
	facts = [
		InvoiceFact("A", "I1", d, 100.0),
		InvoiceFact("A", "I2", d + dt.timedelta(days=2), 30.0, True),  # a return: −30
		InvoiceFact("A", "I0", d - dt.timedelta(days=1), 500.0),  # before the send
		InvoiceFact("B", "I3", d + dt.timedelta(days=40), 80.0),  # after the window
		InvoiceFact("Z", "I4", d, 70.0),  # not in the group
	]
	end = d + dt.timedelta(days=30)
	assert spend_per_customer(facts, ["A", "B", "C"], d, end) == {"A": 70.0, "B": 0.0, "C": 0.0}
	assert buyers(facts, ["A", "B", "C"], d, end) == {"A"}


def test_render_escapes_values_in_email_and_refuses_unknown_placeholders():
	body = "<p>Dear {{ customer_name }}, use {{ coupon_code }}</p>"
	out = render(body, {"customer_name": "<script>x</script>", "coupon_code": "AB12"}, html=True)
	assert out == "<p>Dear &lt;script&gt;x&lt;/script&gt;, use AB12</p>"
	assert render("Hi {{ customer_name }}", {"customer_name": "<b>"}) == "Hi <b>"  # SMS: plain text
	with pytest.raises(MessageError, match="favourite_colour"):
		check_template("Hi {{ favourite_colour }}")
	with pytest.raises(MessageError):
		check_template("Hi {{ customer_name ")
	# the sandbox refuses reaching into Python internals
	with pytest.raises(MessageError):
		render("{{ ''.__class__.__mro__[1].__subclasses__() }}", {})
