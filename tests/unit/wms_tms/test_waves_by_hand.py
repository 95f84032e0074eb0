"""Waves worked out by hand: the refusal sentences, what a cart holds at its limits, how an order
too big for the cart is cut, the seed rule without the improvement step, and the release order."""

import datetime as dt

import pytest

from tests.unit.wms_tms.test_layout_and_tours import store
from wms_tms.core.errors import WmsInputError
from wms_tms.core.pickpath import best_tour, s_shape
from wms_tms.core.waves import Cart, Line, Order, Wave, build_waves

NOON, EVENING = dt.datetime(2026, 11, 24, 12), dt.datetime(2026, 11, 24, 18)


def order(name, aisles, qty=1.0, cutoff=None, priority=0, position=1):
	lines = tuple(Line(name, f"B0-A{a}-P{position}-L", f"IT-{i}", qty) for i, a in enumerate(aisles))
	return Order(name, lines, priority, cutoff)


def groups(waves):
	return [[o.name for o in w.orders] for w in waves]


# ---- refusals ----


@pytest.mark.parametrize(
	"line, cart, message",
	[
		(
			Line("O", "B0-A1-P1-L", "TEA", 0),
			Cart(units=5),
			"O: line TEA at B0-A1-P1-L: quantity must be above zero, weight and volume not negative",
		),
		(
			Line("O", "B0-A1-P1-L", "TEA", 1, weight=-0.1),
			Cart(units=5),
			"O: line TEA at B0-A1-P1-L: quantity must be above zero, weight and volume not negative",
		),
		(
			Line("O", "B0-A1-P1-L", "TEA", 1, volume=-0.1),
			Cart(units=5),
			"O: line TEA at B0-A1-P1-L: quantity must be above zero, weight and volume not negative",
		),
		(Line("O", "B0-A1-P1-L", "TEA", 6), Cart(units=5), "O: line TEA alone does not fit the cart"),
		(
			Line("O", "B0-A1-P1-L", "TEA", 1, weight=41),
			Cart(weight=40),
			"O: line TEA alone does not fit the cart",
		),
		(
			Line("O", "B0-A1-P1-L", "TEA", 1, volume=1.5),
			Cart(volume=1),
			"O: line TEA alone does not fit the cart",
		),
		(
			Line("O", "B0-A1-P1-L", "TEA", 1),
			Cart(),
			"cart: a cart needs a capacity (units, weight or volume) above zero",
		),
		(
			Line("O", "B0-A1-P1-L", "TEA", 1),
			Cart(units=-1, weight=-1, volume=-1),
			"cart: a cart needs a capacity (units, weight or volume) above zero",
		),
	],
)
def test_each_refusal_says_which_order_and_line(line, cart, message):
	with pytest.raises(WmsInputError) as e:
		build_waves(store(), [Order("O", (line,))], cart)
	assert str(e.value) == message


@pytest.mark.parametrize("cart", [Cart(units=1), Cart(weight=1), Cart(volume=1)])
def test_a_cart_limited_in_one_measure_only_is_a_cart(cart):
	line = Line("O", "B0-A1-P1-L", "TEA", 1, weight=1, volume=1)
	(wave,) = build_waves(store(), [Order("O", (line,))], cart)
	assert wave.load == (1, 1, 1)


# ---- what a cart holds ----


def test_a_cart_holds_exactly_its_capacity_and_zero_means_no_limit():
	cart = Cart(units=10, weight=40, volume=1.0)
	assert cart.holds((10, 40, 1.0))
	assert cart.holds((10, 40, 0.1 + 0.2 + 0.7))  # 1.0000000000000002: float noise is not an overload
	assert not cart.holds((10.01, 40, 1.0))
	assert not cart.holds((10, 40.01, 1.0))
	assert not cart.holds((10, 40, 1.01))
	assert Cart(units=10).holds((10, 1e9, 1e9))
	assert Cart(weight=40).holds((1e9, 40, 1e9))
	assert Cart(volume=1).holds((1e9, 1e9, 1))


