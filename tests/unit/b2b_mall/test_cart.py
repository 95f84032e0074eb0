import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from b2b_mall.core.cart import (
	CartLine,
	CartRejected,
	Credit,
	ItemFacts,
	PricedLine,
	check_credit,
	check_order,
	check_stock,
	parse_lines,
)
from tests.unit.b2b_mall.factories import CreditFactory, PricedLineFactory


def codes(exc: CartRejected) -> list[str]:
	return [p.code for p in exc.problems]


def test_repeated_items_are_merged_into_one_line():
	lines = parse_lines(
		[{"item_code": "A", "qty": 2}, {"item_code": "B", "qty": "1.5"}, {"item_code": "A", "qty": 3}]
	)
	assert lines == [CartLine("A", 5.0), CartLine("B", 1.5)]


@pytest.mark.parametrize("qty", [0, -1, "abc", None, float("nan"), float("inf"), True, "1e999"])
def test_zero_negative_or_non_numeric_quantity_is_refused(qty):
	with pytest.raises(CartRejected) as e:
		parse_lines([{"item_code": "A", "qty": qty}])
	assert codes(e.value) == ["bad_quantity"]
	assert "A" in str(e.value)


@pytest.mark.parametrize("raw", [[], None, "A", {"item_code": "A"}])
def test_empty_or_malformed_cart_is_refused(raw):
	with pytest.raises(CartRejected) as e:
		parse_lines(raw)
	assert codes(e.value) == ["empty_cart"]


def test_line_without_item_is_refused():
	with pytest.raises(CartRejected) as e:
		parse_lines([{"qty": 1}, "junk"])
	assert codes(e.value) == ["unknown_item", "bad_quantity"]


def _check(lines, items=None, available=None, priced=None, credit=None, backorder=False):
	items = items if items is not None else {ln.item_code: ItemFacts(ln.item_code) for ln in lines}
	available = available if available is not None else {ln.item_code: 1000 for ln in lines}
	priced = (
		priced
		if priced is not None
		else [PricedLineFactory(item_code=ln.item_code, qty=ln.qty) for ln in lines]
	)
	check_order(lines, items, available, priced, credit or CreditFactory(), backorder)


def test_a_sound_order_passes():
	_check([CartLine("A", 10), CartLine("B", 1)])


def test_unknown_or_unsellable_item_is_refused():
	with pytest.raises(CartRejected) as e:
		_check(
			[CartLine("A", 1), CartLine("X", 1)],
			items={"A": ItemFacts("A"), "X": ItemFacts("X", sellable=False)},
		)
	assert codes(e.value) == ["unknown_item"]
	assert e.value.problems[0].item_code == "X"


def test_minimum_order_quantity():
	items = {"A": ItemFacts("A", moq=12)}
	with pytest.raises(CartRejected) as e:
		_check([CartLine("A", 11)], items=items)
	assert codes(e.value) == ["below_moq"] and "12" in e.value.problems[0].message
	_check([CartLine("A", 12)], items=items)


def test_stock_counts_actual_minus_reserved_and_backorder_lifts_it():
	lines = [CartLine("A", 5)]
	with pytest.raises(CartRejected) as e:
		_check(lines, available={"A": 4})
	assert codes(e.value) == ["out_of_stock"] and "only 4" in e.value.problems[0].message
	_check(lines, available={"A": 5})
	_check(lines, available={"A": 0}, backorder=True)
	assert check_stock(lines, {"A": -3}) and "only 0" in check_stock(lines, {"A": -3})[0].message


def test_missing_price_is_refused():
	with pytest.raises(CartRejected) as e:
		_check([CartLine("A", 1)], priced=[PricedLine("A", 1, 0, 0)])
	assert codes(e.value) == ["no_price"]


def test_credit_headroom_is_limit_minus_outstanding():
	priced = [PricedLine("A", 10, 10, 100)]
	with pytest.raises(CartRejected) as e:
		_check([CartLine("A", 10)], priced=priced, credit=Credit(limit=1000, outstanding=901))
	assert codes(e.value) == ["over_credit"] and "99.00" in e.value.problems[0].message
	_check([CartLine("A", 10)], priced=priced, credit=Credit(limit=1000, outstanding=900))
	_check([CartLine("A", 10)], priced=priced, credit=Credit(limit=0, outstanding=10**9))


def test_every_problem_is_reported_at_once():
	items = {"A": ItemFacts("A", moq=5), "B": ItemFacts("B")}
	with pytest.raises(CartRejected) as e:
		_check(
			[CartLine("A", 1), CartLine("B", 9), CartLine("Z", 1)], items=items, available={"A": 10, "B": 1}
		)
	assert sorted(codes(e.value)) == ["below_moq", "out_of_stock", "unknown_item"]


@given(
	limit=st.floats(min_value=0, max_value=1e7, allow_nan=False),
	outstanding=st.floats(min_value=0, max_value=1e7, allow_nan=False),
	total=st.floats(min_value=0, max_value=1e7, allow_nan=False),
)
def test_credit_rule_matches_its_definition(limit, outstanding, total):
	refused = bool(check_credit(total, Credit(limit, outstanding)))
	headroom = math.inf if limit <= 0 else limit - outstanding
	assert refused == (total > headroom + 1e-6)


def test_a_cart_over_the_line_limit_is_refused_before_its_lines_are_read():
	from b2b_mall.core.cart import CartLimits

	huge = [{"item_code": f"I{i}", "qty": 1} for i in range(100_000)]
	with pytest.raises(CartRejected) as e:
		parse_lines(huge, CartLimits(max_lines=100, max_qty=10_000))
	assert codes(e.value) == ["too_many_lines"]
	assert "100000" in e.value.problems[0].message and "100" in e.value.problems[0].message
	assert len(parse_lines(huge[:100], CartLimits(max_lines=100))) == 100


def test_a_quantity_over_the_cap_is_refused_after_repeated_lines_are_merged():
	from b2b_mall.core.cart import CartLimits

	caps = CartLimits(max_lines=10, max_qty=500)
	with pytest.raises(CartRejected) as e:
		parse_lines(
			[{"item_code": "A", "qty": 300}, {"item_code": "A", "qty": 300}, {"item_code": "B", "qty": 1}],
			caps,
		)
	assert codes(e.value) == ["over_max_qty"] and e.value.problems[0].item_code == "A"
	assert "500" in e.value.problems[0].message and "600" in e.value.problems[0].message
	assert parse_lines([{"item_code": "A", "qty": 500}], caps) == [CartLine("A", 500.0)]
	# malformed lines and the cap are reported together
	with pytest.raises(CartRejected) as e:
		parse_lines([{"item_code": "A", "qty": 501}, {"item_code": "B", "qty": -1}], caps)
	assert sorted(codes(e.value)) == ["bad_quantity", "over_max_qty"]
