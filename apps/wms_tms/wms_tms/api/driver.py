"""The driver's phone page calls these: today's trips, and closing a stop with proof and cash."""

import frappe
from frappe import _

from wms_tms.erp import delivery

PROOF_TYPES = (".png", ".jpg", ".jpeg", ".webp")
PROOF_MAX_BYTES = 5 * 1024 * 1024


def _driver() -> str:
	if frappe.session.user == "Guest":
		frappe.throw(_("Please log in."), frappe.PermissionError)
	driver = frappe.db.get_value("Driver", {"th_wms_user": frappe.session.user, "status": "Active"})
	if not driver:
		frappe.throw(_("Your login is not a driver's."), frappe.PermissionError)
	return driver


@frappe.whitelist()
def my_trips() -> list[dict]:
	"""Scheduled and in-transit trips of the logged-in driver, stops in order, with cash to collect."""
	driver = _driver()
	trips = frappe.get_all(
		"Delivery Trip",
		filters={"driver": driver, "docstatus": 1, "status": ("in", ["Scheduled", "In Transit"])},
		fields=["name", "departure_time", "vehicle", "status"],
		order_by="departure_time",
	)
	for trip in trips:
		trip["stops"] = []
		for s in frappe.get_all(
			"Delivery Stop",
			filters={"parent": trip["name"], "parenttype": "Delivery Trip"},
			fields=[
				"name",
				"idx",
				"customer",
				"customer_address",
				"delivery_note",
				"estimated_arrival",
				"visited",
				"lat",
				"lng",
			],
			order_by="idx",
		):
			s["cash_due"] = delivery.expected_cash(s["delivery_note"])[1] if s["delivery_note"] else 0
			trip["stops"].append(s)
	return trips


def _proof() -> tuple[str, bytes] | None:
	request = getattr(frappe.local, "request", None)
	upload = request.files.get("proof") if request is not None and request.files else None
	if upload:
		return upload.filename, upload.stream.read(PROOF_MAX_BYTES + 1)
	if getattr(frappe.local, "uploaded_file", None):
		return frappe.local.uploaded_filename, frappe.local.uploaded_file
	return None


@frappe.whitelist(methods=["POST"])
def deliver(stop: str, recipient: str, cash_collected: float | None = None) -> dict:
	"""Mark a stop delivered: who received it, a photo or signature (multipart field `proof`), cash taken."""
	driver = _driver()
	trip = frappe.db.get_value("Delivery Stop", stop, "parent")
	if not trip or frappe.db.get_value("Delivery Trip", trip, "driver") != driver:
		frappe.throw(_("This stop is not on one of your trips."), frappe.PermissionError)
	proof_url = None
	proof = _proof()
	if proof:
		filename, content = proof
		if not filename or not filename.lower().endswith(PROOF_TYPES):
			frappe.throw(_("The proof must be a photo or signature image (png, jpg, webp)."))
		if len(content) > PROOF_MAX_BYTES:
			frappe.throw(_("The proof image is larger than 5 MB."))
		note = frappe.db.get_value("Delivery Stop", stop, "delivery_note")
		proof_url = delivery.attach_proof(note, filename, content)
	return delivery.mark_delivered(stop, recipient, proof_url, cash_collected)
