"""Dispatch a day: a store's open Delivery Notes planned over its Vehicles at once, as one draft
ERPNext Delivery Trip per vehicle (stops in order with ETAs), re-planned in place, then dispatched
(submitted) for the drivers.

The plan's state is the draft trips themselves (marked with `th_wms_day_plan` = "<store>|<day>"):
no second copy. A Delivery Note is open for a day when it is submitted, not a return, not closed,
posted on or before the day (and due again by then if a delivery failed), ships from the store's
bins, and is on no submitted trip (ERPNext writes `lr_no` on submit and clears it on cancel; a
failed stop clears it too) nor on another day's draft plan.
"""

import re
from datetime import datetime, timedelta

import frappe
from frappe import _
from frappe.utils import cint, flt, getdate, strip_html

from wms_tms.core import dispatch
from wms_tms.core.errors import WmsInputError

DEFAULT_SHIFT = ("08:00", "18:00")
NO_ADDRESS, BAD_HOURS = "no_address", "bad_hours"


def reason_label(code: str) -> str:
	return {
		dispatch.NO_PLACE: _("The address has no map position (latitude / longitude)"),
		dispatch.TOO_HEAVY: _("Heavier than any vehicle carries"),
		dispatch.TOO_BIG: _("Bulkier than any vehicle holds"),
		dispatch.WINDOW: _("The receiving hours close before a vehicle can get there"),
		dispatch.TOO_FAR: _("Too far to reach and return within a shift"),
		dispatch.NO_ROOM: _("No room left: the vehicles are full or their shifts are used up"),
		NO_ADDRESS: _("The Delivery Note has no shipping address"),
		BAD_HOURS: _("The address's receiving hours are not HH:MM"),
	}.get(code, code)


def plan_key(store: str, day) -> str:
	return f"{store}|{getdate(day)}"


def _minutes(hhmm: str | None) -> float | None:
	"""Minutes from midnight of an HH:MM text; None if empty; ValueError if not a time."""
	if not hhmm or not str(hhmm).strip():
		return None
	m = re.fullmatch(r"(\d{1,2}):(\d{2})(?::\d{2})?", str(hhmm).strip())
	if not m or int(m.group(1)) > 24 or int(m.group(2)) > 59:
		raise ValueError(hhmm)
	return int(m.group(1)) * 60 + int(m.group(2))


def _layout(store: str):
	if not store or not frappe.db.exists("Warehouse Layout", store):
		frappe.throw(_("Choose a store that has a Warehouse Layout (its dispatch point)."))
	layout = frappe.get_cached_doc("Warehouse Layout", store)
	if not (layout.dispatch_lat and layout.dispatch_lng):
		frappe.throw(_("Warehouse Layout {0} has no dispatch latitude / longitude.").format(store))
	return layout


def open_notes(store: str, day) -> list[frappe._dict]:
	"""The store's Delivery Notes open for delivery on `day` (see the module's note), oldest first,
	with weight, volume and ship-to address."""
	day = getdate(day)
	lft, rgt = frappe.db.get_value("Warehouse", store, ["lft", "rgt"])
	key = plan_key(store, day)
	return frappe.db.sql(
		"""select dn.name, dn.customer, dn.customer_name, dn.company, dn.grand_total,
			coalesce(nullif(dn.shipping_address_name, ''), dn.customer_address) as address,
			dn.total_net_weight as weight,
			(select coalesce(sum(i.stock_qty * coalesce(it.th_wms_volume, 0)), 0)
				from `tabDelivery Note Item` i join `tabItem` it on it.name = i.item_code
				where i.parent = dn.name) as volume
		from `tabDelivery Note` dn
		where dn.docstatus = 1 and dn.is_return = 0 and dn.status not in ('Closed', 'Cancelled')
			and coalesce(dn.lr_no, '') = '' and dn.posting_date <= %(day)s
			and (dn.th_wms_redeliver_on is null or dn.th_wms_redeliver_on <= %(day)s)
			and exists (select 1 from `tabDelivery Note Item` i join `tabWarehouse` w on w.name = i.warehouse
				where i.parent = dn.name and w.lft >= %(lft)s and w.rgt <= %(rgt)s)
			and not exists (select 1 from `tabDelivery Stop` s join `tabDelivery Trip` t on t.name = s.parent
				where s.parenttype = 'Delivery Trip' and s.delivery_note = dn.name and t.docstatus = 0
				and coalesce(t.th_wms_day_plan, '') != %(key)s)
		order by dn.posting_date, dn.name""",
		{"day": day, "lft": lft, "rgt": rgt, "key": key},
		as_dict=True,
	)


