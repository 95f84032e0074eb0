"""What a buyer reads when a cart is refused: every sentence exactly, with the item and line it names,
and the edges of each rule (a quantity equal to the stock, the cap, the headroom is allowed)."""

import pytest

from b2b_mall.core.cart import (
	CartLimits,
	CartLine,
	CartRejected,
	Credit,
	ItemFacts,
	PricedLine,
	check_credit,
	check_order,
	check_prices,
	check_stock,
	parse_lines,
)


def refused(fn, *args, **kw) -> list[tuple[str, str | None, str]]:
	with pytest.raises(CartRejected) as e:
		fn(*args, **kw)
	problems = [(p.code, p.item_code, p.message) for p in e.value.problems]
	assert str(e.value) == "; ".join(m for _c, _i, m in problems)
	return problems


def test_an_empty_cart():
	assert refused(parse_lines, []) == [("empty_cart", None, "The cart is empty.")]


def test_every_bad_line_is_named_by_its_number_and_all_are_reported():
	raw = [
		{"qty": 1},
		"junk",
		{"item_code": " A ", "qty": 0},
		{"item_code": "B", "qty": "x"},
		{"item_code": "C", "qty": 2},
	]
	assert refused(parse_lines, raw) == [
		("unknown_item", None, "Line 1 names no item."),
		("bad_quantity", None, "Line 2 is not an item and a quantity."),
		("bad_quantity", "A", "A: quantity must be a number above zero."),
		("bad_quantity", "B", "B: quantity must be a number above zero."),
	]


def test_the_line_and_quantity_caps():
	raw = [{"item_code": f"I{i}", "qty": 1} for i in range(4)]
	assert refused(parse_lines, raw, CartLimits(max_lines=3)) == [
		("too_many_lines", None, "The cart has 4 lines; one order takes at most 3.")
	]
	assert len(parse_lines(raw, CartLimits(max_lines=4))) == 4
	caps = CartLimits(max_qty=10)
	assert refused(parse_lines, [{"item_code": "A", "qty": 6}, {"item_code": "A", "qty": 4.5}], caps) == [
		("over_max_qty", "A", "A: one order takes at most 10, you asked for 10.5.")
	]
	assert parse_lines([{"item_code": "A", "qty": 6}, {"item_code": "A", "qty": 4}], caps) == [
		CartLine("A", 10.0)
	]


def test_item_stock_price_sentences():
	lines = [
		CartLine("GONE", 1),
		CartLine("MOQ", 2),
		CartLine("LOW", 5),
		CartLine("NOROW", 1),
		CartLine("FREE", 1),
	]
	items = {
		"GONE": ItemFacts("GONE", sellable=False),
		"MOQ": ItemFacts("MOQ", moq=12),
		"LOW": ItemFacts("LOW"),
		"NOROW": ItemFacts("NOROW"),
		"FREE": ItemFacts("FREE"),
	}
	available = {"MOQ": 100, "LOW": 3.5, "FREE": 0.5}  # NOROW has no stock row at all
	priced = [PricedLine(c, 1, 2.0, 2.0) for c in ("GONE", "MOQ", "LOW", "NOROW")] + [
		PricedLine("FREE", 1, 0, 0)
	]
	assert refused(check_order, lines, items, available, priced, Credit(0, 0)) == [
		("unknown_item", "GONE", "GONE: no such item in the mall."),
		("below_moq", "MOQ", "MOQ: the minimum order is 12, you asked for 2."),
		("out_of_stock", "LOW", "LOW: only 3.5 available, you asked for 5."),
		("out_of_stock", "NOROW", "NOROW: only 0 available, you asked for 1."),
		("out_of_stock", "FREE", "FREE: only 0.5 available, you asked for 1."),
		("no_price", "FREE", "FREE: no price is set for your customer group."),
	]


def test_the_edges_are_allowed():
	assert check_stock([CartLine("A", 5)], {"A": 5}) == []  # exactly what is free
	assert check_stock([CartLine("A", 5)], {}, allow_backorder=True) == []
	assert check_prices([PricedLine("A", 1, 0.5, 0.5)]) == []  # a price below 1 is still a price
	assert check_credit(1000, Credit(1500, 500)) == []  # exactly the headroom


def test_stock_is_checked_unless_backorder_is_asked_for():
	lines, items, priced = [CartLine("A", 5)], {"A": ItemFacts("A")}, [PricedLine("A", 5, 1.0, 5.0)]
	assert [c for c, _i, _m in refused(check_order, lines, items, {"A": 4}, priced, Credit(0, 0))] == [
		"out_of_stock"
	]
	check_order(lines, items, {"A": 4}, priced, Credit(0, 0), allow_backorder=True)


def test_the_credit_sentence():
	assert refused(
		check_order,
		[CartLine("A", 1)],
		{"A": ItemFacts("A")},
		{"A": 9},
		[PricedLine("A", 1, 1234.5, 1234.5)],
		Credit(1000, 200),
	) == [("over_credit", None, "This order of 1,234.50 exceeds your remaining credit of 800.00.")]
	# already over the limit: the remaining credit reads 0.00, never a negative amount
	assert [
		m
		for _c, _i, m in refused(
			check_order,
			[CartLine("A", 1)],
			{"A": ItemFacts("A")},
			{"A": 9},
			[PricedLine("A", 1, 0.5, 0.5)],
			Credit(1000, 1200),
		)
	] == ["This order of 0.50 exceeds your remaining credit of 0.00."]
