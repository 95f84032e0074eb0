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
from frappe.utils import add_days, flt, get_datetime, now_datetime, nowdate, strip_html

from wms_tms.core.cod import cash_taken
from wms_tms.core.errors import WmsInputError
from wms_tms.core.proof import check_image, check_signature
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


FAIL_REASONS = ("Not home", "Refused", "Wrong address")


def _open_stop(stop_name: str, driver: str) -> tuple[frappe._dict, frappe._dict]:
	"""The trip and stop rows, locked (trip first, as Frappe's own save of the trip does), after
	checking that the stop is on one of this driver's submitted trips."""
	trip_name = frappe.db.get_value(
		"Delivery Stop", {"name": stop_name, "parenttype": "Delivery Trip"}, "parent"
	)
	trip = trip_name and frappe.db.get_value(
		"Delivery Trip",
		trip_name,
		["name", "driver", "docstatus", "company"],
		as_dict=True,
		for_update=True,
	)
	if not trip or trip.driver != driver:
		frappe.throw(_("This stop is not on one of your trips."), frappe.PermissionError)
	if trip.docstatus != 1:
		frappe.throw(_("Delivery Trip {0} is not scheduled.").format(trip.name))
	stop = frappe.db.get_value(
		"Delivery Stop",
		stop_name,
		["name", "visited", "delivery_note", "th_wms_payment_entry", "th_wms_outcome"],
		as_dict=True,
		for_update=True,
	)
	return trip, stop


def _checked_image(content: bytes | None, check, message: str):
	if content is None:
		return None
	try:
		return check(content)
	except WmsInputError:
		frappe.throw(message)


def cash_due(delivery_notes: list[str]) -> dict[str, float]:
	"""{delivery note: still owed on its invoice} for the cash-on-delivery notes among these, in a few
	queries whatever their number (the driver's page lists every open stop)."""
	if not delivery_notes:
		return {}
	cod = frappe.get_all("Delivery Note", filters={"name": ("in", delivery_notes), "th_cod": 1}, pluck="name")
	if not cod:
		return {}
	invoice_of = {
		r.delivery_note: r.parent
		for r in frappe.get_all(
			"Sales Invoice Item",
			filters={"delivery_note": ("in", cod), "docstatus": 1},
			fields=["delivery_note", "parent"],
		)
	}
	owed = dict(
		frappe.get_all(
			"Sales Invoice",
			filters={"name": ("in", list(set(invoice_of.values())) or [""])},
			fields=["name", "outstanding_amount"],
			as_list=True,
		)
	)
	return {dn: flt(owed.get(invoice_of.get(dn))) for dn in cod}


def close_stop(
	stop_name: str,
	driver: str,
	recipient: str,
	proof: bytes | None,
	cash_collected,
	signature: bytes | None = None,
) -> frappe._dict:
	"""Close one stop of the driver's: who received it, a photo, a signature drawn on the screen,
	and the cash taken (a Payment Entry into the driver's cash account).

	The trip's row and then the stop's row are locked (SELECT … FOR UPDATE; always in that order, as
	Frappe's own save of the trip does) and every check runs on what the locks return, before anything
	is stored: a second request for the same stop waits, then finds it delivered and stores nothing.
	The driver has no desk rights on Delivery Trip, Payment Entry or File; the writes below pass
	ignore_permissions only after the stop is established as theirs and open.
	"""
	trip, stop = _open_stop(stop_name, driver)
	if stop.visited:
		return frappe._dict(
			stop=stop.name,
			already=True,
			outcome=stop.th_wms_outcome or "Delivered",
			payment_entry=stop.th_wms_payment_entry,
		)
	recipient = strip_html(recipient or "").strip()  # plain text: the desk grid shows it as HTML
	if not recipient:
		frappe.throw(_("Say who received the goods."))
	if len(recipient) > 140:
		frappe.throw(_("The name of who received the goods is too long."))
	picture = _checked_image(
		proof,
		check_image,
		_("The proof must be a photo or signature image (png, jpg, webp) of at most 5 MB."),
	)
	signed = _checked_image(
		signature,
		check_signature,
		_("The signature must be drawn on the screen (a png image with a signature on it)."),
	)
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
	values = {
		"visited": 1,
		"th_wms_outcome": "Delivered",
		"th_wms_delivered_at": now_datetime(),
		"th_wms_recipient": recipient,
		"th_wms_cod_expected": owed,
	}
	if picture:
		values["th_wms_pod_file"] = attach_proof(
			stop.delivery_note, f"pod-{stop.name}.{picture.extension}", proof
		)
	if signed:
		values["th_wms_signature_file"] = attach_proof(stop.delivery_note, f"sign-{stop.name}.png", signature)
	if amount:
		values["th_wms_cod_amount"] = amount
		values["th_wms_payment_entry"] = record_cash(invoice, amount, trip.name, driver, trip.company)
	frappe.db.set_value("Delivery Stop", stop.name, values)
	update_trip_status(trip.name)
	return frappe._dict(
		stop=stop.name,
		already=False,
		outcome="Delivered",
		payment_entry=values.get("th_wms_payment_entry"),
	)


