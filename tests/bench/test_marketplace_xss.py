"""Buyer text with markup: stored as plain text where it is quoted, sanitised where ERPNext keeps it,
and never able to stop the buyer's own order."""

import frappe

from tests.bench import builders
from tests.bench.test_order_path import post_webhook, shopify_order

IMG = '<img src=x onerror="window.__xss=1">'
SCRIPT = "<script>window.__xss=1</script>"


def test_a_held_reason_is_plain_text_in_a_field_the_desk_escapes():
	from omni_channel.erp.orders import process

	item = builders.item_with_stock(5, bin_name="A2-03-L", price=10)
	payload = shopify_order(842001, item, 1, "10.00", "2026-11-22T10:00:00+08:00")
	payload["note"] = IMG + SCRIPT
	_status, body = post_webhook(payload, webhook_id="wh-xss-held")
	assert process(body["order"]) is None
	reason = frappe.db.get_value("Channel Order Log", body["order"], "hold_reason")
	assert IMG + SCRIPT in reason, "quoted exactly as typed, escaped by whatever shows it"
	# Code is the text type the desk escapes when it shows it (form, list and report views);
	# Small Text is shown as HTML
	assert frappe.get_meta("Channel Order Log").get_field("hold_reason").fieldtype == "Code"


def test_markup_in_the_buyers_name_and_address_neither_runs_nor_stops_the_order():
	from omni_channel.erp.orders import process

	item = builders.item_with_stock(5, bin_name="A2-03-L", price=10)
	payload = shopify_order(842002, item, 1, "10.00", "2026-11-22T10:00:00+08:00")
	payload["name"] = f"#842002 {IMG}"
	address = payload["shipping_address"]
	address.update(name=IMG + SCRIPT, address1=f"{SCRIPT} Road 1", address2=IMG, city=f"Guangzhou {IMG}")
	_status, body = post_webhook(payload, webhook_id="wh-xss-made")
	so = process(body["order"])
	assert so, frappe.db.get_value("Channel Order Log", body["order"], "error")
	addr = frappe.get_doc("Address", frappe.db.get_value("Sales Order", so, "shipping_address_name"))
	assert "<" not in addr.name and ">" not in addr.name
	for value in (addr.address_title, addr.address_line1, addr.address_line2, addr.city):
		assert "onerror" not in value and "<script" not in value, value
	assert "onerror" not in frappe.db.get_value("Sales Order", so, "po_no")
