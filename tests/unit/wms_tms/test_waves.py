import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.wms_tms.test_layout_and_tours import BINS, store
from wms_tms.core.errors import WmsInputError
from wms_tms.core.pickpath import best_tour
from wms_tms.core.waves import Cart, Line, Order, build_waves


def order(name, bins, qty=1.0, cutoff=None, priority=0):
	return Order(name, tuple(Line(name, b, f"IT-{i}", qty) for i, b in enumerate(bins)), priority, cutoff)


def test_orders_in_the_same_aisles_share_a_wave():
	s = store()
	orders = [
		order("A1", ["B0-A1-P1-L", "B0-A1-P2-L"]),
		order("A6", ["B0-A6-P1-L"]),
		order("A1b", ["B0-A1-P3-L"]),
		order("A6b", ["B0-A6-P2-L"]),
	]
	waves = build_waves(s, orders, Cart(units=3))
	groups = sorted(sorted(o.name for o in w.orders) for w in waves)
	assert groups == [["A1", "A1b"], ["A6", "A6b"]]
	assert all(w.tour.length == pytest.approx(best_tour(s, w.bins).length) for w in waves)


def test_an_order_too_big_for_the_cart_is_split_and_nothing_else_is():
	s = store()
	big = order("BIG", ["B0-A1-P1-L", "B0-A2-P1-L", "B0-A3-P1-L"], qty=4)
	waves = build_waves(s, [big, order("S", ["B0-A4-P1-L"], qty=1)], Cart(units=9))
	names = [o.name for w in waves for o in w.orders]
	assert sorted(names) == ["BIG#1", "BIG#2", "S"]
	assert all(w.load[0] <= 9 for w in waves)


def test_earlier_cutoff_goes_first_and_is_not_mixed_with_later():
	s = store()
	early, late = dt.datetime(2026, 11, 24, 12), dt.datetime(2026, 11, 24, 18)
	orders = [
		order("L1", ["B0-A1-P1-L"], cutoff=late),
		order("E1", ["B0-A6-P1-L"], cutoff=early),
		order("E2", ["B0-A1-P2-L"], cutoff=early),
	]
	waves = build_waves(s, orders, Cart(units=2))
	assert [sorted(o.name for o in w.orders) for w in waves] == [["E1", "E2"], ["L1"]]


@pytest.mark.parametrize(
	"orders, cart, record",
	[
		([order("NEG", ["B0-A1-P1-L"], qty=-1)], Cart(units=5), "NEG"),
		([order("X", ["NOPE"])], Cart(units=5), "NOPE"),
		([order("Z", ["B0-A1-P1-L"])], Cart(), "cart"),
		([order("HUGE", ["B0-A1-P1-L"], qty=10)], Cart(units=5), "HUGE"),
	],
)
def test_bad_input_names_the_record(orders, cart, record):
	with pytest.raises(WmsInputError) as e:
		build_waves(store(), orders, cart)
	assert e.value.record == record


@settings(max_examples=25, deadline=None)
@given(
	st.lists(st.lists(st.sampled_from(BINS), min_size=1, max_size=3, unique=True), min_size=1, max_size=8),
	st.integers(2, 6),
)
def test_every_line_picked_once_within_capacity_and_never_worse_than_one_tour_per_order(bin_lists, cap):
	s = store()
	orders = [order(f"O{i}", bins) for i, bins in enumerate(bin_lists) if len(bins) <= cap]
	if not orders:
		return
	waves = build_waves(s, orders, Cart(units=cap))
	picked = sorted((ln.order, ln.bin) for w in waves for o in w.orders for ln in o.lines)
	assert picked == sorted((ln.order, ln.bin) for o in orders for ln in o.lines)
	assert all(w.load[0] <= cap for w in waves)
	assert (
		sum(w.tour.length for w in waves)
		<= sum(best_tour(s, [ln.bin for ln in o.lines]).length for o in orders) + 1e-6
	)


def test_factory_built_day_batches_every_line_once():
	from tests.unit.wms_tms.factories import LayoutFactory, OrderFactory

	layout = LayoutFactory()
	orders = OrderFactory.build_batch(12)
	waves = build_waves(layout, orders, Cart(units=7))
	assert sorted(ln.bin + ln.item for w in waves for o in w.orders for ln in o.lines) == sorted(
		ln.bin + ln.item for o in orders for ln in o.lines
	)
	assert all(w.load[0] <= 7 for w in waves)
	assert all(w.tour.method == "exact (Ratliff–Rosenthal)" for w in waves)


def test_the_most_urgent_order_leaves_in_the_first_wave():
	s = store()
	orders = [
		order("LOW", ["B0-A1-P1-L"], priority=0),
		order("RUSH", ["B0-A6-P9-L"], priority=5),
		order("LOW2", ["B0-A1-P2-L"], priority=0),
	]
	waves = build_waves(s, orders, Cart(units=2))
	assert "RUSH" in [o.name for o in waves[0].orders]
	assert sorted(sorted(o.name for o in w.orders) for w in waves) == [["LOW", "LOW2"], ["RUSH"]]


def test_weight_and_volume_limits_are_kept_too():
	s = store()
	orders = [
		Order("HEAVY", (Line("HEAVY", "B0-A1-P1-L", "IRON", 1, weight=30),)),
		Order("LIGHT", (Line("LIGHT", "B0-A1-P2-L", "TEA", 1, weight=5, volume=0.2),)),
		Order("BULKY", (Line("BULKY", "B0-A1-P3-L", "BOX", 1, weight=5, volume=0.9),)),
	]
	waves = build_waves(s, orders, Cart(weight=40, volume=1.0))
	for w in waves:
		assert w.load[1] <= 40 and w.load[2] <= 1.0
	assert sorted(o.name for w in waves for o in w.orders) == ["BULKY", "HEAVY", "LIGHT"]


