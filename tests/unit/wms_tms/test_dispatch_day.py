"""Dispatch a day: a store's deliveries over several vehicles, capacity by weight and volume, shifts,
receiving hours, and what moved between two plans."""

import random

import pytest

from wms_tms.core.dispatch import (
	NO_PLACE,
	NO_ROOM,
	TOO_BIG,
	TOO_FAR,
	TOO_HEAVY,
	WINDOW,
	Delivery,
	Truck,
	moves,
	plan_day,
	reason_of,
	search_seconds,
)
from wms_tms.core.errors import WmsInputError

DEPOT = (23.106, 113.324)


def ring(n, seed=7, weight=100.0, volume=0.5):
	rnd = random.Random(seed)
	return [
		Delivery(
			f"DN{i:03d}",
			DEPOT[0] + rnd.uniform(-0.06, 0.06),
			DEPOT[1] + rnd.uniform(-0.06, 0.06),
			weight=weight,
			volume=volume,
			window=(9 * 60, 18 * 60),
			service=10,
		)
		for i in range(n)
	]


def test_a_day_is_spread_over_the_vehicles_within_weight_and_volume():
	deliveries = ring(24, weight=100, volume=1.0)
	# 24 × 100 kg: no single truck carries it; volume binds on the third truck
	trucks = [Truck("T1", 1000, 0), Truck("T2", 1000, 20), Truck("T3", 2000, 6)]
	plan = plan_day(DEPOT, deliveries, trucks, seconds=1)
	seq = plan.sequence()
	assert len(seq) >= 2
	by_id = {d.id: d for d in deliveries}
	served = [d for stops in seq.values() for d in stops]
	assert sorted(served + [u.delivery for u in plan.unserved]) == sorted(by_id)
	assert len(served) == len(set(served))
	for t in trucks:
		load = seq.get(t.id, [])
		assert sum(by_id[d].weight for d in load) <= t.max_weight
		if t.max_volume:
			assert sum(by_id[d].volume for d in load) <= t.max_volume
	# 24 stops, 4000 kg of trucks: 2400 kg fit
	assert not plan.unserved


def test_every_eta_is_inside_the_receiving_hours_and_the_truck_is_back_before_its_shift_ends():
	deliveries = ring(12)
	deliveries[3] = Delivery(
		"EARLY", deliveries[3].lat, deliveries[3].lng, 50, 0.1, (10 * 60, 10 * 60 + 30), 15
	)
	trucks = [Truck("T1", 3000, 0, (8 * 60, 12 * 60)), Truck("T2", 3000, 0, (13 * 60, 17 * 60))]
	plan = plan_day(DEPOT, deliveries, trucks, seconds=1)
	windows = {d.id: d.window for d in deliveries}
	for r in plan.routes:
		shift = next(t.shift for t in trucks if t.id == r.vehicle)
		assert r.depart >= shift[0] and r.back <= shift[1]
		for v in r.visits:
			assert windows[v.stop][0] <= v.start <= windows[v.stop][1]
	early = [r.vehicle for r in plan.routes if "EARLY" in [v.stop for v in r.visits]]
	assert early == ["T1"], "only the morning shift can be there between 10:00 and 10:30"


def test_unserved_deliveries_carry_their_reason():
	ok = ring(2)
	deliveries = [
		*ok,
		Delivery("NOWHERE", None, None, 10),
		Delivery("HEAVY", 23.11, 113.33, weight=5000),
		Delivery("BULKY", 23.11, 113.33, weight=10, volume=50),
		Delivery("CLOSED", 23.40, 113.60, weight=10, window=(0, 60)),
		Delivery("FAR", 30.0, 120.0, weight=10),
	]
	trucks = [Truck("T1", 1500, 12, (8 * 60, 18 * 60))]
	plan = plan_day(DEPOT, deliveries, trucks, seconds=0.5)
	reasons = {u.delivery: u.reason for u in plan.unserved}
	assert reasons == {
		"NOWHERE": NO_PLACE,
		"HEAVY": TOO_HEAVY,
		"BULKY": TOO_BIG,
		"CLOSED": WINDOW,
		"FAR": TOO_FAR,
	}
	assert [u.delivery for u in plan.unserved] == ["NOWHERE", "HEAVY", "BULKY", "CLOSED", "FAR"]
	assert sorted(plan.sequence()["T1"]) == sorted(d.id for d in ok)