def vehicles_of(store: str) -> list[frappe._dict]:
	"""The vehicles based at the store; if none is, those based nowhere (a site that has not said)."""
	fields = ["name", "license_plate", "th_wms_max_weight", "th_wms_max_volume", "th_wms_driver"]
	rows = frappe.get_all("Vehicle", filters={"th_wms_store": store}, fields=fields, order_by="name")
	if not rows:
		rows = frappe.get_all(
			"Vehicle", filters={"th_wms_store": ("is", "not set")}, fields=fields, order_by="name"
		)
	return rows


def _shift(driver: str | None) -> tuple[str, str]:
	if not driver:
		return DEFAULT_SHIFT
	start, end = frappe.db.get_value("Driver", driver, ["th_wms_shift_start", "th_wms_shift_end"]) or (
		None,
		None,
	)
	return (start or DEFAULT_SHIFT[0], end or DEFAULT_SHIFT[1])


def day_setup(store: str, day) -> dict:
	"""What the desk page shows before planning: the store's dispatch point, its vehicles with their
	usual driver and shift, the active drivers, the day's open notes, and the plan so far."""
	layout = _layout(store)
	day = getdate(day)
	vehicles = []
	for v in vehicles_of(store):
		start, end = _shift(v.th_wms_driver)
		vehicles.append(
			{
				"vehicle": v.name,
				"max_weight": flt(v.th_wms_max_weight),
				"max_volume": flt(v.th_wms_max_volume),
				"driver": v.th_wms_driver,
				"shift": f"{start}–{end}",
			}
		)
	drivers = frappe.get_all(
		"Driver",
		filters={"status": "Active"},
		fields=["name", "full_name", "th_wms_shift_start", "th_wms_shift_end"],
		order_by="full_name",
	)
	return {
		"store": store,
		"day": str(day),
		"depot": {"lat": layout.dispatch_lat, "lng": layout.dispatch_lng},
		"vehicles": vehicles,
		"drivers": [
			{
				"driver": d.name,
				"name": d.full_name,
				"shift": f"{d.th_wms_shift_start or DEFAULT_SHIFT[0]}–{d.th_wms_shift_end or DEFAULT_SHIFT[1]}",
			}
			for d in drivers
		],
		"open_notes": len(open_notes(store, day)),
		"plan": plan_view(store, day),
		"tile_url": frappe.conf.get("wms_tms_map_tile_url") or "",
	}


def draft_trips(store: str, day) -> list:
	names = frappe.get_all(
		"Delivery Trip",
		filters={"th_wms_day_plan": plan_key(store, day), "docstatus": 0},
		pluck="name",
		order_by="name",
	)
	return [frappe.get_doc("Delivery Trip", n) for n in names]


def _sequence(trips) -> dict[str, list[str]]:
	return {t.vehicle: [s.delivery_note for s in t.delivery_stops] for t in trips}


