"""A platform settlement statement is posted once to the GL: the invoice paid, fees booked, the payout in clearing."""

import frappe
import pytest
from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note
from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice
from frappe.utils import nowdate

from tests.bench import builders
from tests.bench.test_order_path import SHOP, post_webhook, shopify_order


def balance(account: str, voucher: str) -> float:
	return frappe.db.sql(
		"select sum(debit - credit) from `tabGL Entry` where account = %s and voucher_no = %s and is_cancelled = 0",
		(account, voucher),
	)[0][0]


def test_settlement_clears_the_invoice_and_books_fees():
	from omni_channel.erp.orders import process
	from omni_channel.erp.settlements import post

	item = builders.item_with_stock(10, bin_name="A2-02-R", price=45)
	payload = shopify_order(880001, item, 2, "45.00", "2026-11-23T12:00:00+08:00", cod=False)
	so = frappe.get_doc("Sales Order", process(post_webhook(payload, webhook_id="wh-set")[1]["order"]))
	dn = make_delivery_note(so.name)
	dn.insert()
	dn.submit()
	si = make_sales_invoice(dn.name)
	si.insert()
	si.submit()
	customer = so.customer
	owed_before = builders.receivable(customer)

	doc = frappe.get_doc(
		{
			"doctype": "Channel Settlement",
			"shop": SHOP,
			"statement_id": "ST-2026-11-W4",
			"period_end": nowdate(),
			"payout": 84.5,
			"lines": [
				{"order_id": "880001", "kind": "sale", "amount": 90},
				{"order_id": "880001", "kind": "commission", "amount": -4.5},
				{"order_id": "880001", "kind": "service_fee", "amount": -1},
			],
		}
	).insert()
	result = post(doc.name)
	je = frappe.get_doc("Journal Entry", result.journal_entry)
	assert je.docstatus == 1 and je.total_debit == pytest.approx(90)  # rows netted per account
	shop = frappe.get_doc("Channel Shop", SHOP)
	assert balance(shop.clearing_account, je.name) == pytest.approx(84.5), "the payout lands in clearing"
	assert balance(shop.fee_account, je.name) == pytest.approx(5.5)
	assert builders.receivable(customer) == pytest.approx(owed_before - 90), (
		"the platform paid the buyer's invoice"
	)
	assert not result.variances
	assert post(doc.name).journal_entry == je.name, "posting again changes nothing"
