"""One order end to end across the four apps, on a real ERPNext site, checked in the ledgers.

portal order (b2b_mall) + marketplace webhook (omni_channel) → one wave → Pick List in walking
order → Delivery Notes → Sales Invoices → Delivery Trip → driver delivers with proof and takes
the cash-on-delivery money (wms_tms) → RFM recomputed (online_crm).
"""

import base64
import hashlib
import hmac
import json
import random

import frappe
import pytest
from frappe.utils import flt, getdate, nowdate
from werkzeug.test import EnvironBuilder

from tests.bench import builders

SHOP = builders.DEMO["channel_shop"]["shop_name"]
SECRET = builders.DEMO["channel_shop"]["webhook_secret"]


def shopify_order(order_id: int, sku: str, qty: int, price: str, updated_at: str, cod: bool = True) -> dict:
	"""A Shopify Admin REST order as its orders/create webhook sends it."""
	return {
		"id": order_id,
		"name": f"#{order_id % 100000}",
		"email": "mei@example.com",
		"currency": "CNY",
		"created_at": "2026-11-20T10:00:00+08:00",
		"updated_at": updated_at,
		"financial_status": "pending" if cod else "paid",
		"fulfillment_status": None,
		"gateway": "Cash on Delivery (COD)" if cod else "shopify_payments",
		"payment_gateway_names": ["Cash on Delivery (COD)"] if cod else ["shopify_payments"],
		"total_price": str(flt(price) * qty),
		"subtotal_price": str(flt(price) * qty),
		"total_discounts": "0.00",
		"total_tax": "0.00",
		"customer": {
			"id": 7001,
			"first_name": "美",
			"last_name": "王",
			"email": "mei@example.com",
			"phone": None,
		},
		"shipping_address": {
			"first_name": "美",
			"last_name": "王",
			"name": "王美",
			"address1": "天河路 385 号",
			"city": "Guangzhou",
			"province": "Guangdong",
			"country_code": "CN",
			"zip": "510620",
			"phone": "13912345678",
			"latitude": 23.1322,
			"longitude": 113.3273,
		},
		"line_items": [
			{
				"id": order_id * 10 + 1,
				"sku": sku,
				"title": "Test item",
				"quantity": qty,
				"price": price,
				"total_discount": "0.00",
				"fulfillable_quantity": qty,
				"grams": 1000,
			}
		],
		"shipping_lines": [],
		"refunds": [],
		"fulfillments": [],
	}


def webhook_request(
	payload: dict, secret: str = SECRET, webhook_id: str = "wh-1", topic: str = "orders/create"
):
	raw = json.dumps(payload, ensure_ascii=False).encode()
	sig = base64.b64encode(hmac.new(secret.encode(), raw, hashlib.sha256).digest()).decode()
	env = EnvironBuilder(
		method="POST",
		path="/api/method/omni_channel.api.webhooks.receive",
		query_string={"shop": SHOP},
		data=raw,
		headers={
			"Content-Type": "application/json",
			"X-Shopify-Hmac-Sha256": sig,
			"X-Shopify-Topic": topic,
			"X-Shopify-Webhook-Id": webhook_id,
		},
	)
	return env.get_request()


def post_webhook(payload: dict, **kw):
	"""Drive the real guest endpoint in this transaction and answer (status, body)."""
	from omni_channel.api.webhooks import receive

	frappe.local.request = webhook_request(payload, **kw)
	frappe.local.request_ip = "127.0.0.1"
	frappe.local.form_dict = frappe._dict(shop=SHOP, cmd="omni_channel.api.webhooks.receive")
	frappe.set_user("Guest")
	try:
		response = receive(shop=SHOP)
	finally:
		frappe.set_user("Administrator")
	return response.status_code, json.loads(response.get_data())


def count(doctype: str, **filters) -> int:
	return frappe.db.count(doctype, filters)


@pytest.fixture
def gold_buyer():
	cust = builders.customer("Gold Dealers", credit_limit=100000, lat=23.1291, lng=113.3240)
	return cust.name, builders.portal_user_for(cust.name)


def place_as(user: str, items: list[dict]):
	from b2b_mall.api.orders import place_order

	frappe.set_user(user)
	try:
		return place_order(items=items)
	finally:
		frappe.set_user("Administrator")