def plan_day(store: str, day, vehicles: list[dict]) -> dict:
	"""Plan (or re-plan) the store's day over the chosen vehicles ({vehicle, driver}): one draft
	Delivery Trip per vehicle that goes out, the unserved notes with their reason, and what moved
	since the previous plan of the same day."""
	began = datetime.now()
	layout = _layout(store)
	day = getdate(day)
	chosen = _chosen(vehicles)
	# one planner per store at a time: a second waits here, then reads the first one's trips
	frappe.db.get_value("Warehouse", store, "name", for_update=True)
	before_trips = draft_trips(store, day)
	before = _sequence(before_trips)
	notes = open_notes(store, day)
	deliveries, early_unserved, by_name = _deliveries(notes, layout)
	trucks = []
	for c in chosen:
		start, end = _shift(c.driver)
		try:
			shift = (_minutes(start), _minutes(end))
		except ValueError:
			frappe.throw(_("Driver {0}: the shift {1}–{2} is not HH:MM.").format(c.driver, start, end))
		trucks.append(dispatch.Truck(c.vehicle, c.max_weight or 1e6, c.max_volume, shift))
	try:
		result = dispatch.plan_day(
			(layout.dispatch_lat, layout.dispatch_lng),
			deliveries,
			trucks,
			road_factor=flt(layout.road_factor) or 1.3,
			speed_kmh=flt(layout.average_speed_kmh) or 30,
		)
	except WmsInputError as e:
		frappe.throw(_("Cannot plan the day: {0}").format(str(e)))
	solved = (datetime.now() - began).total_seconds()
	texts = _address_texts([by_name[v.stop].address for r in result.routes for v in r.visits])
	midnight = datetime.combine(day, datetime.min.time())
	driver_of = {c.vehicle: c.driver for c in chosen}
	kept = {t.vehicle: t for t in before_trips}
	saved = []
	for r in result.routes:
		trip = kept.pop(r.vehicle, None) or frappe.new_doc("Delivery Trip")
		trip.update(
			{
				"company": by_name[r.visits[0].stop].company,
				"vehicle": r.vehicle,
				"driver": driver_of.get(r.vehicle),
				"departure_time": midnight + timedelta(minutes=r.depart),
				"total_distance": round(r.distance_m / 1000, 2),
				"th_wms_day_plan": plan_key(store, day),
			}
		)
		trip.set("delivery_stops", [])
		for v in r.visits:
			dn = by_name[v.stop]
			trip.append(
				"delivery_stops",
				{
					"customer": dn.customer,
					"address": dn.address,
					"customer_address": texts.get(dn.address),
					"delivery_note": dn.name,
					"grand_total": dn.grand_total,
					"lat": dn.lat,
					"lng": dn.lng,
					"estimated_arrival": midnight + timedelta(minutes=v.start),
					"distance": round(v.distance_m / 1000, 2),
				},
			)
		trip.save()
		saved.append(trip)
	for gone in kept.values():  # a vehicle that dropped out, or has nothing left to carry
		frappe.delete_doc("Delivery Trip", gone.name)
	after = {r.vehicle: [v.stop for v in r.visits] for r in result.routes}
	unserved = early_unserved + [(u.delivery, u.reason, u.detail) for u in result.unserved]
	view = plan_view(store, day, saved)
	view.update(
		{
			"moved": [
				{
					"delivery_note": m.delivery,
					"kind": m.kind,
					"before": m.before,
					"after": m.after,
					"position_before": m.position_before,
					"position_after": m.position_after,
					"customer": by_name[m.delivery].customer_name if m.delivery in by_name else "",
				}
				for m in dispatch.moves(before, after)
			],
			"unserved": [
				{
					"delivery_note": dn,
					"customer": by_name[dn].customer_name,
					"reason": code,
					"reason_label": reason_label(code),
					"detail": detail,
				}
				for dn, code, detail in unserved
			],
			"replanned": bool(before_trips),
			"seconds_solving": round(solved, 2),
			"seconds": round((datetime.now() - began).total_seconds(), 2),
		}
	)
	return view


def _address_texts(names: list[str]) -> dict[str, str]:
	"""{address: its lines as plain text joined by <br>} for the stops, in one query (200 stops: ERPNext's
	template rendered per address took seconds). Plain text: Frappe's sanitiser keeps tags such as
	<img> a buyer may type, and the desk shows this field as HTML."""
	fields = ["address_line1", "address_line2", "city", "county", "state", "pincode", "country"]
	out = {}
	for a in frappe.get_all(
		"Address", filters={"name": ("in", list(set(names)) or [""])}, fields=["name", *fields]
	):
		lines = [strip_html(str(a.get(f) or "")).strip() for f in fields]
		out[a.name] = "<br>\n".join(x for x in lines if x) or None
	return out


def _chosen(vehicles) -> list[frappe._dict]:
	if isinstance(vehicles, str):
		vehicles = frappe.parse_json(vehicles)
	if not isinstance(vehicles, list) or not vehicles:
		frappe.throw(_("Choose at least one vehicle."))
	out, seen = [], set()
	for row in vehicles:
		row = frappe._dict(row if isinstance(row, dict) else {"vehicle": row})
		name = row.vehicle
		if not name or not frappe.db.exists("Vehicle", name):
			frappe.throw(_("Vehicle {0} does not exist.").format(frappe.utils.escape_html(str(name))))
		if name in seen:
			frappe.throw(_("Vehicle {0} is chosen twice.").format(name))
		seen.add(name)
		v = frappe.db.get_value(
			"Vehicle", name, ["th_wms_max_weight", "th_wms_max_volume", "th_wms_driver"], as_dict=True
		)
		driver = row.driver or v.th_wms_driver
		if driver and frappe.db.get_value("Driver", driver, "status") != "Active":
			frappe.throw(
				_("Driver {0} is not an active driver.").format(frappe.utils.escape_html(str(driver)))
			)
		out.append(
			frappe._dict(
				vehicle=name,
				driver=driver,
				max_weight=flt(v.th_wms_max_weight),
				max_volume=flt(v.th_wms_max_volume),
			)
		)
	return out


