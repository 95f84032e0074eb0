"""The Party Blacklist, enforced everywhere: the portal's checkout refuses, the channel review holds
with the reason, audiences skip the party; an entry past its Until day no longer applies."""

import frappe
import pytest
from frappe.utils import add_days, nowdate

from tests.bench import builders
from tests.bench.test_order_path import post_webhook, shopify_order


def blacklist(until=None, **party) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "Party Blacklist",
			"reason": party.pop("reason", "Unpaid invoices since May"),
			"until": until,
			**party,
		}
	)
	doc.insert()
	return doc.name


def sales_order(customer: str, item: str):
	so = frappe.get_doc(
		{
			"doctype": "Sales Order",
			"customer": customer,
			"company": builders.company(),
			"transaction_date": nowdate(),
			"delivery_date": add_days(nowdate(), 3),
			"items": [{"item_code": item, "qty": 2, "warehouse": builders.bin_warehouse("A2-03-L")}],
		}
	)
	so.insert()
	so.submit()
	return so


def test_a_blacklisted_customers_sales_order_is_refused_with_the_reason():
	"""The Sales Order's own validate refuses: the portal's checkout, a desk order, any path (the
	portal's answer, a 417 with the message shown in /mall, is tests/browser/test_crm_actions.py)."""
	customer = builders.customer("Gold Dealers", with_address=False).name
	item = builders.item_with_stock(20, bin_name="A2-03-L", price=10)
	entry = blacklist(customer=customer, party_type="Customer", reason="Cheques bounced twice")
	with pytest.raises(frappe.ValidationError) as refused:
		sales_order(customer, item)
	assert "Cheques bounced twice" in str(refused.value)

	# a reason with markup is refused as plain text (the desk shows messages as HTML)
	frappe.db.set_value("Party Blacklist", entry, "reason", 'Fraud <img src=x onerror="alert(1)">')
	with pytest.raises(frappe.ValidationError) as refused:
		sales_order(customer, item)
	assert "Fraud" in str(refused.value) and "<img" not in str(refused.value)
	assert not frappe.db.exists("Sales Order", {"customer": customer})

	# one entry per party: a second one for the same customer is refused
	with pytest.raises(frappe.DuplicateEntryError):
		blacklist(customer=customer, party_type="Customer")

	# the day after Until, the entry no longer applies
	frappe.db.set_value("Party Blacklist", entry, "until", add_days(nowdate(), -1))
	assert sales_order(customer, item).docstatus == 1


def test_channel_review_holds_a_blacklisted_buyers_order_and_shows_why():
	from omni_channel.erp.orders import process

	item = builders.item_with_stock(20, bin_name="A2-03-L", price=10)
	blacklist(party_type="Channel Buyer", platform="Shopify", buyer_id="7001", reason="Three chargebacks")
	# the same buyer id on another platform is someone else
	blacklist(
		party_type="Channel Buyer", platform="Taobao", buyer_id="mei@example.com", reason="not this one"
	)

	status, body = post_webhook(
		shopify_order(850001, item, 1, "10.00", "2026-11-22T10:00:00+08:00"), webhook_id="bl-1"
	)
	assert status == 200
	assert process(body["order"]) is None
	log = frappe.get_doc("Channel Order Log", body["order"])
	assert log.status == "Held" and not log.sales_order
	assert "blacklist" in log.hold_reason and "Three chargebacks" in log.hold_reason
	assert "not this one" not in log.hold_reason

	# expired: the next order of the buyer flows into a Sales Order
	frappe.db.set_value("Party Blacklist", {"buyer_id": "7001"}, "until", add_days(nowdate(), -1))
	status, body = post_webhook(
		shopify_order(850002, item, 1, "10.00", "2026-11-22T10:00:00+08:00"), webhook_id="bl-2"
	)
	assert process(body["order"])
	log = frappe.get_doc("Channel Order Log", body["order"])
	assert log.status == "Created" and log.sales_order


def test_audiences_skip_a_blacklisted_customer_until_the_entry_expires():
	from online_crm.erp.audiences import customer_audience

	segment = f"Test Segment {frappe.generate_hash(length=6)}"
	a, b = (builders.customer("Silver Dealers", with_address=False).name for _ in range(2))
	for c in (a, b):
		frappe.db.set_value("Customer", c, "th_crm_segment", segment)
	entry = blacklist(customer=b, party_type="Customer", until=nowdate())

	today = customer_audience(segments=[segment])
	assert today.customers == [a]
	assert today.excluded["blacklisted"] == 1

	frappe.db.set_value("Party Blacklist", entry, "until", add_days(nowdate(), -1))
	assert customer_audience(segments=[segment]).customers == sorted([a, b])
