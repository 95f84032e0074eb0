"""The driver's phone page calls these: today's trips, and closing a stop with proof and cash."""

import html
import re

import frappe
from frappe import _
from frappe.utils import add_days, get_datetime, getdate, now_datetime, strip_html

from wms_tms.core import navigation
from wms_tms.core.proof import MAX_BYTES
from wms_tms.erp import delivery, driver_actions
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
	"""The logged-in driver's scheduled and in-transit trips departing today or tomorrow (and older
	ones still open): dispatch plans the next morning's trips the day before (the Pick Wave's Plan
	Delivery Trip defaults to tomorrow 08:00), and a driver checks and loads them the evening
	before. Stops in order, with cash to collect and links that open each stop in a map app."""
	driver = _driver()
	end_of_tomorrow = get_datetime(f"{add_days(getdate(now_datetime()), 1)} 23:59:59")
	trips = frappe.get_all(
		"Delivery Trip",
		filters={
			"driver": driver,
			"docstatus": 1,
			"status": ("in", ["Scheduled", "In Transit"]),
			"departure_time": ("<=", end_of_tomorrow),
		},
		fields=["name", "departure_time", "vehicle", "status"],
		order_by="departure_time",
	)
	stops = frappe.get_all(
		"Delivery Stop",
		filters={"parent": ("in", [t["name"] for t in trips] or [""]), "parenttype": "Delivery Trip"},
		fields=[
			"parent",
			"name",
			"idx",
			"customer",
			"customer_address",
			"delivery_note",
			"estimated_arrival",
			"visited",
			"lat",
			"lng",
			"th_wms_outcome as outcome",
			"th_wms_fail_reason as fail_reason",
		],
		order_by="parent, idx",
	)
	due = delivery.cash_due([s["delivery_note"] for s in stops if s["delivery_note"] and not s["visited"]])
	by_trip = {t["name"]: t for t in trips}
	for trip in trips:
		trip["stops"] = []
	for s in stops:
		s["cash_due"] = due.get(s["delivery_note"], 0) if not s["visited"] else 0
		s["address_lines"] = address_lines(s.pop("customer_address"))
		s["nav"] = navigation.links(s.pop("lat"), s.pop("lng"), s["customer"], ", ".join(s["address_lines"]))
		by_trip[s.pop("parent")]["stops"].append(s)
	return trips


def address_lines(display: str | None) -> list[str]:
	"""ERPNext's address display (HTML lines joined by <br>) as plain text lines, for the page to escape."""
	lines = re.split(r"<br\s*/?>|\n", display or "", flags=re.IGNORECASE)
	return [text for line in lines if (text := html.unescape(strip_html(line)).strip())]


def _upload(field: str) -> bytes | None:
	"""An uploaded file of the multipart request, at most one byte over the cap."""
	request = getattr(frappe.local, "request", None)
	upload = request.files.get(field) if request is not None and request.files else None
	if upload:
		return upload.stream.read(PROOF_MAX_BYTES + 1)
	return None


def _proof() -> bytes | None:
	"""The uploaded photo (multipart field `proof`)."""
	content = _upload("proof")
	if content is None and getattr(frappe.local, "uploaded_file", None):
		return frappe.local.uploaded_file
	return content


@frappe.whitelist(methods=["POST"])
@csrf_protected
def deliver(
	stop: str,
	recipient: str,
	cash_collected: str | float | None = None,
	idempotency_key: str | None = None,
) -> dict:
	"""Mark a stop delivered: who received it, a photo (multipart field `proof`), a signature drawn on
	the screen (field `signature`, a PNG), cash taken.

	Everything is checked (the stop is the driver's and still open, the proof and signature are images
	by their content, the cash is a finite amount above zero and at most what is due) before anything is
	stored. With an idempotency key, a resend of the same action returns the first answer.
	"""
	driver = _driver()
	proof, signature = _proof(), _upload("signature")
	return driver_actions.once(
		idempotency_key,
		"deliver",
		stop,
		lambda: delivery.close_stop(stop, driver, recipient, proof, cash_collected, signature),
	)


@frappe.whitelist(methods=["POST"])
@csrf_protected
def fail(stop: str, reason: str, note: str | None = None, idempotency_key: str | None = None) -> dict:
	"""A delivery that could not be made, with its reason (Not home, Refused, Wrong address): the
	stop is closed as failed and the Delivery Note waits to be delivered again from tomorrow."""
	driver = _driver()
	return driver_actions.once(
		idempotency_key, "fail", stop, lambda: delivery.fail_stop(stop, driver, reason, note)
	)
