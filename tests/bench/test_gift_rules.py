"""Gift rules (智能赠品) on the site: a marketplace order and a portal order each get their free gift
line, naming the rule; a gift out of stock and a buyer's used-up limit skip the rule and say so on
the order, which is made all the same."""

import random

import frappe
import pytest
from frappe.utils import add_days, flt, now_datetime

from omni_channel.erp.orders import process
from tests.bench import builders
from tests.bench.test_order_path import SHOP, place_as, post_webhook, shopify_order


def rule(**kw) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "Order Gift Rule",
			"title": f"Gift {frappe.generate_hash(length=6)}",
			"enabled": 1,
			"applies_to": "All channels",
			"gift_qty": 1,
			"starts": add_days(now_datetime(), -1),
			"ends": add_days(now_datetime(), 1),
			**kw,
		}
	).insert()
	return doc.name


def marketplace_order(sku: str, qty: int, buyer_id: int) -> frappe._dict:
	payload = shopify_order(random.randint(10**9, 10**10), sku, qty, "30.00", "2026-11-30T09:00:00+08:00")
	payload["customer"]["id"] = buyer_id
	status, body = post_webhook(payload, webhook_id=f"wh-gift-{frappe.generate_hash(length=8)}")
	assert status == 200, body
	so_name = process(body["order"])
	assert so_name, frappe.db.get_value(
		"Channel Order Log", body["order"], ["status", "hold_reason", "error"]
	)
	return frappe.get_doc("Sales Order", so_name)


def gift_lines(so) -> list[tuple]:
	return [(d.item_code, d.qty, d.rate, d.is_free_item, d.th_gift_rule) for d in so.items if d.th_gift_rule]


def test_a_marketplace_order_gets_its_gift_and_a_rule_without_stock_or_limit_left_says_why():
	tea = builders.item_with_stock(100, bin_name="A1-03-L", price=30)
	cup = builders.item_with_stock(20, bin_name="A2-01-L", price=5)
	empty = builders.item_with_stock(0, bin_name="A2-01-L", price=5)
	buy_two = rule(
		applies_to="Marketplaces", shop=SHOP, buy_item=tea, buy_qty=2, repeat=1, gift_item=cup,
		per_buyer_limit=2,
	)  # fmt: skip
	no_stock = rule(applies_to="Marketplaces", spend_over=50, gift_item=empty)
	portal_only = rule(applies_to="B2B Portal", gift_item=cup)

	buyer = random.randint(10**6, 10**7)
	so = marketplace_order(tea, 3, buyer)
	assert so.docstatus == 1, "the gift rules never stop an order"
	assert gift_lines(so) == [(cup, 1, 0, 1, buy_two)], "3 teas earn one set: buy 2 get 1"
	paid = next(d for d in so.items if d.item_code == tea)
	assert (paid.qty, paid.rate) == (3, 30), "the buyer's own line is as the platform sold it"
	assert flt(so.grand_total) == 90, "the gift is free: the total is the platform's"
	assert buy_two in so.th_gift_note and f"{no_stock}: {empty} is out of stock" in so.th_gift_note
	assert portal_only not in so.th_gift_note
	# the gift is reserved like any line: the picker takes it with the order
	assert (
		frappe.db.get_value(
			"Bin", {"item_code": cup, "warehouse": builders.bin_warehouse("A2-01-L")}, "reserved_qty"
		)
		== 1
	)

	# the same buyer: 4 teas earn 2 sets, but the rule allows 2 per buyer and 1 was given
	again = marketplace_order(tea, 4, buyer)
	assert gift_lines(again) == [(cup, 1, 0, 1, buy_two)]
	third = marketplace_order(tea, 2, buyer)
	assert gift_lines(third) == []
	assert f"{buy_two}: {SHOP}:{buyer} already had 2 gift(s)" in third.th_gift_note
	# another buyer starts from nothing
	other = marketplace_order(tea, 2, buyer + 1)
	assert gift_lines(other) == [(cup, 1, 0, 1, buy_two)]

	# the gift line goes on to the note and the invoice, still free and still naming the rule
	from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note

	dn = make_delivery_note(so.name)
	dn.insert()
	(gift,) = [d for d in dn.items if d.th_gift_rule]
	assert (gift.item_code, gift.qty, gift.rate, gift.th_gift_rule) == (cup, 1, 0, buy_two)


def test_a_portal_order_gets_the_portal_rule_gift_at_checkout():
	cust = builders.customer("Gold Dealers", credit_limit=100000)
	user = builders.portal_user_for(cust.name)
	tea = builders.item_with_stock(50, bin_name="A3-02-R", price=20)
	mug = builders.item_with_stock(10, bin_name="A1-04-L", price=12)
	group = frappe.db.get_value("Item", tea, "item_group")
	over_200 = rule(applies_to="B2B Portal", spend_over=200, gift_item=mug, gift_qty=2)
	marketplace_only = rule(applies_to="Marketplaces", gift_item=mug)
	in_group = rule(buy_item_group=group, buy_qty=50, gift_item=mug)  # 50 units: this cart has 12

	placed = place_as(user, [{"item_code": tea, "qty": 12}])
	so = frappe.get_doc("Sales Order", placed["sales_order"])
	assert so.th_channel == "B2B Portal" and so.docstatus == 1
	assert gift_lines(so) == [(mug, 2, 0, 1, over_200)]
	assert flt(placed["grand_total"]) == flt(so.grand_total)
	assert flt(so.grand_total) == pytest.approx(
		sum(flt(d.amount) for d in so.items if not d.th_gift_rule) + flt(so.total_taxes_and_charges)
	)
	assert marketplace_only not in (so.th_gift_note or "") and in_group not in (so.th_gift_note or "")
	assert so.th_gift_buyer == cust.name