def test_two_orders_that_fill_the_cart_exactly_share_it():
	waves = build_waves(store(), [order("A", [1], qty=2), order("B", [1], qty=3)], Cart(units=5))
	assert groups(waves) == [["A", "B"]] and waves[0].load == (5, 0, 0)


# ---- an order too big for the cart ----


def test_an_order_is_cut_in_line_order_into_numbered_parts_that_keep_its_priority_and_cutoff():
	big = Order(
		"BIG",
		tuple(Line("BIG", f"B0-A{a}-P1-L", f"IT-{a}", q) for a, q in [(1, 4), (2, 4), (3, 2), (4, 5)]),
		priority=3,
		cutoff=NOON,
	)
	waves = build_waves(store(), [big], Cart(units=10), improve=False)
	parts = sorted((o for w in waves for o in w.orders), key=lambda o: o.name)
	# 4 + 4 + 2 = 10 fills the first part, 5 starts the second
	assert [(o.name, [ln.item for ln in o.lines]) for o in parts] == [
		("BIG#1", ["IT-1", "IT-2", "IT-3"]),
		("BIG#2", ["IT-4"]),
	]
	assert {(o.priority, o.cutoff) for o in parts} == {(3, NOON)}


def test_an_order_that_fits_exactly_is_not_cut():
	waves = build_waves(store(), [order("FULL", [1, 2, 3], qty=2)], Cart(units=6))
	assert groups(waves) == [["FULL"]]


# ---- the seed rule (no improvement step) ----


def test_the_next_order_adds_the_fewest_new_aisles():
	# seed A (aisle 1); Y shares aisle 1, X needs aisle 5: Y joins, X waits
	waves = build_waves(
		store(), [order("A", [1]), order("X", [5]), order("Y", [1])], Cart(units=2), improve=False
	)
	assert groups(waves) == [["A", "Y"], ["X"]]


def test_ties_on_new_aisles_go_to_the_nearer_aisle_then_to_the_name():
	orders = [order("A", [1]), order("FAR", [3]), order("NEAR", [2])]
	assert groups(build_waves(store(), orders, Cart(units=2), improve=False)) == [["A", "NEAR"], ["FAR"]]
	orders = [order("A", [3]), order("Q", [2]), order("P", [4])]
	assert groups(build_waves(store(), orders, Cart(units=2), improve=False)) == [["A", "P"], ["Q"]]


def test_a_later_cutoff_joins_only_once_no_earlier_order_fits():
	orders = [
		order("E1", [1], cutoff=NOON),
		order("L", [1], cutoff=EVENING),
		order("E2", [6], cutoff=NOON),
	]
	# E2 (same cutoff, another aisle) before L (same aisle, later cutoff); then L still fits
	assert groups(build_waves(store(), orders, Cart(units=3), improve=False)) == [["E1", "E2", "L"]]
	assert groups(build_waves(store(), orders, Cart(units=2), improve=False)) == [["E1", "E2"], ["L"]]


def test_no_passes_means_no_improvement():
	# the seed rule strands two single-aisle orders; improving fixes it
	orders = [order("A", [1]), order("B", [6]), order("C", [1]), order("D", [6])]
	cart = Cart(units=2)
	seeded = groups(build_waves(store(), orders, cart, improve=False))
	assert groups(build_waves(store(), orders, cart, max_passes=0)) == seeded


# ---- release order and the order inside a wave ----


def test_waves_are_released_by_cutoff_then_priority_then_name_and_no_cutoff_last():
	orders = [
		order("NONE-HI", [1], priority=9),
		order("EVE", [2], cutoff=EVENING),
		order("NOON-LO", [3], cutoff=NOON, priority=0),
		order("NOON-HI", [4], cutoff=NOON, priority=5),
		order("NONE-A", [5]),
		order("NONE-B", [6]),
	]
	waves = build_waves(store(), orders, Cart(units=1))
	assert groups(waves) == [["NOON-HI"], ["NOON-LO"], ["EVE"], ["NONE-HI"], ["NONE-A"], ["NONE-B"]]


