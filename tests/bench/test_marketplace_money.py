"""Money to the cent on a real ERPNext site (issue 11, findings 3-5).

Every order fixture of every platform is mapped and, where its parts add up to the platform's
total, made into a submitted Sales Order (one transaction each, rolled back): its grand total is the
platform's total to the cent — less what was refunded and less the units the platform shipped
itself — with shipping, tax and the rounding difference booked as charges. A fixture whose parts
do not add up is held, showing both numbers, and makes no Sales Order.
"""

import json
from decimal import Decimal

import frappe
import pytest
from frappe.utils import flt, nowdate

from omni_channel import channels
from omni_channel.core import totals
from omni_channel.erp.orders import make_sales_order, process, store
from tests.bench import builders
from tests.unit.omni_channel.factories import all_fixtures

ORDERS = [(p, n, d) for p, n, d in all_fixtures() if not n.startswith("webhook_")]
HELD = {("woocommerce", "order_refunded_partly")}


def shop_for(platform: str):
	"""A shop of the fixture's platform on the demo company (rolled back with the test).

	Money is the point here, not stock: the shops take orders beyond free stock (the hold for
	that is tested in test_marketplace_stock_races.py)."""
	demo = frappe.get_doc("Channel Shop", builders.DEMO["channel_shop"]["shop_name"])
	demo.hold_when_short = 0
	if platform == demo.platform.lower():
		return demo
	doc = frappe.get_doc(
		{
			"doctype": "Channel Shop",
			"shop_name": f"money-{platform}",
			"hold_when_short": 0,
			"platform": {"woocommerce": "WooCommerce", "taobao": "Taobao"}[platform],
			"enabled": 1,
			"company": demo.company,
			"customer": demo.customer,
			"warehouse": demo.warehouse,
			"price_list": demo.price_list,
			"shipping_account": demo.shipping_account,
		}
	).insert(ignore_permissions=True)
	return doc


def rate_to_company_currency(currency: str) -> None:
	company_currency = frappe.get_cached_value("Company", builders.company(), "default_currency")
	if currency != company_currency:
		frappe.get_doc(
			{
				"doctype": "Currency Exchange",
				"date": nowdate(),
				"from_currency": currency,
				"to_currency": company_currency,
				"exchange_rate": 7.5,
				"for_selling": 1,
			}
		).insert(ignore_permissions=True)


@pytest.mark.parametrize("platform,name,payload", ORDERS, ids=lambda x: x if isinstance(x, str) else "")
def test_every_fixture_makes_a_sales_order_at_the_platform_total_to_the_cent(platform, name, payload):
	shop = shop_for(platform)
	order = channels.to_canonical(platform, payload, shop.name)
	if (platform, name) in HELD:
		assert totals.check(order) is not None
		return
	assert totals.check(order) is None, "the parts add up"
	rate_to_company_currency(order.currency)
	item = builders.item_with_stock(0, price=1)
	so = make_sales_order(order, shop, {ln.external_line_id: item for ln in order.lines}, "")
	so.reload()
	assert so.docstatus == 1 and so.currency == order.currency
	target = totals.open_total(order)
	assert Decimal(str(so.grand_total)) == target.quantize(Decimal("0.01"))
	if not order.refunds and not any(ln.shipped_qty for ln in order.lines):
		assert Decimal(str(so.grand_total)) == order.grand_total, "the platform's own total"
	# what ERPNext rounded is booked, not lost: items + charges are the total
	assert flt(sum(i.amount for i in so.items) + sum(t.tax_amount for t in so.taxes), 2) == flt(
		so.grand_total, 2
	)


def woo_three_for_ten(order_id: int) -> dict:
	from tests.unit.omni_channel.factories import fixture

	d = fixture("woocommerce", "order_processing_guest")
	d["id"] = order_id
	d["line_items"] = [
		{**d["line_items"][0], "quantity": 3, "subtotal": "10.00", "total": "10.00", "price": 3.3333333333}
	]
	d.update(shipping_total="0.00", total_tax="0.00", discount_total="0.00", total="10.00", fee_lines=[])
	d["customer_note"] = ""
	return d


def test_three_at_a_third_of_ten_is_ten_with_the_cent_booked_as_rounding():
	shop = shop_for("woocommerce")
	order = channels.to_canonical("woocommerce", woo_three_for_ten(991101), shop.name)
	rate_to_company_currency(order.currency)
	item = builders.item_with_stock(0, price=1)
	so = make_sales_order(order, shop, {order.lines[0].external_line_id: item}, "")
	assert [(i.qty, i.rate) for i in so.items] == [(3, 3.33)]
	assert [(t.account_head, t.tax_amount) for t in so.taxes] == [
		(frappe.get_cached_value("Company", shop.company, "round_off_account"), 0.01)
	]
	assert so.grand_total == 10.0


def test_an_order_whose_parts_do_not_add_up_is_held_showing_both_numbers():
	shop = shop_for("woocommerce")
	payload = woo_three_for_ten(991102)
	payload["total"] = "12.00"
	item = builders.item_with_stock(0, price=1)
	payload["line_items"][0]["sku"] = item
	raw = json.dumps(payload).encode()
	key = f"{shop.name}:991102"
	order = channels.to_canonical("woocommerce", payload, shop.name)
	assert store(key, shop, "991102", order.updated_at, raw, None, order=order) == "created"
	assert process(key) is None
	log = frappe.get_doc("Channel Order Log", key)
	assert log.status == "Held" and not log.sales_order
	assert "10.00" in log.hold_reason and "12.00" in log.hold_reason
