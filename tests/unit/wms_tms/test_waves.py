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