def fail_stop(stop_name: str, driver: str, reason: str, note: str | None = None) -> frappe._dict:
	"""A delivery that could not be made: the stop is visited with its reason, and the Delivery Note
	leaves the trip (ERPNext's transporter fields emptied) to be delivered again from the next day.

	Locks and checks as close_stop does; a stop already closed is answered as it was closed."""
	if reason not in FAIL_REASONS:
		frappe.throw(_("Choose why the delivery failed: not home, refused or wrong address."))
	note = strip_html(note or "").strip()
	if len(note) > 500:
		frappe.throw(_("The note is too long (at most 500 characters)."))
	trip, stop = _open_stop(stop_name, driver)
	if stop.visited:
		return frappe._dict(stop=stop.name, already=True, outcome=stop.th_wms_outcome or "Delivered")
	again = add_days(nowdate(), 1)
	frappe.db.set_value(
		"Delivery Stop",
		stop.name,
		{
			"visited": 1,
			"th_wms_outcome": "Failed",
			"th_wms_fail_reason": reason,
			"th_wms_fail_note": note or None,
			"th_wms_delivered_at": now_datetime(),
			"th_wms_reschedule_on": again,
		},
	)
	if stop.delivery_note:
		attempts = frappe.db.get_value("Delivery Note", stop.delivery_note, "th_wms_failed_attempts") or 0
		frappe.db.set_value(
			"Delivery Note",
			stop.delivery_note,
			{
				"th_wms_redeliver_on": again,
				"th_wms_failed_attempts": attempts + 1,
				# off this trip: ERPNext's Delivery Trip wrote these on submit (update_delivery_notes)
				"lr_no": None,
				"lr_date": None,
				"driver": None,
				"driver_name": None,
				"vehicle_no": None,
			},
		)
	update_trip_status(trip.name)
	return frappe._dict(stop=stop.name, already=False, outcome="Failed", reschedule_on=str(again))


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


def driver_cash_account(driver: str, company: str) -> str:
	"""The driver's own cash account, where cash on delivery waits until it is handed over: the one on
	the Driver if it is of this company, else a new Cash account beside the company's default cash
	account (made once; the Driver's row is locked meanwhile)."""
	account = frappe.db.get_value("Driver", driver, "th_wms_cash_account", for_update=True)
	if account and frappe.db.get_value("Account", account, "company") == company:
		return account
	default_cash = frappe.get_cached_value("Company", company, "default_cash_account")
	parent = default_cash and frappe.db.get_value("Account", default_cash, "parent_account")
	if not parent:
		parent = frappe.db.get_value(
			"Account", {"company": company, "account_type": "Cash", "is_group": 1}, "name"
		) or frappe.db.get_value(
			"Account",
			{"company": company, "root_type": "Asset", "is_group": 1, "parent_account": ("is", "set")},
		)
	acc = frappe.get_doc(
		{
			"doctype": "Account",
			"account_name": f"Driver Cash {driver}",
			"company": company,
			"parent_account": parent,
			"account_type": "Cash",
			"account_currency": frappe.get_cached_value("Company", company, "default_currency"),
		}
	)
	acc.flags.ignore_permissions = True
	acc.insert()
	frappe.db.set_value("Driver", driver, "th_wms_cash_account", acc.name)
	return acc.name


def record_cash(invoice: str, amount: float, trip: str, driver: str, company: str | None = None) -> str:
	"""A submitted Payment Entry (ERPNext's own, from the invoice) for the cash the driver took, paid
	into the driver's cash account (handed over to the cashier later: erp/cod.py).

	close_stop() has checked, under the stop's row lock, that the stop is the driver's, open and owes
	at least this much; the entry is written with ignore_permissions, the remarks name the driver.
	"""
	company = company or frappe.db.get_value("Sales Invoice", invoice, "company")
	with erpnext_payment_rights():
		account = driver_cash_account(driver, company)
		pe = get_payment_entry("Sales Invoice", invoice, party_amount=amount, bank_account=account)
		cash = frappe.db.get_value("Mode of Payment", {"type": "Cash", "enabled": 1})
		if cash:
			pe.mode_of_payment = cash
		pe.paid_to = account
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
