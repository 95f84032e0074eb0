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
