"""The driver's phone page calls these: today's trips, and closing a stop with proof and cash."""

import html
import re

import frappe
from frappe import _
from frappe.utils import strip_html

from wms_tms.core.proof import MAX_BYTES
from wms_tms.erp import delivery
from wms_tms.web_guard import csrf_protected

PROOF_MAX_BYTES = MAX_BYTES


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
			s["address_lines"] = address_lines(s.pop("customer_address"))
			trip["stops"].append(s)
	return trips


def address_lines(display: str | None) -> list[str]:
	"""ERPNext's address display (HTML lines joined by <br>) as plain text lines, for the page to escape."""
	lines = re.split(r"<br\s*/?>|\n", display or "", flags=re.IGNORECASE)
	return [text for line in lines if (text := html.unescape(strip_html(line)).strip())]


def _proof() -> bytes | None:
	"""The uploaded photo or signature (multipart field `proof`), at most one byte over the cap."""
	request = getattr(frappe.local, "request", None)
	upload = request.files.get("proof") if request is not None and request.files else None
	if upload:
		return upload.stream.read(PROOF_MAX_BYTES + 1)
	if getattr(frappe.local, "uploaded_file", None):
		return frappe.local.uploaded_file
	return None


@frappe.whitelist(methods=["POST"])
@csrf_protected
def deliver(stop: str, recipient: str, cash_collected: str | float | None = None) -> dict:
	"""Mark a stop delivered: who received it, a photo or signature (multipart field `proof`), cash taken.

	Everything is checked (the stop is the driver's and still open, the proof is an image by its
	content, the cash is a finite amount above zero and at most what is due) before anything is stored.
	"""
	driver = _driver()
	return delivery.close_stop(stop, driver, recipient, _proof(), cash_collected)
