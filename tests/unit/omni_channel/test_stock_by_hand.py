"""Stock to shops worked out by hand: free units, the offered quantity, shop groups that would
oversell, item overrides and which pushes a change causes."""

from decimal import Decimal
from fractions import Fraction

import pytest

from omni_channel.core.stock import Level, Push, ShopPolicy, StockPlanner, available, offered


def test_free_stock_is_actual_less_reserved_less_safety():
	assert Level(10, 2.5, 1).free == 6.5


def test_available_sums_the_shops_warehouses_floors_and_never_goes_below_zero():
	levels = {"W1": Level(7, 1, 1), "W2": Level(5.6, 0, 0), "OTHER": Level(100)}
	assert available(levels, ["W1", "W2"]) == 10  # 5 + 5.6 = 10.6 → 10
	assert available(levels, ["W1", "NOWHERE"]) == 5
	assert available({"W": Level(1, 3)}, ["W"]) == 0
	assert available({"W": Level(0.7 + 0.2 + 0.1)}, ["W"]) == 1  # 0.9999999999999999 is one unit
	assert available({"W": Level(0.999)}, ["W"]) == 0
	assert available({}, []) == 0


@pytest.mark.parametrize(
	"free, ratio, buffer, qty",
	[
		(10, (3, 10), 0, 3),
		(10, (3, 10), 1, 2),
		(9, (1, 2), 0, 4),
		(10, (1, 1), 10, 0),
		(10, (1, 1), 12, 0),
		(0, (1, 1), 0, 0),
	],
)
def test_offered_is_the_floor_of_free_times_ratio_less_the_buffer(free, ratio, buffer, qty):
	assert offered(free, ratio, buffer) == qty


def test_a_negative_ratio_is_refused_with_its_value():
	with pytest.raises(ValueError) as e:
		StockPlanner([ShopPolicy("S", ("W",), ratio=Decimal("-0.1"))])
	assert str(e.value) == "a stock ratio cannot be negative (-0.1)"


def test_ratios_are_exact_fractions():
	planner = StockPlanner([ShopPolicy("S", ("W",), ratio=Decimal("0.3"), item_ratios={"I": Fraction(1, 3)})])
	assert planner.ratio_of("S", None) == (3, 10)
	assert planner.ratio_of("S", "I") == (1, 3)
	assert planner.ratio_of("S", "OTHER") == (3, 10)
	# 0.3 of 10 is exactly 3 (0.3 as a float times 10 would be 3.0000000000000004)
	assert planner.offer("X", {"W": Level(10)}) == {"S": 3}
	assert planner.offer("I", {"W": Level(10)}) == {"S": 3}


def group(*shops):
	return StockPlanner(shops)


def test_a_group_whose_ratios_sum_to_one_is_accepted_and_never_oversells():
	planner = group(
		ShopPolicy("A", ("W",), ratio=Decimal("0.7"), group="g"),
		ShopPolicy("B", ("W",), ratio=Decimal("0.3"), group="g"),
	)
	offer = planner.offer("I", {"W": Level(9)})
	assert offer == {"A": 6, "B": 2} and sum(offer.values()) <= 9


def test_a_group_whose_shop_ratios_sum_above_one_is_refused():
	with pytest.raises(ValueError) as e:
		group(
			ShopPolicy("A", ("W",), ratio=Decimal("0.6"), group="g"),
			ShopPolicy("B", ("W",), ratio=Decimal("0.5"), group="g"),
		)
	assert str(e.value) == "shop group 'g': ratios for the shop ratios sum to 1.1 > 1 — that would oversell"


def test_a_group_whose_item_ratios_sum_above_one_is_refused_by_item():
	with pytest.raises(ValueError) as e:
		group(
			ShopPolicy("A", ("W",), ratio=Decimal("0.5"), item_ratios={"SKU1": Decimal("0.8")}, group="g"),
			ShopPolicy("B", ("W",), ratio=Decimal("0.5"), group="g"),
		)
	assert str(e.value) == "shop group 'g': ratios for item SKU1 sum to 1.3 > 1 — that would oversell"


def test_a_group_must_draw_on_one_set_of_warehouses():
	with pytest.raises(ValueError) as e:
		group(
			ShopPolicy("A", ("W1", "W2"), ratio=Decimal("0.5"), group="g"),
			ShopPolicy("B", ("W1",), ratio=Decimal("0.5"), group="g"),
		)
	assert str(e.value) == "shop group 'g': its shops must draw on the same warehouses"
	# the same set in another order is the same pool
	group(
		ShopPolicy("A", ("W1", "W2"), ratio=Decimal("0.5"), group="g"),
		ShopPolicy("B", ("W2", "W1"), ratio=Decimal("0.5"), group="g"),
	)


def test_shops_outside_a_group_are_not_summed():
	planner = group(ShopPolicy("A", ("W",)), ShopPolicy("B", ("W",)))
	assert planner.offer("I", {"W": Level(4)}) == {"A": 4, "B": 4}


def test_plan_pushes_only_what_changed_and_remembers_the_previous_quantity():
	planner = StockPlanner([ShopPolicy("A", ("W",), buffer=1), ShopPolicy("B", ("W",), ratio=Decimal("0.5"))])
	stock = {"I1": {"W": Level(10)}, "I2": {"W": Level(4)}}
	last = {("A", "I1"): 9, ("B", "I1"): 4, ("A", "I2"): 3}
	# A/I1 9 → 9 (same), B/I1 4 → 5, A/I2 3 → 3 (same), B/I2 never pushed → 2
	assert planner.plan(stock, last) == [Push("B", "I1", 5, 4), Push("B", "I2", 2, None)]
	# an item asked for but without stock anywhere is offered as 0
	assert planner.plan(stock, last, items=["GONE"]) == [
		Push("A", "GONE", 0, None),
		Push("B", "GONE", 0, None),
	]
	assert planner.plan(stock, {("A", "GONE"): 0, ("B", "GONE"): 3}, items=["GONE"]) == [
		Push("B", "GONE", 0, 3)
	]
