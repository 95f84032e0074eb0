"""Marketplace documents under real roles: booking a refund or posting a settlement needs the rights on
what it creates, platform data cannot be rewritten, and only a System Manager sets a shop's connection."""

import json

import frappe
import pytest
from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note
from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice
from frappe.utils import nowdate, random_string
from frappe.utils.password import get_decrypted_password

from tests.bench import builders
from tests.bench.test_marketplace_refunds import post_refund
from tests.bench.test_order_path import SHOP, post_webhook, shopify_order


def user_with(*roles: str) -> str:
	email = f"perm-{random_string(8).lower()}@test.local"
	user = frappe.get_doc(
		{
			"doctype": "User",
			"email": email,
			"first_name": "Perm",
			"user_type": "System User",
			"send_welcome_email": 0,
		}
	)
	user.insert(ignore_permissions=True)
	user.add_roles(*roles)
	return email


def as_user(user: str, fn, *args, **kwargs):
	frappe.set_user(user)
	try:
		return fn(*args, **kwargs)
	finally:
		frappe.set_user("Administrator")


def invoiced_order(order_id: int, qty: int = 3) -> tuple[str, str]:
	"""A marketplace order, delivered and invoiced: (item, sales invoice)."""
	from omni_channel.erp.orders import process

	item = builders.item_with_stock(20, bin_name="A3-01-L", price=30)
	good_bin = builders.bin_warehouse("A3-04-R")
	frappe.db.set_value("Channel Shop", SHOP, {"return_warehouse": good_bin, "defective_warehouse": good_bin})
	payload = shopify_order(order_id, item, qty, "30.00", "2026-11-23T11:00:00+08:00", cod=False)
	so = process(post_webhook(payload, webhook_id=f"wh-perm-{order_id}")[1]["order"])
	dn = make_delivery_note(so)
	dn.insert()
	dn.submit()
	si = make_sales_invoice(dn.name)
	si.insert()
	si.submit()
	return item, si.name


def refund_waiting(order_id: int) -> str:
	refund = {
		"id": order_id * 10,
		"order_id": order_id,
		"created_at": "2026-11-24T10:00:00+08:00",
		"note": "unwanted",
		"refund_line_items": [
			{
				"id": 1,
				"line_item_id": order_id * 10 + 1,
				"quantity": 2,
				"restock_type": "return",
				"subtotal": "60.00",
				"total_tax": "0.00",
			}
		],
		"transactions": [{"kind": "refund", "status": "success", "amount": "60.00"}],
	}
	status, answer = post_refund(refund, f"wh-perm-ref-{order_id}")
	assert status == 200
	return answer["refund"]


def test_a_stock_manager_inspects_but_cannot_rewrite_or_book_a_refund():
	from omni_channel.api.refunds import book

	_item, si = invoiced_order(871001)
	name = refund_waiting(871001)
	stock_manager = user_with("Stock Manager", "Stock User")

	def rewrite(change):
		doc = frappe.get_doc("Channel Refund", name)
		change(doc)
		doc.save()

	for change in (
		lambda d: setattr(d, "payload", json.dumps({"refund_line_items": []})),
		lambda d: setattr(d, "amount", 1),
		lambda d: setattr(d, "status", "Booked"),
		lambda d: setattr(d.lines[0], "qty", 99),
		lambda d: setattr(d.lines[0], "restock", 0),
		lambda d: d.append("lines", {"external_line_id": "x", "qty": 1}),
		lambda d: setattr(d, "lines", []),
	):
		with pytest.raises(frappe.PermissionError):
			as_user(stock_manager, rewrite, change)
		with pytest.raises(frappe.PermissionError):  # not even Administrator: it is the platform's data
			rewrite(change)
	with pytest.raises(frappe.PermissionError):  # and nobody but the webhook makes one
		as_user(
			stock_manager,
			lambda: frappe.get_doc(
				{"doctype": "Channel Refund", "shop": SHOP, "refund_id": "forged", "payload": "{}"}
			).insert(),
		)

	as_user(
		stock_manager, rewrite, lambda d: setattr(d.lines[0], "condition", "good")
	)  # inspecting is theirs
	assert frappe.db.get_value("Channel Refund Line", {"parent": name}, "condition") == "good"

	with pytest.raises(frappe.PermissionError):
		as_user(stock_manager, book, name)
	assert frappe.db.count("Sales Invoice", {"return_against": si}) == 0, "nothing was written"

	# with the rights on the credit note and the stock return, the same refund books
	booker = user_with("Stock Manager", "Accounts Manager", "Accounts User", "Stock User")
	booked = as_user(booker, book, name)
	cn = frappe.get_doc("Sales Invoice", booked.credit_note)
	assert cn.docstatus == 1 and cn.owner == booker, "written as the caller, not as the system"
	assert frappe.get_value("Delivery Note", booked.stock_return, "owner") == booker
	with pytest.raises(frappe.PermissionError):  # booked: the inspection is final too
		rewrite(lambda d: setattr(d.lines[0], "condition", "defective"))


