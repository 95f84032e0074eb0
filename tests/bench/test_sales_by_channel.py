"""Issue 14, "Sales by channel, region and brand: Script Reports with charts": the report adds up the
submitted Sales Invoices of each channel (a credit note reduces its channel), counts invoices and
buyers, and groups by brand from the invoice lines."""

import frappe
from frappe.utils import random_string

from tests.bench import builders
from tests.bench.test_rfm_on_site import invoice


def run(**filters):
	from online_crm.online_crm.report.sales_by_channel.sales_by_channel import execute

	columns, data, _msg, chart, summary = execute(filters)
	return {d["group"]: d for d in data}, chart, summary


def test_net_sales_invoices_and_buyers_per_channel_and_per_brand():
	shop, portal = f"Shopify:bench-{random_string(6)}", f"Portal-{random_string(6)}"
	brand = frappe.get_doc({"doctype": "Brand", "brand": f"Bench Tea {random_string(6)}"}).insert().name
	tea = builders.item_with_stock(0, price=10)
	frappe.db.set_value("Item", tea, "brand", brand)
	cup = builders.item_with_stock(0, price=10)
	a, b = (builders.customer("Silver Dealers", with_address=False).name for _ in range(2))
	made = [
		(invoice(a, tea, 3, 2), shop),  # 30
		(invoice(b, cup, 5, 1), shop),  # 50
		(invoice(a, cup, 2, 0), portal),  # 20
	]
	made.append((invoice(b, cup, 1, 0, is_return_of=made[1][0]), shop))  # −10, on the same channel
	for name, channel in made:
		frappe.db.set_value("Sales Invoice", name, "th_channel", channel)

	rows, chart, summary = run(group_by="Channel")
	assert {
		k: (v["invoices"], v["customers"], v["net_sales"]) for k, v in rows.items() if k in (shop, portal)
	} == {
		shop: (2, 2, 70.0),
		portal: (1, 1, 20.0),
	}
	total = sum(r["net_sales"] for r in rows.values())
	assert rows[shop]["share"] == round(100 * 70 / total, 1)
	assert (
		dict(zip(chart["data"]["labels"], chart["data"]["datasets"][0]["values"], strict=True))[shop] == 70.0
	)
	assert next(s["value"] for s in summary if s["label"] == "Net Sales") == total

	by_brand, _c, _s = run(group_by="Brand")
	assert (by_brand[brand]["invoices"], by_brand[brand]["net_sales"]) == (1, 30.0)

	# a period without them: gone
	later, _c, _s = run(group_by="Channel", from_date="2099-01-01", to_date="2099-12-31")
	assert shop not in later and portal not in later
