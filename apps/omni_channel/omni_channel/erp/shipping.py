"""Shipments back to the marketplace: a submitted Delivery Note of a channel order marks those
lines shipped on the platform, with the tracking number (the trip or the note itself)."""

import frappe
from frappe import _

from omni_channel.channels.base import ChannelError, Shipment
from omni_channel.erp.clients import client_for

OWN_FLEET = "Own delivery"


def shipments_of(delivery_note: str) -> list[tuple[str, str, Shipment]]:
	"""(shop, order log, shipment) for each marketplace order the note delivers part of."""
	dn = frappe.get_doc("Delivery Note", delivery_note)
	by_order: dict[str, list[str]] = {}
	for item in dn.items:
		if item.against_sales_order and item.get("th_omni_line_id"):
			by_order.setdefault(item.against_sales_order, []).append(item.th_omni_line_id)
	out = []
	for so, line_ids in by_order.items():
		log = frappe.db.get_value("Sales Order", so, "th_omni_order_log")
		if not log:
			continue
		shop, external_id = frappe.db.get_value("Channel Order Log", log, ["shop", "external_id"])
		tracking = (
			dn.lr_no or dn.name
		)  # a Delivery Trip writes its name into lr_no, a carrier's waybill its number
		carrier = carrier_of(dn)
		out.append((shop, log, Shipment(external_id, tracking, carrier, tuple(dict.fromkeys(line_ids)))))
	return out


def carrier_of(dn) -> str:
	"""The parcel carrier's marketplace code when the note has a carrier's waybill (wms_tms's
	Parcel Carrier on the note), else our own fleet."""
	carrier = dn.get("th_wms_carrier") if dn.get("th_wms_waybill_status") == "Requested" else None
	code = carrier and frappe.db.get_value("Parcel Carrier", carrier, ["marketplace_code", "carrier_name"])
	return (code and (code[0] or code[1])) or OWN_FLEET


def ship_back(delivery_note: str) -> int:
	"""Tell each platform what this note shipped; failures are logged on the order log and left to retry."""
	sent = 0
	for shop, log, shipment in shipments_of(delivery_note):
		if not (frappe.db.get_value("Channel Shop", shop, "api_url") or "").strip():
			# no connection to report through: a clear note on the order, not a traceback
			msg = _(
				"Shipment {0} was not reported to {1}: the shop has no API URL. Mark the order shipped on the platform by hand, or set the shop's API URL and submit the shipment again."
			).format(delivery_note, shop)
			frappe.db.set_value("Channel Order Log", log, "error", msg)
			frappe.logger("omni_channel").info(msg)
			continue
		client, doc = client_for(shop)
		try:
			if doc.platform == "Shopify":
				client.fulfill(shipment)
			elif doc.platform == "WooCommerce":
				client.ship(shipment)
			else:
				client.send_logistics(shipment)
		except (ChannelError, ValueError) as e:
			frappe.db.set_value("Channel Order Log", log, "error", f"shipment {delivery_note}: {e}")
			frappe.log_error(f"Shipment to {shop} failed", frappe.get_traceback())
			continue
		frappe.get_doc("Channel Order Log", log).add_comment(
			"Info", _("Shipment {0} reported to {1}").format(delivery_note, shop)
		)
		sent += 1
	return sent


def on_delivery_note_submit(doc, method=None) -> None:
	"""doc_events: report the shipment after the note is committed (the platform is slow, the desk is not)."""
	if any(item.get("th_omni_line_id") for item in doc.items):
		frappe.enqueue(
			"omni_channel.erp.shipping.ship_back",
			queue="short",
			enqueue_after_commit=True,
			job_id=f"omni-ship::{doc.name}",
			deduplicate=True,
			delivery_note=doc.name,
		)