def _total(s, groups):
	return sum(best_tour(s, [ln.bin for o in g for ln in o.lines]).length for g in groups if g)


@settings(max_examples=15, deadline=None)
@given(
	st.lists(st.lists(st.sampled_from(BINS), min_size=1, max_size=2, unique=True), min_size=2, max_size=6),
	st.integers(2, 4),
)
def test_no_single_move_or_swap_shortens_the_waves(bin_lists, cap):
	"""An independent check of the improvement step: after it, no order can be moved to another
	wave, and no two orders swapped, so that the carts still hold them and the walk is shorter."""
	s = store()
	orders = [order(f"O{i}", bins) for i, bins in enumerate(bin_lists)]
	groups = [list(w.orders) for w in build_waves(s, orders, Cart(units=cap))]
	now = _total(s, groups)

	def fits(g):
		return sum(len(o.lines) for o in g) <= cap

	for i, gi in enumerate(groups):
		for j, gj in enumerate(groups):
			if i == j:
				continue
			for o in gi:
				rest = [x for x in gi if x is not o]
				trial = [g for k, g in enumerate(groups) if k not in (i, j)]
				if fits(gj + [o]):
					assert _total(s, [*trial, rest, gj + [o]]) >= now - 1e-6
				for q in gj:
					a, b = rest + [q], [x for x in gj if x is not q] + [o]
					if fits(a) and fits(b):
						assert _total(s, [*trial, a, b]) >= now - 1e-6


def _partitions(items):
	if not items:
		yield []
		return
	first, rest = items[0], items[1:]
	for p in _partitions(rest):
		for k in range(len(p)):
			yield [*p[:k], [first, *p[k]], *p[k + 1 :]]
		yield [[first], *p]


def _best_grouping(s, orders, cap):
	"""Brute force: the shortest total walk over every way of cutting the orders into carts."""
	return min(
		_total(s, p) for p in _partitions(orders) if all(sum(len(o.lines) for o in g) <= cap for g in p)
	)


def test_two_single_line_orders_do_not_strand_the_two_line_orders():
	"""The case that made the old random check flaky. Same two bins (1 m apart in aisle 1) for all:
	the greedy start puts both one-line orders in one cart, and the two-line orders then need a cart
	each, 9 + 11 + 11 = 31 m. No single move or swap helps (each first step gains nothing), so the
	improvement step must be able to empty a wave: two carts of one single and one double, 11 m each.
	By hand: pack station to aisle 1 is 3 m, up to P1 is 1.5 m (half the 2 m cross aisle + 0.5 m to
	the middle of P1), one more to P2; there and back = 2 * (3 + 1.5) = 9 m, with P2 = 11 m."""
	s = store()
	p1, p2 = "B0-A1-P1-L", "B0-A1-P2-L"
	# named so the one-line orders sort first, as in the reported case (the seed order is by name)
	orders = [order("O0", [p1]), order("O1", [p1]), order("O2", [p1, p2]), order("O3", [p1, p2])]
	assert best_tour(s, [p1]).length == pytest.approx(9.0)
	assert best_tour(s, [p1, p2]).length == pytest.approx(11.0)
	waves = build_waves(s, orders, Cart(units=3))
	assert sorted(sorted(len(o.lines) for o in w.orders) for w in waves) == [[1, 2], [1, 2]]
	assert sum(w.tour.length for w in waves) == pytest.approx(22.0)
	assert _best_grouping(s, orders, 3) == pytest.approx(22.0)


POOL = ["B0-A1-P1-L", "B0-A1-P2-L", "B0-A3-P5-L", "B0-A6-P9-L"]


def test_every_four_orders_from_four_bins_are_within_15_percent_of_the_best_grouping():
	"""Exhaustive, so deterministic: all 715 multisets of four orders, each one or two of four bins
	(the reported case among them), carts of 3 units, against brute force over every grouping.

	The 15% is what this heuristic reaches on four orders, not a guarantee: with five orders there
	are groupings it misses by more (a local search has no ratio bound), so the check stays where it
	was measured to hold rather than sampling a space where it does not."""
	kinds = [[b] for b in POOL] + [list(c) for c in itertools.combinations(POOL, 2)]
	worst, cases = 1.0, list(itertools.combinations_with_replacement(kinds, 4))
	assert len(cases) == 715
	s = store()
	for combo in cases:
		orders = [order(f"O{i}", bins) for i, bins in enumerate(combo)]
		best = _best_grouping(s, orders, 3)
		waves = build_waves(s, orders, Cart(units=3))
		ours = sum(w.tour.length for w in waves)
		assert best - 1e-6 <= ours <= best * 1.15 + 1e-6, (combo, ours, best)
		worst = max(worst, ours / best)
	assert worst > 1.0  # the check is not trivially met: some cases are not grouped at the optimum


def test_a_wave_hands_its_lines_over_in_walking_order():
	s = store()
	orders = [order("A", ["B0-A6-P9-L", "B0-A1-P1-L"]), order("B", ["B0-A3-P5-L", "B0-A1-P1-L"])]
	(wave,) = build_waves(s, orders, Cart(units=10))
	lines = wave.picking_order()
	assert sorted((ln.order, ln.bin) for ln in lines) == sorted(
		(ln.order, ln.bin) for o in orders for ln in o.lines
	)
	assert list(dict.fromkeys(ln.bin for ln in lines)) == list(wave.tour.bins)
	assert wave.tour.length == pytest.approx(best_tour(s, wave.bins).length)
