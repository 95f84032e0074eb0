import datetime as dt

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


@settings(max_examples=10, deadline=None)
@given(st.lists(st.lists(st.sampled_from(BINS), min_size=1, max_size=2, unique=True), min_size=2, max_size=5))
def test_waves_are_close_to_the_best_grouping_found_by_brute_force(bin_lists):
	"""Against every way of cutting up to five orders into carts of 3 units: within 15%."""
	s = store()
	orders = [order(f"O{i}", bins) for i, bins in enumerate(bin_lists)]
	cap = 3

	def partitions(items):
		if not items:
			yield []
			return
		first, rest = items[0], items[1:]
		for p in partitions(rest):
			for k in range(len(p)):
				yield [*p[:k], [first, *p[k]], *p[k + 1 :]]
			yield [[first], *p]

	best = min(
		_total(s, p) for p in partitions(orders) if all(sum(len(o.lines) for o in g) <= cap for g in p)
	)
	ours = sum(w.tour.length for w in build_waves(s, orders, Cart(units=cap)))
	assert best - 1e-6 <= ours <= best * 1.15 + 1e-6


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
