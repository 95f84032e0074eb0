"""Dispatch a day on a real site: a store's open Delivery Notes spread over its vehicles as draft
Delivery Trips (stops in order, ETAs inside receiving hours, loads within capacity), the unserved with
their reason, a re-plan after an order is added and a vehicle drops out (what moved), dispatch."""

import frappe
import pytest
from frappe.utils import add_days, get_datetime, getdate, nowdate

from tests.bench import dispatch_builders as db

DAY = None  # tomorrow, set once the site is up


@pytest.fixture(scope="module")
def world(site):
	global DAY
	DAY = add_days(nowdate(), 1)
	return db.committed(build_world)


def build_world():
	from tests.bench.test_no_data_crosses_parties import system_user

	clerk = system_user("Sales User")
	st = db.store()
	# three vans: 300 kg / 2 m³ each, the third one afternoons only
	vans = [db.vehicle(st, 300, 2), db.vehicle(st, 300, 2), db.vehicle(st, 300, 2, shift=("13:00", "18:00"))]
	notes = [db.note(st, 5, *db.around(i, 8)) for i in range(8)]  # 8 × 50 kg, 0.5 m³
	heavy = db.note(st, 40, *db.around(1, 3))  # 400 kg: no van carries it
	nowhere = db.note(st, 1, with_place=False)
	return frappe._dict(clerk=clerk, store=st, vans=vans, notes=notes, heavy=heavy, nowhere=nowhere)


def plan(world, vans=None):
	from wms_tms.api.dispatch import plan as endpoint

	return endpoint(world.store.name, DAY, [{"vehicle": v} for v in (vans or world.vans)])


def test_the_day_is_planned_over_the_vans_within_capacity_and_hours(world):
	from wms_tms.api.dispatch import day

	setup = day(world.store.name, DAY)
	assert [v["vehicle"] for v in setup["vehicles"]] == sorted(world.vans)
	assert setup["open_notes"] == 10
	result = plan(world)
	trips = result["trips"]
	assert len(trips) >= 2, "400 kg of orders do not fit on one 300 kg van"
	planned = [s["delivery_note"] for t in trips for s in t["stops"]]
	assert sorted(planned) == sorted(world.notes)
	for t in trips:
		doc = frappe.get_doc("Delivery Trip", t["trip"])
		assert doc.docstatus == 0 and doc.vehicle == t["vehicle"] and doc.driver
		assert [s.delivery_note for s in doc.delivery_stops] == [s["delivery_note"] for s in t["stops"]]
		weight = sum(
			frappe.db.get_value("Delivery Note", s.delivery_note, "total_net_weight")
			for s in doc.delivery_stops
		)
		assert weight <= 300 and t["weight"] == weight and t["volume"] <= 2
		shift = ("13:00", "18:00") if t["vehicle"] == world.vans[2] else ("08:00", "18:00")
		assert str(doc.departure_time)[11:16] >= shift[0]
		etas = [get_datetime(s.estimated_arrival) for s in doc.delivery_stops]
		assert etas == sorted(etas) and all(getdate(e) == getdate(DAY) for e in etas)
		assert all("09:00" <= str(e)[11:16] <= "18:00" for e in etas)
	unserved = {u["delivery_note"]: u["reason"] for u in result["unserved"]}
	assert unserved == {world.heavy: "too_heavy", world.nowhere: "no_place"}
	assert all(u["reason_label"] for u in result["unserved"])


def test_a_replan_after_an_added_order_and_a_dropped_vehicle_shows_what_moved(world):
	first = plan(world)
	old_trips = {t["vehicle"]: t["trip"] for t in first["trips"]}
	gone = first["trips"][0]["vehicle"]
	added = db.note(world.store, 2, *db.around(3, 8, radius=0.01))
	second = plan(world, [v for v in world.vans if v != gone])
	assert second["replanned"]
	assert gone not in {t["vehicle"] for t in second["trips"]}
	assert not frappe.db.exists("Delivery Trip", old_trips[gone]), "the dropped van's draft trip is gone"
	for t in second["trips"]:  # the vans that stayed keep their trip
		if t["vehicle"] in old_trips:
			assert t["trip"] == old_trips[t["vehicle"]]
	moved = {m["delivery_note"]: m for m in second["moved"]}
	assert moved[added]["kind"] == "added" and moved[added]["before"] is None
	for dn in [s["delivery_note"] for s in first["trips"][0]["stops"]]:
		assert moved[dn]["before"] == gone and moved[dn]["after"] != gone
	# two vans for 420 kg of small orders: what does not fit is unserved for want of room
	on_plan = {s["delivery_note"] for t in second["trips"] for s in t["stops"]}
	unserved = {u["delivery_note"]: u["reason"] for u in second["unserved"]}
	assert on_plan | set(unserved) == set(world.notes) | {added, world.heavy, world.nowhere}
	assert not on_plan & set(unserved)
	for t in second["trips"]:
		assert t["weight"] <= 300


def test_dispatch_submits_the_trips_and_the_notes_leave_the_open_list(world):
	from wms_tms.api.dispatch import day, send

	planned = plan(world)
	names = send(world.store.name, DAY)
	assert sorted(names) == sorted(t["trip"] for t in planned["trips"])
	for n in names:
		assert frappe.db.get_value("Delivery Trip", n, ["docstatus", "status"]) == (1, "Scheduled")
	first_note = planned["trips"][0]["stops"][0]["delivery_note"]
	assert frappe.db.get_value("Delivery Note", first_note, "lr_no") == planned["trips"][0]["trip"]
	assert day(world.store.name, DAY)["open_notes"] == 2  # the heavy one and the one with no place
	with pytest.raises(frappe.ValidationError, match="no planned trip"):
		send(world.store.name, DAY)


def test_bad_requests_are_refused_with_a_reason(world):
	from wms_tms.api.dispatch import plan as endpoint

	with pytest.raises(frappe.ValidationError, match="at least one vehicle"):
		endpoint(world.store.name, DAY, [])
	with pytest.raises(frappe.ValidationError, match="does not exist"):
		endpoint(world.store.name, DAY, [{"vehicle": "<b>nope</b>"}])
	with pytest.raises(frappe.ValidationError, match="chosen twice"):
		endpoint(world.store.name, DAY, [world.vans[0], world.vans[0]])
	with pytest.raises(frappe.ValidationError, match="Warehouse Layout"):
		endpoint(world.store.bin, DAY, [world.vans[0]])


def test_a_user_without_delivery_trip_rights_is_refused(world):
	from wms_tms.api.dispatch import plan as endpoint

	frappe.set_user(world.clerk)
	with pytest.raises(frappe.PermissionError):
		endpoint(world.store.name, DAY, [world.vans[0]])
