"""Freight Cost: what each Delivery Note's delivery cost, by carrier parcel or by our own trip.

A parcel costs what its carrier's Freight Template expects (stored on the note with its waybill),
next to what the courier's latest bill charged for it. A note on a Delivery Trip costs its share
of the trip (distance × the vehicle's rate per km + driver hours × the driver's rate), shared over
the trip's notes by net weight (wms_tms.erp.freight.order_shares)."""

import frappe
from frappe import _
from frappe.utils import add_days, flt, getdate, nowdate

from wms_tms.erp.freight import order_shares


def execute(filters=None):
	filters = frappe._dict(filters or {})
	frm = getdate(filters.from_date or add_days(nowdate(), -30))
	to = getdate(filters.to_date or add_days(nowdate(), 7))
	rows = []
	if not filters.delivery_trip:
		rows += parcel_rows(frm, to, filters.carrier)
	if not filters.carrier:
		rows += trip_rows(frm, to, filters.delivery_trip)
	parcels = sum(flt(r["cost"]) for r in rows if r["basis"] == _("Parcel"))
	trips = sum(flt(r["cost"]) for r in rows if r["basis"] == _("Own trip"))
	summary = [
		{"value": len(rows), "label": _("Orders"), "datatype": "Int"},
		{"value": parcels, "label": _("Parcel freight"), "datatype": "Currency"},
		{"value": trips, "label": _("Own trips"), "datatype": "Currency"},
	]
	return columns(), rows, None, None, summary


def columns():
	return [
		{
			"fieldname": "delivery_note",
			"label": _("Delivery Note"),
			"fieldtype": "Link",
			"options": "Delivery Note",
			"width": 170,
		},
		{"fieldname": "posting_date", "label": _("Date"), "fieldtype": "Date", "width": 100},
		{
			"fieldname": "customer",
			"label": _("Customer"),
			"fieldtype": "Link",
			"options": "Customer",
			"width": 160,
		},
		{"fieldname": "basis", "label": _("By"), "fieldtype": "Data", "width": 90},
		{
			"fieldname": "delivery_trip",
			"label": _("Delivery Trip"),
			"fieldtype": "Link",
			"options": "Delivery Trip",
			"width": 160,
		},
		{
			"fieldname": "carrier",
			"label": _("Parcel Carrier"),
			"fieldtype": "Link",
			"options": "Parcel Carrier",
			"width": 130,
		},
		{"fieldname": "tracking_no", "label": _("Tracking Number"), "fieldtype": "Data", "width": 140},
		{"fieldname": "weight", "label": _("Weight (kg)"), "fieldtype": "Float", "width": 90},
		{"fieldname": "cost", "label": _("Freight Cost"), "fieldtype": "Currency", "width": 110},
		{"fieldname": "billed", "label": _("Billed by Courier"), "fieldtype": "Currency", "width": 120},
		{"fieldname": "difference", "label": _("Difference"), "fieldtype": "Currency", "width": 100},
	]


def parcel_rows(frm, to, carrier=None):
	filters = {
		"th_wms_waybill_status": "Requested",
		"docstatus": ["<", 2],
		"posting_date": ["between", [frm, to]],
	}
	if carrier:
		filters["th_wms_carrier"] = carrier
	notes = frappe.get_list(
		"Delivery Note",
		filters=filters,
		fields=[
			"name",
			"posting_date",
			"customer",
			"th_wms_carrier",
			"lr_no",
			"th_wms_parcel_weight",
			"total_net_weight",
			"th_wms_freight_expected",
		],
		order_by="posting_date, name",
		limit_page_length=5000,
	)
	billed = latest_billed([n.name for n in notes])
	out = []
	for n in notes:
		bill = billed.get(n.name)
		out.append(
			{
				"delivery_note": n.name,
				"posting_date": n.posting_date,
				"customer": n.customer,
				"basis": _("Parcel"),
				"carrier": n.th_wms_carrier,
				"tracking_no": n.lr_no,
				"weight": flt(n.th_wms_parcel_weight) or flt(n.total_net_weight),
				"cost": flt(n.th_wms_freight_expected),
				"billed": bill,
				"difference": flt(bill) - flt(n.th_wms_freight_expected) if bill is not None else None,
			}
		)
	return out


def latest_billed(notes: list[str]) -> dict[str, float]:
	if not notes:
		return {}
	rows = frappe.get_all(
		"Courier Bill Line",
		filters={"delivery_note": ["in", notes], "parenttype": "Courier Bill"},
		fields=["delivery_note", "billed", "creation"],
		order_by="creation",
	)
	return {r.delivery_note: flt(r.billed) for r in rows}


def trip_rows(frm, to, trip_name=None):
	filters = {"docstatus": ["<", 2], "departure_time": ["between", [f"{frm} 00:00:00", f"{to} 23:59:59"]]}
	if trip_name:
		filters = {"name": trip_name}
	trips = frappe.get_list(
		"Delivery Trip", filters=filters, pluck="name", order_by="departure_time", limit_page_length=1000
	)
	out = []
	for name in trips:
		trip = frappe.get_doc("Delivery Trip", name)
		shares = order_shares(trip)
		info = {
			r.name: r
			for r in frappe.get_all(
				"Delivery Note",
				filters={"name": ["in", [n for n, _s in shares] or [""]]},
				fields=["name", "posting_date", "customer", "total_net_weight"],
			)
		}
		for note, share in shares:
			n = info.get(note) or frappe._dict()
			out.append(
				{
					"delivery_note": note,
					"posting_date": n.posting_date,
					"customer": n.customer,
					"basis": _("Own trip"),
					"delivery_trip": name,
					"weight": flt(n.total_net_weight),
					"cost": float(share),
				}
			)
	return out
