"""Which items a marketplace order wants more of than is free (the hold of issue 18)."""

from decimal import Decimal

from omni_channel.core.stock import Shortfall, shortfalls


def test_an_order_within_free_stock_has_no_shortfall():
	assert shortfalls([("KETTLE", 50)], {"KETTLE": 50.0}) == []


def test_one_unit_over_is_short_with_both_quantities():
	assert shortfalls([("KETTLE", 51)], {"KETTLE": 50.0}) == [Shortfall("KETTLE", Decimal(51), Decimal(50))]


def test_lines_of_one_item_are_added_up_before_comparing():
	# two lines of 3 against 5 free: each line fits alone, the order does not
	assert shortfalls([("CUP", 3), ("CUP", 3)], {"CUP": 5}) == [Shortfall("CUP", Decimal(6), Decimal(5))]


def test_an_item_without_a_bin_has_nothing_free():
	assert shortfalls([("NEW", 1)], {}) == [Shortfall("NEW", Decimal(1), Decimal(0))]


def test_reserved_beyond_actual_shows_as_nothing_free_not_a_negative():
	assert shortfalls([("CUP", 2)], {"CUP": -3.0}) == [Shortfall("CUP", Decimal(2), Decimal(0))]


def test_fractional_quantities_compare_exactly():
	assert shortfalls([("RICE-KG", Decimal("2.5"))], {"RICE-KG": 2.5}) == []
	assert shortfalls([("RICE-KG", Decimal("2.51"))], {"RICE-KG": 2.5}) == [
		Shortfall("RICE-KG", Decimal("2.51"), Decimal("2.5"))
	]


def test_short_items_come_sorted_and_fitting_ones_are_left_out():
	got = shortfalls([("B", 9), ("A", 9), ("C", 1)], {"A": 1, "B": 2, "C": 5})
	assert [s.item for s in got] == ["A", "B"]
