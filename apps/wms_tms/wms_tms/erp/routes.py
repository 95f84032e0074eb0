"""Delivery Notes → the core's vehicle router → stops in order with arrival times."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import frappe
from frappe import _
from frappe.utils import flt, get_time

from wms_tms.core import routing
from wms_tms.core.errors import WmsInputError


@dataclass
class PlannedStop:
	delivery_note: str
	address: str
	lat: float
	lng: float
	eta: datetime
	distance_km: float


@dataclass
class TripPlan:
	stops: list[PlannedStop]
	distance_km: float
	unserved: dict[str, str] = field(default_factory=dict)


def _minutes(departure: datetime, hhmm: str, address: str) -> float:
	"""Minutes from departure to an HH:MM time the same day (0 if already past)."""
	try:
		t = get_time(hhmm.strip())
	except Exception:
		frappe.throw(_("Address {0}: receiving time {1!r} is not HH:MM.").format(address, hhmm))
	return max(0.0, (datetime.combine(departure.date(), t) - departure).total_seconds() / 60)


def plan_route(notes: list, vehicle: str, departure: datetime) -> TripPlan:
	"""One vehicle's route through the notes' ship-to addresses, from the store's dispatch point."""
	store = _store_of(notes[0])
	depot = frappe.get_cached_doc("Warehouse Layout", store)
	if not (depot.dispatch_lat and depot.dispatch_lng):
		frappe.throw(_("Warehouse Layout {0} has no dispatch latitude / longitude.").format(store))
	v = frappe.get_cached_doc("Vehicle", vehicle)
	stops, address_of = [], {}
	for dn in notes:
		address = dn.shipping_address_name or dn.customer_address
		if not address:
			frappe.throw(_("Delivery Note {0} has no shipping address.").format(dn.name))
		a = frappe.db.get_value(
			"Address",
			address,
			["th_wms_lat", "th_wms_lng", "th_wms_window_start", "th_wms_window_end"],
			as_dict=True,
		)
		window = None
		if a.th_wms_window_start and a.th_wms_window_end:
			window = (
				_minutes(departure, a.th_wms_window_start, address),
				_minutes(departure, a.th_wms_window_end, address),
			)
		address_of[dn.name] = (address, a)
		stops.append(
			routing.Stop(
				id=dn.name,
				lat=a.th_wms_lat or None,
				lng=a.th_wms_lng or None,
				weight=flt(dn.total_net_weight),
				window=window,
				service=flt(depot.service_minutes) or 10,
			)
		)
	try:
		result = routing.plan(
			(depot.dispatch_lat, depot.dispatch_lng),
			stops,
			[routing.Vehicle(vehicle, flt(v.th_wms_max_weight) or 1e6, flt(v.th_wms_max_volume))],
			road_factor=flt(depot.road_factor) or 1.3,
			speed_kmh=flt(depot.average_speed_kmh) or 30,
		)
	except WmsInputError as e:
		frappe.throw(_("Cannot plan the route: {0}").format(str(e)))
	planned = []
	for route in result.routes:
		for visit in route.visits:
			address, a = address_of[visit.stop]
			planned.append(
				PlannedStop(
					visit.stop,
					address,
					a.th_wms_lat,
					a.th_wms_lng,
					departure + timedelta(minutes=visit.start),
					visit.distance_m / 1000,
				)
			)
	return TripPlan(planned, result.distance_m / 1000, result.unserved)


def _store_of(dn) -> str:
	"""The store (group Warehouse with a Warehouse Layout) the note's first bin belongs to."""
	warehouse = dn.items[0].warehouse
	while warehouse:
		if frappe.db.exists("Warehouse Layout", warehouse):
			return warehouse
		warehouse = frappe.db.get_value("Warehouse", warehouse, "parent_warehouse")
	frappe.throw(_("Delivery Note {0} ships from a warehouse without a Warehouse Layout.").format(dn.name))
