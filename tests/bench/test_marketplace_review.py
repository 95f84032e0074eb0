"""Marketplace orders a person must look at are held with the reason, never dropped and never ordered."""

import frappe

from tests.bench import builders
from tests.bench.test_order_path import SHOP, post_webhook, shopify_order


def _held(payload: dict, webhook_id: str) -> frappe._dict:
	from omni_channel.erp.orders import process

	status, body = post_webhook(payload, webhook_id=webhook_id)
	assert status == 200
	assert process(body["order"]) is None
	log = frappe.get_doc("Channel Order Log", body["order"])
	assert log.status == "Held" and not log.sales_order and log.payload
	assert frappe.db.count("Sales Order", {"th_omni_order_log": log.name}) == 0
	return log


def test_buyer_note_and_blacklist_and_amount_hold_the_order():
	item = builders.item_with_stock(20, bin_name="A2-03-L", price=10)
	noted = shopify_order(840001, item, 1, "10.00", "2026-11-22T10:00:00+08:00")
	noted["note"] = "请周末送货 please deliver on Saturday"
	assert "note" in _held(noted, "wh-n").hold_reason.lower()

	frappe.db.set_value("Channel Shop", SHOP, "blacklist", "13912345678")
	listed = shopify_order(840002, item, 1, "10.00", "2026-11-22T10:00:00+08:00")
	assert "blacklist" in _held(listed, "wh-b").hold_reason.lower()

	frappe.db.set_value("Channel Shop", SHOP, {"blacklist": "", "review_amount_limit": 50})
	big = shopify_order(840003, item, 6, "10.00", "2026-11-22T10:00:00+08:00")
	assert "50" in _held(big, "wh-a").hold_reason