def test_posting_a_settlement_needs_the_right_to_submit_journal_entries():
	from omni_channel.api.settlements import post

	invoiced_order(881001, qty=2)
	doc = frappe.get_doc(
		{
			"doctype": "Channel Settlement",
			"shop": SHOP,
			"statement_id": f"ST-{random_string(6)}",
			"period_end": nowdate(),
			"payout": 57,
			"lines": [
				{"order_id": "881001", "kind": "sale", "amount": 60},
				{"order_id": "881001", "kind": "commission", "amount": -3},
			],
		}
	).insert()
	with pytest.raises(frappe.PermissionError):  # a posted status is set by posting only
		doc.status = "Posted"
		doc.save()
	doc.reload()
	system_manager = user_with("System Manager")  # may edit the statement, may not book accounting
	assert frappe.has_permission("Channel Settlement", "write", doc.name, user=system_manager)
	with pytest.raises(frappe.PermissionError):
		as_user(system_manager, post, doc.name)
	assert not frappe.db.get_value("Channel Settlement", doc.name, "journal_entry")

	accountant = user_with("Accounts Manager", "Accounts User")
	result = as_user(accountant, post, doc.name)
	je = frappe.get_doc("Journal Entry", result.journal_entry)
	assert je.docstatus == 1 and je.owner == accountant
	doc.reload()
	doc.lines[0].amount = 600
	with pytest.raises(frappe.PermissionError):  # posted: the statement is final
		doc.save()


def test_only_a_system_manager_changes_where_a_shops_credentials_go():
	meta = frappe.get_meta("Channel Shop")
	assert meta.get_field("api_key").fieldtype == "Password"
	connection = ("api_url", "api_key", "api_secret", "webhook_secret", "session_key", "sign_method")
	assert {f: meta.get_field(f).permlevel for f in connection} == dict.fromkeys(connection, 1)

	frappe.db.set_value("Channel Shop", SHOP, "api_url", "https://shop.example.com")
	sales_manager = user_with("Sales Manager")

	def redirect(limit: float):
		shop = frappe.get_doc("Channel Shop", SHOP)
		shop.api_url = "https://attacker.example.net"
		shop.webhook_secret = "attacker-chosen"
		shop.api_key = "attacker-key"
		shop.review_amount_limit = limit
		shop.save()

	as_user(sales_manager, redirect, 123)
	shop = frappe.get_doc("Channel Shop", SHOP)
	assert shop.review_amount_limit == 123, "the review settings are the Sales Manager's"
	assert shop.api_url == "https://shop.example.com"
	assert shop.get_password("webhook_secret") == builders.DEMO["channel_shop"]["webhook_secret"]
	assert not shop.get_password("api_key", raise_exception=False)

	admin = user_with("System Manager", "Sales Manager")
	as_user(admin, redirect, 5)
	shop = frappe.get_doc("Channel Shop", SHOP)
	assert shop.api_url == "https://attacker.example.net"
	assert shop.get_password("api_key") == "attacker-key"
	assert set(frappe.db.get_value("Channel Shop", SHOP, "api_key")) == {"*"}, "no key in clear text"


def test_the_patch_moves_clear_text_api_keys_into_the_password_store():
	from omni_channel.patches.api_key_to_password import execute

	frappe.db.set_value("Channel Shop", SHOP, "api_key", "ck_live_12345", update_modified=False)
	assert execute() >= 1
	assert frappe.db.get_value("Channel Shop", SHOP, "api_key") == "*" * len("ck_live_12345")
	assert get_decrypted_password("Channel Shop", SHOP, "api_key") == "ck_live_12345"
	assert execute() == 0, "running it again changes nothing"
