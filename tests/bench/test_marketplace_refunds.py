"""A marketplace refund becomes one credit note, and goods that came back return to stock once inspected."""

import base64
import hashlib
import hmac
import json

import frappe
import pytest
from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note
from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice
from werkzeug.test import EnvironBuilder

from tests.bench import builders
from tests.bench.test_order_path import SECRET, SHOP, post_webhook, shopify_order


def post_refund(body: dict, webhook_id: str):
	from omni_channel.api.webhooks import receive

	raw = json.dumps(body).encode()
	sig = base64.b64encode(hmac.new(SECRET.encode(), raw, hashlib.sha256).digest()).decode()
	frappe.local.request = EnvironBuilder(
		method="POST",
		query_string={"shop": SHOP},
		data=raw,
		headers={
			"X-Shopify-Hmac-Sha256": sig,
			"X-Shopify-Topic": "refunds/create",
			"X-Shopify-Webhook-Id": webhook_id,
		},
	).get_request()
	frappe.local.request_ip = "127.0.0.1"
	frappe.local.form_dict = frappe._dict(shop=SHOP, cmd="omni_channel.api.webhooks.receive")
	response = receive(shop=SHOP)
	return response.status_code, json.loads(response.get_data())


def test_refund_books_a_credit_note_and_restocks_what_was_inspected_good():
	from omni_channel.erp.orders import process
	from omni_channel.erp.refunds import book

	item = builders.item_with_stock(20, bin_name="A3-01-L", price=30)
	good_bin = builders.bin_warehouse("A3-04-R")
	frappe.db.set_value("Channel Shop", SHOP, {"return_warehouse": good_bin, "defective_warehouse": good_bin})
	payload = shopify_order(870001, item, 3, "30.00", "2026-11-23T11:00:00+08:00", cod=False)
	_status, body = post_webhook(payload, webhook_id="wh-ref-order")
	so = frappe.get_doc("Sales Order", process(body["order"]))
	dn = make_delivery_note(so.name)
	dn.insert()
	dn.submit()
	si = make_sales_invoice(dn.name)
	si.insert()
	si.submit()
	before = builders.stock_in_store(item)

	refund = {
		"id": 9900001,
		"order_id": 870001,
		"created_at": "2026-11-24T10:00:00+08:00",
		"note": "one cup arrived cracked, one unwanted",
		"refund_line_items": [
			{
				"id": 1,
				"line_item_id": 8700011,
				"quantity": 2,
				"restock_type": "return",
				"subtotal": "60.00",
				"total_tax": "0.00",
			}
		],
		"transactions": [{"kind": "refund", "status": "success", "amount": "60.00"}],
	}
	status, answer = post_refund(refund, "wh-ref-1")
	assert (status, answer["status"]) == (200, "created")
	assert post_refund(refund, "wh-ref-2")[1]["status"] == "duplicate"
	doc = frappe.get_doc("Channel Refund", answer["refund"])
	assert doc.status == "Awaiting Inspection" and doc.lines[0].shipped and doc.lines[0].item_code == item

	with pytest.raises(frappe.ValidationError, match="Inspect"):
		book(doc.name)
	doc.lines[0].condition = "good"
	doc.save()
	booked = book(doc.name)
	cn = frappe.get_doc("Sales Invoice", booked.credit_note)
	assert cn.is_return and cn.return_against == si.name and cn.docstatus == 1
	assert [(i.item_code, i.qty) for i in cn.items] == [(item, -2)]
	assert cn.grand_total == pytest.approx(-60)
	assert builders.stock_in_store(item) == before + 2
	assert frappe.db.get_value("Bin", {"item_code": item, "warehouse": good_bin}, "actual_qty") == 2
	assert book(doc.name).credit_note == cn.name, "booking again changes nothing"
	assert frappe.db.count("Sales Invoice", {"return_against": si.name, "docstatus": 1}) == 1
