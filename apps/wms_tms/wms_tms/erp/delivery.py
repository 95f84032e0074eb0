"""Delivery Trips planned by the core's router, and what the driver reports at each stop.

Proof of delivery is a File attached to the Delivery Note and noted on the Delivery Stop;
cash on delivery is an ERPNext Payment Entry against the Sales Invoice. The only module of
wms_tms that writes delivery documents.
"""

import frappe
from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry
from frappe import _
from frappe.utils import flt, get_datetime, now_datetime

from wms_tms.erp.routes import plan_route


def plan_trip(delivery_notes: list[str], vehicle: str, driver: str, departure=None):
	"""A submitted Delivery Trip visiting the Delivery Notes' customers in the planned order, with ETAs."""
	departure = get_datetime(departure or now_datetime())
	notes = [frappe.get_doc("Delivery Note", dn) for dn in delivery_notes]
	for dn in notes:
		if dn.docstatus != 1:
			frappe.throw(_("Delivery Note {0} must be submitted before it is planned.").format(dn.name))
	plan = plan_route(notes, vehicle, departure)
	if plan.unserved:
		frappe.throw(
			_("These deliveries cannot be served by {0}: {1}").format(
				vehicle, "; ".join(f"{dn}: {reason}" for dn, reason in plan.unserved.items())
			)
		)
	by_name = {dn.name: dn for dn in notes}
	trip = frappe.get_doc(
		{
			"doctype": "Delivery Trip",
			"company": notes[0].company,
			"vehicle": vehicle,
			"driver": driver,
			"departure_time": departure,
			"total_distance": round(plan.distance_km, 2),
			"delivery_stops": [],
		}
	)
	for stop in plan.stops:
		dn = by_name[stop.delivery_note]
		trip.append(
			"delivery_stops",
			{
				"customer": dn.customer,
				"address": stop.address,
				"delivery_note": dn.name,
				"grand_total": dn.grand_total,
				"lat": stop.lat,
				"lng": stop.lng,
				"estimated_arrival": stop.eta,
				"distance": round(stop.distance_km, 2),
			},
		)
	trip.insert()
	trip.submit()
	return trip


def expected_cash(delivery_note: str) -> tuple[str | None, float]:
	"""The Sales Invoice of a cash-on-delivery note and what is still owed on it (None, 0 if not COD)."""
	if not frappe.db.get_value("Delivery Note", delivery_note, "th_cod"):
		return None, 0.0
	invoice = frappe.db.get_value(
		"Sales Invoice Item", {"delivery_note": delivery_note, "docstatus": 1}, "parent"
	)
	if not invoice:
		frappe.throw(
			_("Delivery Note {0} is cash on delivery but has no submitted invoice.").format(delivery_note)
		)
	return invoice, flt(frappe.db.get_value("Sales Invoice", invoice, "outstanding_amount"))


def mark_delivered(stop_name: str, recipient: str, proof_file_url: str | None, cash_collected: float | None):
	"""Close one stop: who received it, the proof, and the cash taken (as a Payment Entry)."""
	stop = frappe.get_doc("Delivery Stop", stop_name)
	trip = frappe.get_doc("Delivery Trip", stop.parent)
	stop = trip.getone("delivery_stops", {"name": stop_name})
	if trip.docstatus != 1:
		frappe.throw(_("Delivery Trip {0} is not scheduled.").format(trip.name))
	if stop.visited:
		return frappe._dict(stop=stop.name, already=True, payment_entry=stop.th_wms_payment_entry)
	if not (recipient or "").strip():
		frappe.throw(_("Say who received the goods."))
	invoice, owed = expected_cash(stop.delivery_note)
	payment_entry = None
	if invoice:
		collected = flt(cash_collected)
		if collected <= 0:
			frappe.throw(
				_("This is a cash-on-delivery order: enter the cash collected ({0} due).").format(owed)
			)
		if collected > owed + 0.005:
			frappe.throw(_("Collected {0} is more than the {1} due on {2}.").format(collected, owed, invoice))
		payment_entry = record_cash(invoice, collected, trip.name)
	stop.visited = 1
	stop.th_wms_delivered_at = now_datetime()
	stop.th_wms_recipient = recipient.strip()
	if proof_file_url:
		stop.th_wms_pod_file = proof_file_url
	if payment_entry:
		stop.th_wms_cod_amount = flt(cash_collected)
		stop.th_wms_payment_entry = payment_entry
	trip.flags.ignore_validate_update_after_submit = True
	trip.save(ignore_permissions=True)
	return frappe._dict(stop=stop.name, already=False, payment_entry=payment_entry)


def record_cash(invoice: str, amount: float, trip: str) -> str:
	"""A submitted Payment Entry (ERPNext's own, from the invoice) for the cash the driver took.

	The driver is no accounts user: the endpoint has checked the stop is theirs, so ERPNext's
	payment code runs as Administrator; the remarks name the driver.
	"""
	driver_user = frappe.session.user
	frappe.set_user("Administrator")
	try:
		pe = get_payment_entry("Sales Invoice", invoice, party_amount=amount)
		cash = frappe.db.get_value("Mode of Payment", {"type": "Cash", "enabled": 1})
		if cash:
			pe.mode_of_payment = cash
		pe.paid_amount = amount
		pe.received_amount = amount
		for ref in pe.references:
			ref.allocated_amount = min(flt(ref.outstanding_amount), amount)
		pe.reference_no = trip
		pe.reference_date = now_datetime().date()
		pe.remarks = _("Cash collected on delivery by {0}, trip {1}").format(driver_user, trip)
		pe.insert()
		pe.submit()
	finally:
		frappe.set_user(driver_user)
	return pe.name


def attach_proof(delivery_note: str, filename: str, content: bytes) -> str:
	"""Store the photo or signature as a private File attached to the Delivery Note."""
	f = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": filename,
			"attached_to_doctype": "Delivery Note",
			"attached_to_name": delivery_note,
			"is_private": 1,
		}
	)
	f.content = content
	f.insert(ignore_permissions=True)
	return f.file_url
