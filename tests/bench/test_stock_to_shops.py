"""ERPNext's free stock reaches the shop by its ratio and buffer, and only changes are sent again."""

import frappe

from tests.bench import builders
from tests.unit.omni_channel.simulator import Simulator

SHOP = builders.DEMO["channel_shop"]["shop_name"]


def test_stock_push_follows_erpnext_and_sends_only_changes():
	from omni_channel.erp import stock

	item = builders.item_with_stock(40, bin_name="A2-04-R", price=9)
	builders.receive_stock(item, 11, "A3-03-L", 4.5)  # 51 in two bins of the store
	frappe.get_doc(
		{"doctype": "Channel Listing", "shop": SHOP, "item_code": item, "sku": item, "product_id": "7001"}
	).insert()
	frappe.db.set_value(
		"Channel Shop", SHOP, {"stock_ratio": 60, "safety_stock": 2, "location_id": "555", "api_secret": None}
	)
	with Simulator() as sim:
		shop = frappe.get_doc("Channel Shop", SHOP)
		shop.api_url = sim.url
		shop.api_secret = sim.shopify_token
		shop.save()
		# other listings of the demo shop are not this test's business
		only = [p for p in stock.plan([SHOP]) if p.item == item]
		assert [(p.qty, p.previous) for p in only] == [(51 * 60 // 100 - 2, None)]  # ⌊51 × 0.6⌋ − 2 = 28

		stock.push([SHOP])
		assert sim.inventory[(555, 7001)] == 28
		assert frappe.db.get_value("Channel Listing", f"{SHOP}:{item}", "last_pushed_qty") == 28
		assert not [p for p in stock.plan([SHOP]) if p.item == item], "nothing changed, nothing to send"

		# a portal order reserves 10: the shop is offered less
		so = frappe.get_doc(
			{
				"doctype": "Sales Order",
				"customer": builders.demo_customer("Gold Dealers"),
				"company": builders.company(),
				"delivery_date": frappe.utils.add_days(frappe.utils.nowdate(), 2),
				"items": [
					{"item_code": item, "qty": 10, "rate": 9, "warehouse": builders.bin_warehouse("A2-04-R")}
				],
			}
		)
		so.insert()
		so.submit()
		assert [(p.qty, p.previous) for p in stock.plan([SHOP]) if p.item == item] == [
			(41 * 60 // 100 - 2, 28)
		]
		stock.push([SHOP])
		assert sim.inventory[(555, 7001)] == 22


def test_a_delivered_marketplace_order_is_reported_shipped_line_by_line():
	from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note

	from omni_channel.erp.orders import process
	from omni_channel.erp.shipping import ship_back
	from tests.bench.test_order_path import post_webhook, shopify_order

	item = builders.item_with_stock(30, bin_name="A1-01-R", price=12)
	other = builders.item_with_stock(30, bin_name="A1-02-L", price=12)
	payload = shopify_order(850001, item, 2, "12.00", "2026-11-23T09:00:00+08:00", cod=False)
	payload["line_items"].append({**payload["line_items"][0], "id": 8500012, "sku": other, "quantity": 1})
	payload["total_price"] = payload["subtotal_price"] = "36.00"  # the parts add up (issue 11)
	status, body = post_webhook(payload, webhook_id="wh-ship")
	so = frappe.get_doc("Sales Order", process(body["order"]))
	assert sorted(i.th_omni_line_id for i in so.items) == ["8500011", "8500012"]

	dn = make_delivery_note(so.name)
	dn.items = [i for i in dn.items if i.item_code == item]  # only the first line goes out today
	dn.insert()
	dn.submit()
	with Simulator(shopify_orders=[payload]) as sim:
		shop = frappe.get_doc("Channel Shop", SHOP)
		shop.api_url = sim.url
		shop.api_secret = sim.shopify_token
		shop.save()
		assert ship_back(dn.name) == 1
		(fulfillment,) = sim.fulfillments
		assert fulfillment["tracking_number"] == dn.name
		shipped = [li["id"] for li in fulfillment["line_items"]]
		assert shipped == [8500011], "only the delivered line is reported"


def test_polling_and_a_webhook_for_the_same_order_make_one_sales_order():
	from omni_channel.erp.orders import poll
	from tests.bench.test_order_path import post_webhook, shopify_order

	item = builders.item_with_stock(10, bin_name="A2-01-R", price=7)
	payload = shopify_order(860001, item, 1, "7.00", "2026-11-23T10:00:00+08:00", cod=False)
	with Simulator(shopify_orders=[payload]) as sim:
		shop = frappe.get_doc("Channel Shop", SHOP)
		shop.api_url = sim.url
		shop.api_secret = sim.shopify_token
		shop.last_polled_at = None
		shop.save()
		first = poll(SHOP)
		assert first["created"] == 1
		key = f"{SHOP}:860001"
		assert frappe.db.count("Sales Order", {"th_omni_order_log": key}) == 1
		assert post_webhook(payload, webhook_id="wh-poll")[1]["status"] == "duplicate"
		again = poll(SHOP)
		assert again["created"] == 0 and again["duplicate"] >= 1
	assert frappe.db.count("Sales Order", {"th_omni_order_log": key}) == 1
	assert frappe.db.get_value("Channel Shop", SHOP, "last_polled_at")
