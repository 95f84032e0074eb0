"""Parcels (电子面单): a carrier's tracking number and label for a Delivery Note.

`request_waybill` builds the carrier request from the Delivery Note (its shipping address and
contact, the carrier's sender settings), asks the carrier, and stores the answer on the note:
the tracking number in ERPNext's own "Transport Receipt No" (`lr_no`, which omni_channel's
shipment push reports to the marketplace), the carrier, the sorting code and hub for the label,
and the charge the carrier's freight template expects (held against the courier's bill later).

A carrier failure never leaves a traceback: the note gets the state Failed with the reason, and
the same button asks again (the carrier dedupes on our order code, the note's name).

For a submitted note of a marketplace order the tracking number goes back to the shop through
omni_channel's `ship_back` (a draft note reports it when it is submitted, by omni_channel's own
hook). A note that later goes on one of our own Delivery Trips gets the trip's name in `lr_no`
from ERPNext, which would overwrite the tracking number: a trip with a note that has a carrier's
waybill is refused (`refuse_parcels_on_trip`, on the trip's validate).
"""

from __future__ import annotations

from decimal import Decimal

import frappe
from frappe import _
from frappe.utils import cint, escape_html, flt, now_datetime, nowdate, strip_html

from wms_tms.carriers.base import CarrierError, Party, Waybill, WaybillRequest
from wms_tms.carriers.express_open import ExpressOpenClient
from wms_tms.core.errors import WmsInputError

REQUESTED, FAILED = "Requested", "Failed"


def lead(kind: str) -> str:
	"""What went wrong, in the desk user's language."""
	return {
		"address": _("The carrier refused the address"),
		"auth": _("The carrier refused our credentials"),
		"timeout": _("The carrier did not answer in time"),
		"carrier": _("The carrier failed"),
		"input": _("The waybill cannot be requested"),
	}.get(kind, _("The carrier failed"))


def what_to_do(kind: str) -> str:
	return {
		"address": _("Correct the shipping address, then get the waybill again."),
		"auth": _("Check the carrier's API URL, app key and secret, then get the waybill again."),
		"timeout": _("Get the waybill again: the carrier gives the same number for the same note."),
		"carrier": _("Get the waybill again in a while."),
		"input": _("Complete it, then get the waybill again."),
	}.get(kind, "")


class WaybillError(frappe.ValidationError):
	"""A carrier refusal or failure, told to the desk user with what to do next."""


def client_for(carrier: str):
	doc = frappe.get_doc("Parcel Carrier", carrier)
	if doc.disabled:
		raise CarrierError(_("the carrier {0} is disabled").format(carrier), "input", retryable=False)
	secret = doc.get_password("app_secret", raise_exception=False) or ""
	wait = max(1, cint(doc.timeout_seconds) or 15)
	client = ExpressOpenClient(
		doc.api_url or "", doc.app_key or "", secret, doc.account_id or "", timeout=(min(5, wait), wait)
	)
	return client, doc


def _plain(value, length: int = 140) -> str:
	return " ".join(strip_html(str(value or "")).split())[:length]


def build_request(dn, carrier) -> WaybillRequest:
	address_name = dn.shipping_address_name or dn.customer_address
	if not address_name:
		raise CarrierError(_("the Delivery Note has no shipping address"), "input", retryable=False)
	a = frappe.db.get_value(
		"Address",
		address_name,
		["address_title", "address_line1", "address_line2", "city", "county", "state", "phone"],
		as_dict=True,
	)
	receiver = Party(
		name=_plain(dn.contact_display or a.address_title or dn.customer_name, 60),
		phone=_plain(dn.contact_mobile or dn.get("contact_phone") or a.phone, 30),
		province=_plain(a.state, 40),
		city=_plain(a.city, 40),
		district=_plain(a.county, 40),
		address=_plain(" ".join(x for x in (a.address_line1, a.address_line2) if x), 200),
	)
	sender = Party(
		name=_plain(carrier.sender_name or dn.company, 60),
		phone=_plain(carrier.sender_phone, 30),
		province=_plain(carrier.sender_province, 40),
		city=_plain(carrier.sender_city, 40),
		district=_plain(carrier.sender_district, 40),
		address=_plain(carrier.sender_address, 200),
	)
	weight = flt(dn.get("th_wms_parcel_weight")) or flt(dn.total_net_weight)
	if weight <= 0:
		raise CarrierError(_("the parcel has no weight (kg)"), "input", retryable=False)
	goods = _plain(", ".join(dict.fromkeys(i.item_name for i in dn.items)), 100)
	return WaybillRequest(dn.name, sender, receiver, Decimal(str(round(weight, 3))), 1, goods)


def _explain(err: CarrierError) -> str:
	"""Lead, the carrier's own words (or ours, for what the note lacks), what to do next."""
	detail = str(err) if err.kind == "input" else err.detail
	text = f"{lead(err.kind)}: {detail}" if detail else lead(err.kind)
	return f"{text}. {what_to_do(err.kind)}"