def _deliveries(notes, layout):
	"""Core deliveries for the notes with an address; the others unserved with their reason."""
	addresses = {n.address for n in notes if n.address}
	info = {
		a.name: a
		for a in frappe.get_all(
			"Address",
			filters={"name": ("in", list(addresses) or [""])},
			fields=[
				"name",
				"th_wms_lat",
				"th_wms_lng",
				"th_wms_window_start",
				"th_wms_window_end",
				"th_wms_service_minutes",
			],
		)
	}
	service = flt(layout.service_minutes) or 10
	deliveries, unserved, by_name = [], [], {}
	for n in notes:
		by_name[n.name] = n
		a = info.get(n.address)
		if not a:
			unserved.append((n.name, NO_ADDRESS, ""))
			continue
		n.lat, n.lng = (a.th_wms_lat or None), (a.th_wms_lng or None)
		try:
			opens, closes = _minutes(a.th_wms_window_start), _minutes(a.th_wms_window_end)
		except ValueError:
			unserved.append((n.name, BAD_HOURS, f"{a.th_wms_window_start}–{a.th_wms_window_end}"))
			continue
		window = (opens, closes) if opens is not None and closes is not None else None
		if window and window[1] < window[0]:
			unserved.append((n.name, BAD_HOURS, f"{a.th_wms_window_start}–{a.th_wms_window_end}"))
			continue
		deliveries.append(
			dispatch.Delivery(
				n.name,
				n.lat,
				n.lng,
				weight=max(flt(n.weight), 0.0),
				volume=max(flt(n.volume), 0.0),
				window=window,
				service=cint(a.th_wms_service_minutes) or service,
			)
		)
	return deliveries, unserved, by_name


def plan_view(store: str, day, trips=None) -> dict:
	"""The day's draft trips as the page draws them: vehicles, drivers, stops in order with ETAs,
	loads against capacities, coordinates for the map."""
	trips = draft_trips(store, day) if trips is None else sorted(trips, key=lambda t: t.name)
	notes = [s.delivery_note for t in trips for s in t.delivery_stops if s.delivery_note]
	loads = {
		r.name: r
		for r in frappe.db.sql(
			"""select dn.name, dn.customer_name, dn.total_net_weight as weight,
				(select coalesce(sum(i.stock_qty * coalesce(it.th_wms_volume, 0)), 0)
					from `tabDelivery Note Item` i join `tabItem` it on it.name = i.item_code
					where i.parent = dn.name) as volume
			from `tabDelivery Note` dn where dn.name in %(notes)s""",
			{"notes": notes or [""]},
			as_dict=True,
		)
	}
	out = []
	for t in trips:
		cap = frappe.db.get_value("Vehicle", t.vehicle, ["th_wms_max_weight", "th_wms_max_volume"]) or (0, 0)
		stops = []
		for s in t.delivery_stops:
			load = loads.get(s.delivery_note) or frappe._dict()
			stops.append(
				{
					"delivery_note": s.delivery_note,
					"customer": load.customer_name or s.customer,
					"lat": s.lat,
					"lng": s.lng,
					"eta": str(s.estimated_arrival)[11:16] if s.estimated_arrival else "",
					"weight": round(flt(load.weight), 3),
					"volume": round(flt(load.volume), 4),
				}
			)
		out.append(
			{
				"trip": t.name,
				"vehicle": t.vehicle,
				"driver": t.driver,
				"driver_name": t.driver_name,
				"departure": str(t.departure_time)[11:16],
				"distance_km": t.total_distance,
				"weight": round(sum(s["weight"] for s in stops), 3),
				"volume": round(sum(s["volume"] for s in stops), 4),
				"max_weight": flt(cap[0]),
				"max_volume": flt(cap[1]),
				"stops": stops,
			}
		)
	return {"store": store, "day": str(getdate(day)), "trips": out}


def dispatch_day(store: str, day) -> list[str]:
	"""Submit the day's draft trips: the drivers see them on /driver, ERPNext notes the trip on each
	Delivery Note. A trip without a driver is refused before anything is submitted."""
	trips = draft_trips(store, day)
	if not trips:
		frappe.throw(_("There is no planned trip to dispatch for this store and day."))
	missing = [t.vehicle for t in trips if not t.driver]
	if missing:
		frappe.throw(_("Choose a driver for {0} before dispatching.").format(", ".join(missing)))
	for t in trips:
		t.submit()
	return [t.name for t in trips]