def test_orders_inside_a_wave_are_listed_most_urgent_first():
	orders = [order("Z", [1]), order("M", [1], priority=2, position=2), order("A", [1], position=3)]
	(wave,) = build_waves(store(), orders, Cart(units=3))
	assert [o.name for o in wave.orders] == ["M", "A", "Z"]


def test_the_finished_waves_are_walked_with_the_tour_asked_for():
	orders = [order("A", [1, 4]), order("B", [2])]
	(wave,) = build_waves(store(), orders, Cart(units=3), tour=s_shape)
	assert wave.tour == s_shape(store(), wave.bins)
	assert wave.tour.method != best_tour(store(), wave.bins).method


def test_picking_order_follows_the_tour_and_keeps_lines_of_one_bin_together_in_order():
	lines = (
		Line("A", "B0-A3-P1-L", "X1", 1),
		Line("A", "B0-A1-P1-L", "X2", 1),
		Line("B", "B0-A3-P1-L", "X3", 1),
	)
	wave = Wave([Order("A", lines[:2]), Order("B", lines[2:])])
	wave.tour = best_tour(store(), wave.bins)
	# a tour may run either way round; the two lines of aisle 3 stay in the orders' sequence
	expected = {
		("B0-A1-P1-L", "B0-A3-P1-L"): ["X2", "X1", "X3"],
		("B0-A3-P1-L", "B0-A1-P1-L"): ["X1", "X3", "X2"],
	}[wave.tour.bins]
	assert [ln.item for ln in wave.picking_order()] == expected
	# without a tour the lines stay as the orders list them
	assert [ln.item for ln in Wave([Order("A", lines[:2]), Order("B", lines[2:])]).picking_order()] == [
		"X1",
		"X2",
		"X3",
	]


def test_an_urgent_order_of_its_own_does_not_stop_the_others_from_being_regrouped():
	"""The four orders of test_waves' stranding case (two one-line, two two-line orders over the same
	two bins of aisle 1; best 11 + 11 m) plus an order due earlier, alone in its wave. Its wave has
	no other wave of its cutoff to be emptied into; the others must still be regrouped."""
	p1, p2 = "B0-A1-P1-L", "B0-A1-P2-L"
	orders = [
		Order("URGENT", (Line("URGENT", "B0-A6-P9-L", "X", 3),), cutoff=NOON),  # fills a cart
		*(
			Order(n, tuple(Line(n, b, f"I{i}", 1) for i, b in enumerate(bins)))
			for n, bins in [("O0", [p1]), ("O1", [p1]), ("O2", [p1, p2]), ("O3", [p1, p2])]
		),
	]
	waves = build_waves(store(), orders, Cart(units=3))
	assert groups(waves)[0] == ["URGENT"]
	rest = waves[1:]
	assert sorted(sorted(len(o.lines) for o in w.orders) for w in rest) == [[1, 2], [1, 2]]
	assert sum(w.tour.length for w in rest) == pytest.approx(22.0)


def test_a_two_block_store_is_waved_and_each_wave_walks_its_shortest_tour():
	s = store(blocks=2)
	orders = [
		Order("A", (Line("A", "B0-A1-P1-L", "X", 1), Line("A", "B1-A1-P2-L", "Y", 1))),
		Order("B", (Line("B", "B1-A6-P5-L", "X", 1),)),
		Order("C", (Line("C", "B0-A1-P3-L", "Z", 1),)),
		Order("D", (Line("D", "B1-A6-P6-L", "Y", 1),)),
	]
	waves = build_waves(s, orders, Cart(units=3))
	assert sorted(n for g in groups(waves) for n in g) == ["A", "B", "C", "D"]
	assert all(w.load[0] <= 3 for w in waves)
	assert all(w.tour == best_tour(s, w.bins) for w in waves)
	# the aisle-6 orders ride together, the aisle-1 orders together
	assert sorted(sorted(g) for g in groups(waves)) == [["A", "C"], ["B", "D"]]