def request_waybill(delivery_note: str, carrier: str | None = None, weight: float | None = None) -> dict:
	"""Ask the carrier for this note's tracking number; store it or the failure. Returns
	{"ok", "tracking_no", "message", "retryable"}."""
	# one request per note at a time: a second click waits, then finds the number stored
	frappe.db.get_value("Delivery Note", delivery_note, "name", for_update=True)
	dn = frappe.get_doc("Delivery Note", delivery_note)
	if dn.docstatus == 2:
		frappe.throw(_("The Delivery Note {0} is cancelled.").format(delivery_note))
	carrier = carrier or dn.get("th_wms_carrier")
	if not carrier:
		frappe.throw(_("Choose the carrier."))
	if dn.lr_no and dn.get("th_wms_waybill_status") == REQUESTED:
		if dn.get("th_wms_carrier") == carrier:
			return {
				"ok": True,
				"tracking_no": dn.lr_no,
				"message": _("Already has a waybill."),
				"retryable": False,
			}
		frappe.throw(
			_("The Delivery Note already has the tracking number {0} of {1}.").format(
				dn.lr_no, dn.th_wms_carrier
			)
		)
	changes = {"th_wms_carrier": carrier}
	if weight:
		if flt(weight) <= 0:
			frappe.throw(_("The parcel's weight must be above 0 kg."))
		changes["th_wms_parcel_weight"] = flt(weight, 3)
	dn.update(changes)
	try:
		client, carrier_doc = client_for(carrier)
		bill = client.create_waybill(build_request(dn, carrier_doc))
	except CarrierError as err:
		message = _explain(err)
		_store(dn, {**changes, "th_wms_waybill_status": FAILED, "th_wms_waybill_error": message[:500]})
		dn.add_comment("Info", _("Waybill from {0} failed: {1}").format(carrier, message))
		return {"ok": False, "tracking_no": None, "message": message, "retryable": err.retryable}
	expected = expected_charge(dn, carrier_doc)
	_store(dn, {**changes, **stored_fields(bill, expected), **_transporter(dn, carrier_doc)})
	dn.add_comment("Info", _("Waybill {0} from {1}").format(bill.tracking_no, carrier))
	pushed = push_to_marketplace(dn.name) if dn.docstatus == 1 else 0
	return {
		"ok": True,
		"tracking_no": bill.tracking_no,
		"message": _("Tracking number {0}").format(bill.tracking_no),
		"retryable": False,
		"reported": pushed,
	}


def stored_fields(bill: Waybill, expected) -> dict:
	return {
		"lr_no": bill.tracking_no,
		"lr_date": nowdate(),
		"th_wms_waybill_status": REQUESTED,
		"th_wms_waybill_error": "",
		"th_wms_sort_code": _plain(bill.sort_code, 40),
		"th_wms_big_mark": _plain(bill.mark, 60),
		"th_wms_waybill_at": now_datetime(),
		"th_wms_freight_expected": expected,
	}


def _transporter(dn, carrier_doc) -> dict:
	if carrier_doc.supplier and not dn.transporter:
		return {
			"transporter": carrier_doc.supplier,
			"transporter_name": frappe.db.get_value("Supplier", carrier_doc.supplier, "supplier_name"),
		}
	return {}


def _store(dn, values: dict) -> None:
	"""On the note as it is: a submitted note takes them without a new validation (as ERPNext's
	Delivery Trip writes lr_no on its notes)."""
	if dn.docstatus == 0:
		dn.update(values)
		dn.save()
	else:
		dn.db_set(values, notify=True)


def expected_charge(dn, carrier_doc) -> float | None:
	"""What the carrier's template says this parcel costs; None without a template."""
	if not carrier_doc.freight_template:
		return None
	from wms_tms.erp.freight import quote_delivery_note

	try:
		return float(quote_delivery_note(dn, carrier_doc.freight_template).carrier_charge)
	except WmsInputError as e:
		dn.add_comment("Info", _("No expected freight: {0}").format(e))
		return None


def push_to_marketplace(delivery_note: str) -> int:
	"""Report the tracking number to the marketplace through omni_channel's shipment push, for a
	note that delivers marketplace lines; 0 when there is nothing to report."""
	if "omni_channel" not in frappe.get_installed_apps():
		return 0
	if not frappe.get_all(
		"Delivery Note Item",
		filters={"parent": delivery_note, "th_omni_line_id": ["is", "set"]},
		limit=1,
	):
		return 0
	frappe.enqueue(
		"omni_channel.erp.shipping.ship_back",
		queue="short",
		enqueue_after_commit=True,
		now=bool(frappe.flags.in_test),
		job_id=f"omni-ship::{delivery_note}::{frappe.db.get_value('Delivery Note', delivery_note, 'lr_no')}",
		deduplicate=True,
		delivery_note=delivery_note,
	)
	return 1


def waybill_qr(text: str, scale: int = 3) -> str:
	"""An SVG QR code of the tracking number for the label (Jinja method of the print format)."""
	import io

	import pyqrcode

	value = "".join(ch for ch in str(text or "") if ch.isalnum() or ch in "-_")[:40]
	if not value:
		return ""
	buf = io.BytesIO()
	pyqrcode.create(value, error="M").svg(buf, scale=scale, omithw=False, xmldecl=False, svgns=True)
	return buf.getvalue().decode()


def refuse_parcels_on_trip(trip) -> None:
	"""A parcel goes with its carrier, not on one of our vans: ERPNext would write the trip's name
	over its tracking number in `lr_no` (and the marketplace would get the wrong one)."""
	notes = list(dict.fromkeys(s.delivery_note for s in trip.get("delivery_stops") or [] if s.delivery_note))
	if not notes:
		return
	parcels = frappe.get_all(
		"Delivery Note",
		filters={"name": ["in", notes], "th_wms_waybill_status": REQUESTED, "lr_no": ["is", "set"]},
		fields=["name", "lr_no", "th_wms_carrier"],
		order_by="name",
	)
	# a submitted trip has written its own name in lr_no: that note is not a parcel
	parcels = [p for p in parcels if p.lr_no != trip.name]
	if parcels:
		frappe.throw(
			_("These Delivery Notes go by courier and cannot go on a Delivery Trip: {0}").format(
				"; ".join(
					_("{0} ({1}, tracking number {2})").format(
						escape_html(p.name),
						escape_html(p.th_wms_carrier or _("carrier")),
						escape_html(p.lr_no),
					)
					for p in parcels
				)
			),
			title=_("Parcel on a trip"),
		)
