"""A round of waves for the store's carts: what is proposed, what is left out and why, and how a
grouping the lead changed by hand measures."""

import datetime as dt

import pytest

from tests.unit.wms_tms.test_layout_and_tours import store
from tests.unit.wms_tms.test_waves import order
from wms_tms.core.errors import WmsInputError
from wms_tms.core.pickpath import best_tour
from wms_tms.core.wave_planning import AFTER_CUTOFF, NO_CART, TOO_BIG, evaluate, propose
from wms_tms.core.waves import Cart, Line, Order

CUTOFF = dt.datetime(2026, 12, 2, 14, 0)


def test_orders_after_the_cutoff_wait_for_the_next_round_with_when_they_came():
	s = store()
	orders = [order("EARLY", ["B0-A1-P1-L"]), order("LATE", ["B0-A1-P2-L"])]
	placed = {"EARLY": CUTOFF - dt.timedelta(hours=2), "LATE": CUTOFF + dt.timedelta(minutes=5)}
	p = propose(s, orders, Cart(units=10), carts=2, cutoff=CUTOFF, placed=placed)
	assert [[o.name for o in w.orders] for w in p.waves] == [["EARLY"]]
	assert [(x.order, x.reason) for x in p.left] == [("LATE", AFTER_CUTOFF)]
	assert "14:05" in p.left[0].detail and "14:00" in p.left[0].detail


def test_without_a_cutoff_every_order_is_planned():
	s = store()
	placed = {"LATE": CUTOFF + dt.timedelta(days=1)}
	p = propose(s, [order("LATE", ["B0-A1-P2-L"])], Cart(units=10), carts=1, placed=placed)
	assert [o.name for w in p.waves for o in w.orders] == ["LATE"] and not p.left


def test_an_order_larger_than_a_cart_is_left_out_whole_and_says_by_how_much():
	s = store()
	big = Order("BIG", (Line("BIG", "B0-A1-P1-L", "IT", 12, weight=30.0),))
	p = propose(s, [big, order("S", ["B0-A2-P1-L"])], Cart(units=10, weight=50), carts=2)
	assert [o.name for w in p.waves for o in w.orders] == ["S"]  # never cut into parts
	(left,) = p.left
	assert (left.order, left.reason) == ("BIG", TOO_BIG)
	assert "12 units (a cart holds 10)" in left.detail and "kg" not in left.detail


def test_waves_beyond_the_carts_wait_for_a_cart_and_the_most_urgent_go_first():
	s = store()
	early, late = dt.datetime(2026, 12, 2, 12), dt.datetime(2026, 12, 2, 18)
	orders = [
		order("L1", ["B0-A1-P1-L"], qty=2, cutoff=late),
		order("E1", ["B0-A6-P1-L"], qty=2, cutoff=early),
		order("E2", ["B0-A6-P2-L"], qty=2, cutoff=early),
		order("L2", ["B0-A1-P2-L"], qty=2, cutoff=late),
	]
	p = propose(s, orders, Cart(units=4), carts=1)
	assert [sorted(o.name for o in w.orders) for w in p.waves] == [["E1", "E2"]]
	assert sorted((x.order, x.reason) for x in p.left) == [("L1", NO_CART), ("L2", NO_CART)]
	assert "1 cart" in p.left[0].detail


def test_two_carts_take_every_order_that_fits_them():
	s = store()
	orders = [order(f"O{i}", [f"B0-A{1 + i % 6}-P{1 + i % 3}-L"], qty=1) for i in range(12)]
	p = propose(s, orders, Cart(units=6), carts=2)
	assert len(p.waves) == 2 and not p.left
	assert sorted(o.name for w in p.waves for o in w.orders) == sorted(o.name for o in orders)
	assert all(w.load[0] <= 6 for w in p.waves)


def test_no_cart_is_refused():
	with pytest.raises(WmsInputError):
		propose(store(), [order("A", ["B0-A1-P1-L"])], Cart(units=5), carts=0)


def test_a_hand_made_grouping_is_measured_and_an_overfull_cart_is_named():
	s = store()
	a = Order("A", (Line("A", "B0-A1-P1-L", "IT-1", 3, weight=2.0, volume=0.01),))
	b = Order("B", (Line("B", "B0-A6-P1-L", "IT-2", 4, weight=1.0, volume=0.02),))
	c = Order("C", (Line("C", "B0-A1-P3-L", "IT-3", 1),))
	(together, apart) = evaluate(s, [[a, b, c], []], Cart(units=6, weight=10))
	assert together.orders == ("A", "B", "C")
	assert (together.units, together.weight, together.volume) == (8, 3.0, pytest.approx(0.03))
	assert together.over == ("units",)
	assert together.distance == pytest.approx(best_tour(s, ["B0-A1-P1-L", "B0-A6-P1-L", "B0-A1-P3-L"]).length)
	alone = sum(best_tour(s, [b]).length for b in ["B0-A1-P1-L", "B0-A6-P1-L", "B0-A1-P3-L"])
	assert together.one_by_one == pytest.approx(alone)
	assert together.distance < together.one_by_one  # one tour beats three
	assert set(together.bins) == {"B0-A1-P1-L", "B0-A6-P1-L", "B0-A1-P3-L"}
	assert apart.orders == () and apart.distance == 0 and apart.over == ()


def test_the_proposed_waves_walk_less_than_picking_one_by_one():
	s = store()
	orders = [order(f"O{i}", [f"B0-A{1 + i % 3}-P{1 + i % 4}-L", f"B0-A{2 + i % 4}-P2-R"]) for i in range(10)]
	p = propose(s, orders, Cart(units=10), carts=3)
	measured = evaluate(s, [w.orders for w in p.waves], Cart(units=10))
	assert sum(m.distance for m in measured) < sum(m.one_by_one for m in measured)
	assert [m.distance for m in measured] == pytest.approx([w.tour.length for w in p.waves])
