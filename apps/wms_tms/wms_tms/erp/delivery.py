"""Delivery Trips planned by the core's router, and what the driver reports at each stop.

Proof of delivery is a File attached to the Delivery Note and noted on the Delivery Stop;
cash on delivery is an ERPNext Payment Entry against the Sales Invoice. The only module of
wms_tms that writes delivery documents.
"""

import re
from contextlib import contextmanager

import frappe
from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry
from frappe import _
from frappe.contacts.doctype.address.address import get_address_display
from frappe.utils import flt, get_datetime, now_datetime, strip_html

from wms_tms.core.cod import cash_taken
from wms_tms.core.errors import WmsInputError
from wms_tms.core.proof import check_image
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
				"customer_address": address_text(stop.address),
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


def address_text(address: str | None) -> str | None:
	"""ERPNext's address display for a stop with every tag but the line breaks removed: the desk's
	Delivery Trip shows it as HTML, and Frappe's sanitiser keeps tags such as <img> a buyer may type."""
	if not address:
		return None
	display = get_address_display(frappe.get_doc("Address", address).as_dict()) or ""
	lines = re.split(r"<br\s*/?>", display, flags=re.IGNORECASE)
	return "<br>\n".join(text for line in lines if (text := strip_html(line).strip())) or None


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


def close_stop(
	stop_name: str, driver: str, recipient: str, proof: bytes | None, cash_collected
) -> frappe._dict:
	"""Close one stop of the driver's: who received it, the proof, and the cash taken (a Payment Entry).

	The trip's row and then the stop's row are locked (SELECT … FOR UPDATE; always in that order, as
	Frappe's own save of the trip does) and every check runs on what the locks return, before anything
	is stored: a second request for the same stop waits, then finds it delivered and stores nothing.
	The driver has no desk rights on Delivery Trip, Payment Entry or File; the writes below pass
	ignore_permissions only after the stop is established as theirs and open.
	"""
	trip_name = frappe.db.get_value(
		"Delivery Stop", {"name": stop_name, "parenttype": "Delivery Trip"}, "parent"
	)
	trip = trip_name and frappe.db.get_value(
		"Delivery Trip", trip_name, ["name", "driver", "docstatus"], as_dict=True, for_update=True
	)
	if not trip or trip.driver != driver:
		frappe.throw(_("This stop is not on one of your trips."), frappe.PermissionError)
	if trip.docstatus != 1:
		frappe.throw(_("Delivery Trip {0} is not scheduled.").format(trip.name))
	stop = frappe.db.get_value(
		"Delivery Stop",
		stop_name,
		["name", "visited", "delivery_note", "th_wms_payment_entry"],
		as_dict=True,
		for_update=True,
	)
	if stop.visited:
		return frappe._dict(stop=stop.name, already=True, payment_entry=stop.th_wms_payment_entry)
	recipient = strip_html(recipient or "").strip()  # plain text: the desk grid shows it as HTML
	if not recipient:
		frappe.throw(_("Say who received the goods."))
	if len(recipient) > 140:
		frappe.throw(_("The name of who received the goods is too long."))
	picture = None
	if proof is not None:
		try:
			picture = check_image(proof)
		except WmsInputError:
			frappe.throw(_("The proof must be a photo or signature image (png, jpg, webp) of at most 5 MB."))
	invoice, owed = expected_cash(stop.delivery_note) if stop.delivery_note else (None, 0.0)
	amount = None
	if invoice:
		try:
			amount = float(cash_taken(cash_collected, owed, stop.name))
		except WmsInputError:
			frappe.throw(
				_(
					"This is a cash-on-delivery order: enter the cash collected, above zero and at most the {0} due."
				).format(owed)
			)
	# checked; now store, under the locks
	values = {"visited": 1, "th_wms_delivered_at": now_datetime(), "th_wms_recipient": recipient}
	if picture:
		values["th_wms_pod_file"] = attach_proof(
			stop.delivery_note, f"pod-{stop.name}.{picture.extension}", proof
		)
	if amount:
		values["th_wms_cod_amount"] = amount
		values["th_wms_payment_entry"] = record_cash(invoice, amount, trip.name, driver)
	frappe.db.set_value("Delivery Stop", stop.name, values)
	update_trip_status(trip.name)
	return frappe._dict(stop=stop.name, already=False, payment_entry=values.get("th_wms_payment_entry"))


def update_trip_status(trip: str) -> str:
	"""ERPNext's rule (DeliveryTrip.update_status) on the stops as they are now: a locking read, so a
	stop another request closed a moment ago counts."""
	visited = [
		v
		for (v,) in frappe.db.sql(
			"""select visited from `tabDelivery Stop`
			where parent = %s and parenttype = 'Delivery Trip' for update""",
			trip,
		)
	]
	status = "Completed" if visited and all(visited) else "In Transit" if any(visited) else "Scheduled"
	frappe.db.set_value("Delivery Trip", trip, "status", status)
	return status


@contextmanager
def erpnext_payment_rights():
	"""ERPNext builds a Payment Entry only for a user with rights on it: `get_payment_entry` and the
	entry's `set_missing_values` call `get_account_details`, which checks
	`frappe.has_permission("Payment Entry")` and lists the Account as that user, with no
	ignore_permissions path. A driver has no such rights. For building and posting this one entry the
	session's user reads as Administrator; unlike frappe.set_user this keeps the request's session
	data, form_dict and caches, and the user is restored however the block ends."""
	session = frappe.local.session
	driver_user = session.user
	session.user = "Administrator"
	try:
		yield driver_user
	finally:
		session.user = driver_user


def record_cash(invoice: str, amount: float, trip: str, driver: str) -> str:
	"""A submitted Payment Entry (ERPNext's own, from the invoice) for the cash the driver took.

	close_stop() has checked, under the stop's row lock, that the stop is the driver's, open and owes
	at least this much; the entry is written with ignore_permissions, the remarks name the driver.
	"""
	with erpnext_payment_rights():
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
		pe.remarks = _("Cash collected on delivery by driver {0}, trip {1}").format(driver, trip)
		pe.flags.ignore_permissions = True
		pe.insert()
		pe.submit()
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
