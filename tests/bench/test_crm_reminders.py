"""催付 and logistics reminders: an unpaid marketplace order, an overdue invoice and a shipment not
delivered are each reminded once per rule (a second run sends nothing), by e-mail or SMS, with a
Comment on the order; a cash-on-delivery order is not chased for payment."""

import email

import frappe
import pytest
from frappe.utils import add_days, nowdate, random_string

from tests.bench import builders
from tests.bench.test_crm_outreach import outgoing_account
from tests.bench.test_order_path import SHOP, post_webhook, shopify_order


@pytest.fixture(autouse=True)
def _outgoing_account(rollback):
	outgoing_account()


def rule(kind: str, wait: int, channel: str = "", send_by: str = "E-mail", **kw) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "CRM Reminder Rule",
				"rule_name": f"{kind} {random_string(6)}",
				"kind": kind,
				"wait": wait,
				"sales_channel": channel,
				"send_by": send_by,
				"subject": "{{ order }}: a reminder",
				"message": "Dear {{ customer_name }}, {{ order }} ({{ amount }}) is waiting.",
				**kw,
			}
		)
		.insert()
		.name
	)


def body_of(raw: str) -> str:
	"""The HTML part of a queued MIME message, decoded."""
	msg = email.message_from_string(raw)
	return next(
		p.get_payload(decode=True).decode(p.get_content_charset() or "utf-8")
		for p in msg.walk()
		if p.get_content_type() == "text/html"
	)


def emails_about(doctype: str, name: str) -> list[tuple[str, str]]:
	"""(recipient, HTML body) of each e-mail queued about this document."""
	rows = frappe.db.sql(
		"""select r.recipient, q.message from `tabEmail Queue` q join `tabEmail Queue Recipient` r on r.parent = q.name
		where q.reference_doctype = %s and q.reference_name = %s""",
		(doctype, name),
	)
	return [(to, body_of(raw)) for to, raw in rows]


def comments_on(doctype: str, name: str) -> list[str]:
	return frappe.get_all(
		"Comment",
		filters={"reference_doctype": doctype, "reference_name": name, "comment_type": "Comment"},
		pluck="content",
	)


def marketplace_order(order_id: int, cod: bool) -> tuple[str, str]:
	"""(doctype, name) the reminder is about: the Sales Order, or the order log while it is held."""
	from omni_channel.erp.orders import process

	item = builders.item_with_stock(
		0, price=10
	)  # no stock receipt: its series is a hot lock on a shared site
	payload = shopify_order(order_id, item, 1, "10.00", "2026-11-22T10:00:00+08:00", cod=cod)
	payload["financial_status"] = "pending"  # placed, not paid
	status, body = post_webhook(payload, webhook_id=f"rem-{order_id}")
	assert status == 200
	process(body["order"])
	so = frappe.db.get_value("Channel Order Log", body["order"], "sales_order")
	return ("Sales Order", so) if so else ("Channel Order Log", body["order"])


def test_an_unpaid_marketplace_order_is_reminded_once_by_email_and_noted_on_the_order():
	from online_crm.erp.reminders import run_rules

	doctype, unpaid = marketplace_order(870000 + (hash(random_string(8)) % 9999), cod=False)
	_dt, cod = marketplace_order(880000 + (hash(random_string(8)) % 9999), cod=True)
	r = rule("Unpaid marketplace order", 30, channel="Shopify", send_by="SMS, else e-mail")
	frappe.db.set_single_value("SMS Settings", "sms_gateway_url", "")
	run_rules([r], commit=False)
	sent = emails_about(doctype, unpaid)
	# the buyer has no phone on the order (the ship-to's is used), no gateway: SMS fails, so the
	# log says why; with no SMS the rule falls back only when there is no number at all
	log = frappe.get_all(
		"CRM Reminder Log",
		filters={"rule": r, "reference_name": unpaid},
		fields=["status", "means", "reason", "recipient"],
	)
	assert len(log) == 1
	assert (log[0].status, log[0].means, log[0].reason) == (
		"Failed",
		"SMS",
		"SMS Settings has no SMS gateway URL",
	)
	assert not sent
	assert any("not sent" in c for c in comments_on(doctype, unpaid))
	assert not frappe.db.exists("CRM Reminder Log", {"rule": r, "reference_name": cod}), (
		"COD: the driver collects"
	)

	# by e-mail: the buyer's address from the platform, once
	r2 = rule("Unpaid marketplace order", 30, channel=f"Shopify:{SHOP}", send_by="E-mail")
	run_rules([r2], commit=False)
	run_rules([r2], commit=False)
	sent = emails_about(doctype, unpaid)
	assert [to for to, _m in sent] == ["mei@example.com"]
	assert "10.00" in sent[0][1] and "王" in sent[0][1]
	assert frappe.db.count("CRM Reminder Log", {"rule": r2, "reference_name": unpaid}) == 1
	assert any("sent by E-mail to mei@example.com" in c for c in comments_on(doctype, unpaid))