def test_one_order_through_all_four_apps(gold_buyer):
	customer, user = gold_buyer
	tea = builders.item_with_stock(50, bin_name="A3-02-R", price=20)
	cup = builders.item_with_stock(80, bin_name="A1-04-L", price=5, moq=6)
	before = {tea: builders.stock_in_store(tea), cup: builders.stock_in_store(cup)}
	orders_before = count("Sales Order")

	# ---- b2b_mall: bad inputs write nothing and come back as 422 with a reason
	bad_carts = {
		"zero quantity": ([{"item_code": tea, "qty": 0}], "bad_quantity"),
		"negative quantity": ([{"item_code": tea, "qty": -2}], "bad_quantity"),
		"unknown item": ([{"item_code": "NO-SUCH-ITEM", "qty": 1}], "unknown_item"),
		"out of stock": ([{"item_code": tea, "qty": 51}], "out_of_stock"),
		"below MOQ": ([{"item_code": cup, "qty": 5}], "below_moq"),
		"over credit": ([{"item_code": tea, "qty": 50}], "over_credit"),
		"not JSON": ("[{item_code", "empty_cart"),
	}
	frappe.db.set_value("Customer Credit Limit", {"parent": customer}, "credit_limit", 500)
	for why, (cart, code) in bad_carts.items():
		frappe.local.response = frappe._dict()
		answer = place_as(user, cart)
		assert frappe.local.response.http_status_code == 422, why
		assert [p["code"] for p in answer["problems"]] == [code], why
		assert all(p["message"] for p in answer["problems"])
	frappe.local.response = frappe._dict()
	assert count("Sales Order") == orders_before, "refused carts wrote no Sales Order"
	frappe.db.set_value("Customer Credit Limit", {"parent": customer}, "credit_limit", 100000)

	# ---- b2b_mall: a good order, priced by ERPNext for the Gold tier (client price ignored)
	frappe.db.set_value(
		"Item Price", {"item_code": tea, "price_list": "Wholesale Gold"}, "price_list_rate", 16
	)
	placed = place_as(user, [{"item_code": tea, "qty": 10, "rate": 0.01}, {"item_code": cup, "qty": 12}])
	so_portal = frappe.get_doc("Sales Order", placed["sales_order"])
	assert so_portal.docstatus == 1 and so_portal.customer == customer
	assert so_portal.th_channel == "B2B Portal"
	assert so_portal.selling_price_list == "Wholesale Gold"
	assert {i.item_code: i.rate for i in so_portal.items} == {tea: 16, cup: 5}

	# ---- omni_channel: signed webhook, replayed, and a forged one
	# ids of this run only: a reused bench keeps whatever another run committed
	order_id = random.randint(10**9, 10**10)
	payload = shopify_order(order_id, tea, 3, "19.90", "2026-11-20T10:05:00+08:00")
	assert post_webhook(payload, secret="wrong-secret")[0] == 401
	assert count("Channel Order Log", external_id=str(order_id)) == 0, "a forged webhook stores nothing"
	status, body = post_webhook(payload)
	assert status == 200 and body["status"] == "created"
	key = body["order"]
	assert post_webhook(payload, webhook_id="wh-2") == (200, {"status": "duplicate", "order": key})
	from omni_channel.erp.orders import process

	so_market_name = process(key)
	assert so_market_name, frappe.db.get_value("Channel Order Log", key, ["status", "hold_reason", "error"])
	assert process(key) == so_market_name, "processing again returns the same order"
	assert count("Sales Order", th_omni_order_log=key) == 1
	so_market = frappe.get_doc("Sales Order", so_market_name)
	assert so_market.th_channel == f"Shopify:{SHOP}" and so_market.th_cod == 1
	assert [(i.item_code, i.qty, i.rate) for i in so_market.items] == [(tea, 3, 19.9)]

	unknown = shopify_order(order_id + 1, "SKU-NOBODY-KNOWS", 1, "5.00", "2026-11-20T10:06:00+08:00")
	status, body = post_webhook(unknown, webhook_id="wh-3")
	assert status == 200
	assert process(body["order"]) is None
	held = frappe.get_doc("Channel Order Log", body["order"])
	assert held.status == "Held" and "SKU-NOBODY-KNOWS" in held.hold_reason and held.payload
	assert frappe.db.count("Sales Order", {"th_omni_order_log": held.name}) == 0

	# ---- wms_tms: one wave, Pick List in walking order, picked, Delivery Notes
	from wms_tms.erp import delivery, picking

	wave = picking.create_wave(builders.company(), builders.store(), [so_portal.name, so_market.name])
	pl = picking.make_pick_list(wave.name)
	assert {loc.sales_order for loc in pl.locations} == {so_portal.name, so_market.name}
	wave.reload()
	assert wave.pick_list == pl.name and wave.path_length > 0
	visit = [loc.warehouse for loc in pl.locations]
	from wms_tms.core.pickpath import best_tour, tour_length
	from wms_tms.erp.layout import layout_of

	layout = layout_of(builders.store())
	walk = list(dict.fromkeys(visit))
	assert tuple(walk) == best_tour(layout, set(visit)).bins, "rows follow the shortest walk through the bins"
	assert wave.path_length == pytest.approx(tour_length(layout, walk))
	assert wave.path_length <= tour_length(layout, list(reversed(walk))) + 1e-6
	picking.confirm_picked(pl.name)
	dns = picking.make_delivery_notes(pl.name)
	assert len(dns) == 2
	dn_of = {frappe.db.get_value("Delivery Note", dn, "customer"): dn for dn in dns}

	# ---- invoices from the delivery notes (ERPNext's own mapping)
	from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice

	invoices = {}
	for cust, dn in dn_of.items():
		si = make_sales_invoice(dn)
		si.insert()
		si.submit()
		invoices[cust] = si
	market_customer = so_market.customer
	assert invoices[market_customer].th_cod == 1

	# ---- delivery trip planned by the router, driver delivers with proof and COD cash
	vehicle = builders.DEMO["vehicle"]["license_plate"]
	driver = frappe.db.get_value("Driver", {"th_wms_user": builders.DEMO["driver"]["user"]["email"]})
	trip = delivery.plan_trip(dns, vehicle, driver)
	assert trip.docstatus == 1 and len(trip.delivery_stops) == 2
	assert all(s.estimated_arrival for s in trip.delivery_stops)
	from wms_tms.api.driver import deliver

	frappe.set_user(builders.DEMO["driver"]["user"]["email"])
	try:
		for stop in trip.delivery_stops:
			owed = flt(invoices[stop.customer].grand_total) if stop.customer == market_customer else None
			frappe.local.uploaded_file = builders.png()  # checked as an image by its content
			frappe.local.uploaded_filename = "signature.png"
			deliver(stop=stop.name, recipient="王美" if owed else "Chen", cash_collected=owed)
	finally:
		frappe.set_user("Administrator")
		frappe.local.uploaded_file = None
	trip.reload()
	assert trip.status == "Completed"
	cod_stop = next(s for s in trip.delivery_stops if s.customer == market_customer)
	assert cod_stop.th_wms_payment_entry and cod_stop.th_wms_recipient == "王美" and cod_stop.th_wms_pod_file
	pe = frappe.get_doc("Payment Entry", cod_stop.th_wms_payment_entry)
	assert pe.docstatus == 1 and pe.references[0].reference_name == invoices[market_customer].name
	assert frappe.db.exists(
		"File", {"attached_to_doctype": "Delivery Note", "attached_to_name": cod_stop.delivery_note}
	)

	# ---- the ledgers
	assert builders.stock_in_store(tea) == before[tea] - 10 - 3
	assert builders.stock_in_store(cup) == before[cup] - 12
	assert builders.receivable(customer) == pytest.approx(flt(invoices[customer].grand_total))
	market_invoices = frappe.get_all(
		"Sales Invoice",
		filters={"customer": market_customer, "docstatus": 1},
		fields=["sum(grand_total) as t"],
	)[0].t
	market_payments = frappe.get_all(
		"Payment Entry", filters={"party": market_customer, "docstatus": 1}, fields=["sum(paid_amount) as t"]
	)[0].t
	assert builders.receivable(market_customer) == pytest.approx(flt(market_invoices) - flt(market_payments))

	# ---- b2b_mall: the buyer's statement agrees with the ledger
	from b2b_mall.erp.orders import statement

	frappe.set_user(user)
	try:
		st = statement(user)
	finally:
		frappe.set_user("Administrator")
	assert st.closing == pytest.approx(builders.receivable(customer))
	assert invoices[customer].name in [r.voucher_no for r in st.rows]

	# ---- online_crm: RFM from submitted invoices of every channel, on the Customer
	from online_crm.erp.rfm import rescore_customers

	rescore_customers([customer, market_customer], as_of=getdate(nowdate()))
	c = frappe.get_doc("Customer", customer)
	assert c.th_crm_recency_days == 0
	assert c.th_crm_frequency == frappe.db.count(
		"Sales Invoice", {"customer": customer, "docstatus": 1, "is_return": 0}
	)
	assert flt(c.th_crm_monetary) == pytest.approx(flt(invoices[customer].base_net_total))
	assert 1 <= c.th_crm_r_score <= 5 and c.th_crm_segment
	print(
		"\norder path documents:",
		f"\n  portal Sales Order {so_portal.name} ({customer}, {so_portal.th_channel})",
		f"\n  marketplace log {key} -> Sales Order {so_market.name} ({so_market.th_channel}, COD)",
		f"\n  held for mapping: {held.name} ({held.hold_reason})",
		f"\n  Pick Wave {wave.name} -> Pick List {pl.name}, walk {wave.path_length:.1f} m ({wave.path_method}): {visit}",
		f"\n  Delivery Notes {dns} -> Sales Invoices {[si.name for si in invoices.values()]}",
		f"\n  Delivery Trip {trip.name}: {[(s.customer, str(s.estimated_arrival)) for s in trip.delivery_stops]}",
		f"\n  COD Payment Entry {pe.name} {pe.paid_amount}",
		f"\n  RFM {customer}: R{c.th_crm_r_score} F{c.th_crm_f_score} M{c.th_crm_m_score} {c.th_crm_segment}",
	)