def test_a_full_day_leaves_the_rest_with_no_room():
	deliveries = ring(6, weight=400)
	plan = plan_day(DEPOT, deliveries, [Truck("T1", 1000)], seconds=0.5)
	assert len(plan.sequence()["T1"]) == 2
	assert {u.reason for u in plan.unserved} == {NO_ROOM} and len(plan.unserved) == 4


def test_bad_input_is_refused():
	with pytest.raises(WmsInputError, match="at least one vehicle"):
		plan_day(DEPOT, ring(2), [])
	with pytest.raises(WmsInputError, match="shift"):
		plan_day(DEPOT, ring(2), [Truck("T1", 100, 0, (600, 500))])
	with pytest.raises(WmsInputError, match="shift"):
		plan_day(DEPOT, ring(2), [Truck("T1", 100, 0, (-5, 500))])


def test_nothing_placed_plans_nothing():
	plan = plan_day(DEPOT, [Delivery("X", None, 113.0)], [Truck("T1", 100)])
	assert plan.routes == [] and [u.reason for u in plan.unserved] == [NO_PLACE]


def test_search_budget_grows_with_the_stops_and_stays_within_the_desk_limit():
	assert search_seconds(0) == 1.0 and search_seconds(40) == 1.0
	assert search_seconds(100) == pytest.approx(1.75)
	assert search_seconds(200) == pytest.approx(3.0)
	assert search_seconds(5000) == 3.0
	with pytest.raises(WmsInputError):
		search_seconds(-1)


@pytest.mark.parametrize(
	"text, code",
	[
		("weighs 5000 kg, more than any vehicle carries (1500 kg)", TOO_HEAVY),
		("is 50 m³: no vehicle that carries its 10 kg has room for it", TOO_BIG),
		("its window closes at minute 60, before a vehicle can get there", WINDOW),
		("it is too far to reach, serve and return within any shift", TOO_FAR),
		("vehicle T1 could not fit it in on time or within its capacity and shift", NO_ROOM),
		("no vehicle can fit it in within capacity, time windows and shifts", NO_ROOM),
	],
)
def test_the_routers_words_map_to_reason_codes(text, code):
	assert reason_of(text) == code


def test_moves_lists_vehicle_changes_additions_and_drops():
	before = {"T1": ["a", "b", "c"], "T2": ["d", "e"]}
	after = {"T1": ["a", "c", "b"], "T3": ["d", "e", "f"]}
	got = {
		m.delivery: (m.kind, m.before, m.after, m.position_before, m.position_after)
		for m in moves(before, after)
	}
	assert got == {
		"b": ("order", "T1", "T1", 2, 3),
		"c": ("order", "T1", "T1", 3, 2),
		"d": ("vehicle", "T2", "T3", 1, 1),
		"e": ("vehicle", "T2", "T3", 2, 2),
		"f": ("added", None, "T3", None, 3),
	}


def test_a_stop_whose_neighbour_left_did_not_move():
	before = {"T1": ["a", "b", "c"], "T2": ["x"]}
	after = {"T1": ["a", "c"], "T2": ["x", "b"]}
	got = [(m.delivery, m.kind) for m in moves(before, after)]
	assert got == [("b", "vehicle")], "c is still visited after a: it did not move"
	assert [(m.delivery, m.kind) for m in moves({"T1": ["a", "b"]}, {"T1": ["a"]})] == [("b", "dropped")]
	assert moves(before, before) == []


def test_a_delivery_on_two_vehicles_is_refused():
	with pytest.raises(WmsInputError, match="two vehicles"):
		moves({"T1": ["a"], "T2": ["a"]}, {})


def test_a_vehicle_that_drops_out_moves_its_stops_to_the_others():
	deliveries = ring(15, weight=100)
	trucks = [Truck("T1", 800), Truck("T2", 800), Truck("T3", 800)]
	first = plan_day(DEPOT, deliveries, trucks, seconds=0.5)
	assert not first.unserved
	dropped = next(iter(first.sequence()))
	second = plan_day(DEPOT, deliveries, [t for t in trucks if t.id != dropped], seconds=0.5)
	moved = moves(first.sequence(), second.sequence())
	off_dropped = {d for d in first.sequence()[dropped]}
	assert off_dropped <= {m.delivery for m in moved}
	assert dropped not in second.sequence()
	# 1500 kg over 1600 kg of trucks: everyone still served
	assert not second.unserved