def overdue_invoice(channel: str, due_days_ago: int) -> str:
	c = builders.customer("Silver Dealers", with_address=False).name
	frappe.db.set_value("Customer", c, {"email_id": f"{c.replace(' ', '').lower()}@example.com"})
	item = builders.item_with_stock(0, price=10)
	si = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"customer": c,
			"company": builders.company(),
			"set_posting_time": 1,
			"posting_date": add_days(nowdate(), -due_days_ago - 10),
			"due_date": add_days(nowdate(), -due_days_ago),
			"th_channel": channel,
			"items": [{"item_code": item, "qty": 3, "rate": 10}],
		}
	)
	si.insert()
	si.submit()
	return si.name


def test_an_overdue_portal_invoice_is_reminded_once_after_the_wait():
	from online_crm.erp.reminders import run_rules

	channel = f"Test Portal {random_string(5)}"
	late = overdue_invoice(channel, 5)
	recent = overdue_invoice(channel, 1)
	r = rule("Overdue invoice", 3, channel=channel)
	assert run_rules([r], commit=False) == {"Sent": 1}
	assert run_rules([r], commit=False) == {}
	to = frappe.db.get_value("Customer", frappe.db.get_value("Sales Invoice", late, "customer"), "email_id")
	assert [t for t, _m in emails_about("Sales Invoice", late)] == [to]
	assert not emails_about("Sales Invoice", recent)
	assert len(comments_on("Sales Invoice", late)) == 1
	# paid in the meantime: nothing more to chase for another rule either
	frappe.db.set_value("Sales Invoice", late, "outstanding_amount", 0)
	assert run_rules([rule("Overdue invoice", 3, channel=channel)], commit=False) == {}


def test_a_shipment_not_delivered_is_followed_up_once_on_its_sales_order():
	from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note

	from online_crm.erp.reminders import run_rules

	channel = f"Test Shop {random_string(5)}"
	c = builders.customer("Silver Dealers", with_address=False).name
	frappe.db.set_value("Customer", c, {"mobile_no": "", "email_id": "shipped@example.com"})
	item = builders.item_with_stock(0, price=10)
	frappe.db.set_value("Item", item, "is_stock_item", 0)  # a service: shipped without a stock entry
	so = frappe.get_doc(
		{
			"doctype": "Sales Order",
			"customer": c,
			"company": builders.company(),
			"transaction_date": nowdate(),
			"delivery_date": add_days(nowdate(), 2),
			"th_channel": channel,
			"items": [{"item_code": item, "qty": 1, "warehouse": builders.bin_warehouse("A2-03-L")}],
		}
	)
	so.insert()
	so.submit()
	dn = make_delivery_note(so.name)
	dn.insert()
	dn.submit()
	waits = rule("Shipped, not delivered", 2, channel=channel)
	assert run_rules([waits], commit=False) == {}  # shipped today: not yet
	r = rule("Shipped, not delivered", 0, channel=channel, send_by="SMS, else e-mail")
	assert run_rules([r], commit=False) == {"Sent": 1}
	assert run_rules([r], commit=False) == {}
	assert [t for t, _m in emails_about("Sales Order", so.name)] == ["shipped@example.com"]
	assert frappe.db.get_value("CRM Reminder Log", {"rule": r}, ["reference_doctype", "reference_name"]) == (
		"Sales Order",
		so.name,
	)
	assert len(comments_on("Sales Order", so.name)) == 1


def test_a_rule_with_a_broken_template_is_refused():
	with pytest.raises(frappe.ValidationError, match="tracking"):
		rule("Overdue invoice", 1, message="Your parcel {{ tracking }}")
