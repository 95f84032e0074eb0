"""Freight on the site: a parcel's expected charge from its carrier's Freight Template, the cost of a
Delivery Trip of our own fleet and each order's share of it, and a courier's bill held against
what we expected. The rules are in core/freight.py and core/courier_bill.py."""

from __future__ import annotations

from decimal import Decimal

import frappe
from frappe import _
from frappe.utils import flt, get_datetime, time_diff_in_hours

from wms_tms.core import courier_bill, freight
from wms_tms.core.errors import WmsInputError


def template(name: str) -> freight.FreightTemplate:
	doc = frappe.get_cached_doc("Freight Template", name)
	return template_of(doc)


def template_of(doc) -> freight.FreightTemplate:
	rates = []
	for row in doc.rates:
		regions = tuple(
			r.strip()
			for r in (row.regions or "").replace("，", ",").replace("\n", ",").split(",")
			if r.strip()
		)
		rates.append(
			freight.RegionRate(
				regions,
				freight.dec(row.first_weight, f"row {row.idx}: first weight"),
				freight.money(row.first_charge),
				freight.money(row.step_charge),
				freight.dec(row.step_weight or 1, f"row {row.idx}: each further"),
			)
		)
	return freight.FreightTemplate(
		tuple(rates),
		freight.dec(doc.volume_divisor or 0, "volume divisor"),
		freight.money(doc.free_above or 0),
	)


def region_of(dn) -> str:
	address = dn.shipping_address_name or dn.customer_address
	return (address and frappe.db.get_value("Address", address, "state")) or ""


def quote_delivery_note(dn, template_name: str) -> freight.Quote:
	weight = flt(dn.get("th_wms_parcel_weight")) or flt(dn.total_net_weight)
	return freight.quote(
		template(template_name),
		region_of(dn),
		weight,
		flt(dn.get("th_wms_parcel_volume")),
		flt(dn.base_net_total),
	)


# ---------------------------------------------------------------- our own fleet


def trip_hours(trip) -> float:
	"""Driver time: from departure to the last stop's arrival (the plan's ETAs)."""
	arrivals = [get_datetime(s.estimated_arrival) for s in trip.delivery_stops if s.estimated_arrival]
	if not trip.departure_time or not arrivals:
		return 0.0
	return max(0.0, round(time_diff_in_hours(max(arrivals), get_datetime(trip.departure_time)), 2))


def trip_cost(trip) -> tuple[float, Decimal]:
	rate_km = flt(trip.vehicle and frappe.db.get_value("Vehicle", trip.vehicle, "th_wms_rate_per_km"))
	rate_h = flt(trip.driver and frappe.db.get_value("Driver", trip.driver, "th_wms_hourly_rate"))
	hours = trip_hours(trip)
	return hours, freight.trip_cost(flt(trip.total_distance), rate_km, hours, rate_h)


def on_trip_validate(doc, method=None) -> None:
	"""doc_events: no parcel on our own trip; the trip's cost on the Delivery Trip as it is planned."""
	from wms_tms.erp.parcels import refuse_parcels_on_trip

	refuse_parcels_on_trip(doc)
	hours, cost = trip_cost(doc)
	doc.th_wms_trip_hours = hours
	doc.th_wms_trip_cost = float(cost)


def order_shares(trip) -> list[tuple[str, Decimal]]:
	"""The trip's cost shared over its Delivery Notes by their net weight (evenly without weights)."""
	notes = list(dict.fromkeys(s.delivery_note for s in trip.delivery_stops if s.delivery_note))
	if not notes:
		return []
	weights = dict(
		frappe.get_all(
			"Delivery Note",
			filters={"name": ["in", notes]},
			fields=["name", "total_net_weight"],
			as_list=True,
		)
	)
	_hours, cost = trip_cost(trip)
	return list(zip(notes, freight.allocate(cost, [flt(weights.get(n)) for n in notes]), strict=True))


# ---------------------------------------------------------------- the courier's bill


def read_file(file_url: str) -> bytes:
	name = frappe.db.get_value("File", {"file_url": file_url})
	if not name:
		frappe.throw(_("The bill file {0} was not found.").format(file_url))
	content = frappe.get_doc("File", name).get_content()
	return content.encode("utf-8") if isinstance(content, str) else content


def expected_charges(carrier: str, tracking_numbers: list[str]) -> dict[str, courier_bill.Expected]:
	if not tracking_numbers:
		return {}
	rows = frappe.get_all(
		"Delivery Note",
		filters={"lr_no": ["in", tracking_numbers], "th_wms_carrier": carrier, "docstatus": ["<", 2]},
		fields=["name", "lr_no", "th_wms_freight_expected", "th_wms_parcel_weight"],
	)
	return {
		r.lr_no: courier_bill.Expected(
			r.lr_no, r.name, freight.money(r.th_wms_freight_expected or 0), r.th_wms_parcel_weight
		)
		for r in rows
	}


def reconcile_bill(doc) -> None:
	"""Fill a Courier Bill's lines from its CSV: matched, over- or undercharged, not ours, refused."""
	try:
		lines, refused = courier_bill.parse(read_file(doc.bill_file))
	except courier_bill.BillFormatError as e:
		frappe.throw(_("The bill cannot be read: {0}").format(e), title=_("Courier Bill"))
	try:
		tolerance = freight.money(doc.tolerance or 0)
	except WmsInputError as e:
		frappe.throw(str(e))
	expected = expected_charges(doc.carrier, [x.tracking_no for x in lines])
	variances = courier_bill.reconcile(lines, expected, tolerance)
	weights = {x.tracking_no: x.weight for x in lines}
	doc.set("lines", [])
	for v in variances:
		doc.append(
			"lines",
			{
				"line_no": v.line_no,
				"tracking_no": v.tracking_no,
				"delivery_note": v.delivery_note or None,
				"billed_weight": float(weights.get(v.tracking_no) or 0),
				"billed": float(v.billed),
				"expected": float(v.expected) if v.expected is not None else None,
				"difference": float(v.difference),
				"status": v.status,
				"reason": _("No Delivery Note of this carrier has this tracking number.")
				if v.status == "Not ours"
				else "",
			},
		)
	for r in refused:
		doc.append(
			"lines",
			{
				"line_no": r.line_no,
				"tracking_no": "",
				"status": "Refused",
				"reason": f"{r.reason}: {r.text[:200]}",
			},
		)
	doc.lines.sort(key=lambda row: row.line_no)
	for i, row in enumerate(doc.lines, start=1):
		row.idx = i
	doc.lines_read = len(lines)
	doc.lines_refused = len(refused)
	doc.variance_count = sum(1 for v in variances if v.status != "Matched")
	doc.billed_total = float(sum((v.billed for v in variances), Decimal(0)))
	doc.expected_total = float(sum((v.expected for v in variances if v.expected is not None), Decimal(0)))
	doc.difference_total = float(Decimal(str(doc.billed_total)) - Decimal(str(doc.expected_total)))
	doc.status = "Variances" if doc.variance_count or refused else "Matched"
