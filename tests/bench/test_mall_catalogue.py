"""The mall's catalogue API on a real site: who may call it, whose prices it answers with, and the
checks that stay on the server (pack multiples, the customer's own address, the note kept as text)."""

import frappe
import pytest
from frappe.utils import add_days, escape_html, nowdate, random_string

from b2b_mall.core.cart import CartLine, CartRejected, Checkout
from b2b_mall.erp import catalogue
from b2b_mall.erp import orders as mall
from tests.bench import builders
from tests.bench.test_no_data_crosses_parties import api, system_user

RULE_RATE = 7.77  # a price no other document of the site is likely to show


def buyer_of(group: str = "Gold Dealers") -> tuple[str, str]:
	cust = builders.customer(group)
	return cust.name, builders.portal_user_for(cust.name)


def break_for(customer: str, item: str, min_qty: float = 50, rate: float = RULE_RATE) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "Pricing Rule",
				"title": f"break {random_string(6)}",
				"apply_on": "Item Code",
				"items": [{"item_code": item}],
				"price_or_product_discount": "Price",
				"selling": 1,
				"applicable_for": "Customer",
				"customer": customer,
				"min_qty": min_qty,
				"rate_or_discount": "Rate",
				"rate": rate,
				"currency": "CNY",
				"company": builders.company(),
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def item_of(result: dict, code: str) -> dict:
	return next(i for i in result["items"] if i["item_code"] == code)


def test_each_buyer_gets_their_own_customers_prices_and_breaks():
	item = builders.item_with_stock(80, price=12)
	a, buyer_a = buyer_of("Gold Dealers")
	b, buyer_b = buyer_of("Gold Dealers")
	silver, buyer_s = buyer_of("Silver Dealers")
	frappe.db.set_value(
		"Item Price", {"item_code": item, "price_list": "Wholesale Silver"}, "price_list_rate", 13
	)
	break_for(b, item)

	mine, text = api(buyer_b, "b2b_mall.api.catalogue.items", http="GET", q=item)
	assert item_of(mine, item)["rate"] == 12 and item_of(mine, item)["breaks"] == [[50, RULE_RATE]]
	assert item_of(mine, item)["available"] == 80

	# the other Gold customer: the same list price, never B's break, whatever it names
	theirs, text = api(buyer_a, "b2b_mall.api.catalogue.items", http="GET", q=item, customer=b, party=b)
	assert item_of(theirs, item)["rate"] == 12 and item_of(theirs, item)["breaks"] == []
	assert str(RULE_RATE) not in text and b not in text
	# Silver's own price list
	silver_view, _t = api(buyer_s, "b2b_mall.api.catalogue.items", http="GET", q=item)
	assert item_of(silver_view, item)["rate"] == 13


def test_guests_and_logins_without_a_customer_are_refused():
	item = builders.item_with_stock(5, price=12)
	for user in ("Guest", system_user(), system_user("Sales User")):
		with pytest.raises(frappe.PermissionError):
			api(user, "b2b_mall.api.catalogue.items", http="GET", q=item)
		with pytest.raises(frappe.PermissionError):
			api(user, "b2b_mall.api.catalogue.quick_order", text=f"{item} 1")


def test_search_paging_and_groups():
	tag = random_string(6).upper()
	group = frappe.get_doc(
		{"doctype": "Item Group", "item_group_name": f"Paged {tag}", "parent_item_group": "All Item Groups"}
	).insert(ignore_permissions=True)
	codes = []
	for n in range(5):
		code = builders.item_with_stock(0, price=3 + n)
		it = frappe.get_doc("Item", code)
		it.update({"item_name": f"Paged {tag} {n}", "item_group": group.name})
		it.save(ignore_permissions=True)
		codes.append(code)
	_c, buyer = buyer_of()
	first, _t = api(buyer, "b2b_mall.api.catalogue.items", http="GET", item_group=group.name, page_size=2)
	assert (first["total"], first["pages"], len(first["items"])) == (5, 3, 2)
	last, _t = api(
		buyer, "b2b_mall.api.catalogue.items", http="GET", item_group=group.name, page=3, page_size=2
	)
	assert [i["item_code"] for i in last["items"]] == sorted(codes)[4:]
	named, _t = api(buyer, "b2b_mall.api.catalogue.items", http="GET", q=f"paged {tag.lower()} 3")
	assert [i["item_code"] for i in named["items"]] == [codes[3]]
	barcode = frappe.db.get_value("Item Barcode", {"parent": codes[1]}, "barcode")
	by_code, _t = api(buyer, "b2b_mall.api.catalogue.items", http="GET", q=barcode)
	assert [i["item_code"] for i in by_code["items"]] == [codes[1]]
	# LIKE wildcards are text
	nothing, _t = api(buyer, "b2b_mall.api.catalogue.items", http="GET", q="%_%", item_group=group.name)
	assert nothing["total"] == 0
	assert {"name": group.name, "count": 5} in catalogue.groups()


def test_a_changed_price_or_rule_shows_at_once():
	item = builders.item_with_stock(5, price=20)
	cust, buyer = buyer_of()
	before, _t = api(buyer, "b2b_mall.api.catalogue.items", http="GET", q=item)
	assert item_of(before, item)["rate"] == 20
	price = frappe.get_doc("Item Price", {"item_code": item, "price_list": "Wholesale Gold"})
	price.price_list_rate = 21
	price.save(ignore_permissions=True)
	break_for(cust, item, min_qty=10, rate=19)
	after, _t = api(buyer, "b2b_mall.api.catalogue.items", http="GET", q=item)
	assert item_of(after, item)["rate"] == 21 and item_of(after, item)["breaks"] == [[10, 19]]


def test_stock_as_a_band():
	item = builders.item_with_stock(4, price=20)
	_c, buyer = buyer_of()
	settings = frappe.get_doc("B2B Mall Settings")
	settings.stock_display, settings.low_stock_level = "Band", 5
	settings.save(ignore_permissions=True)
	try:
		got, _t = api(buyer, "b2b_mall.api.catalogue.items", http="GET", q=item)
		assert item_of(got, item)["stock"] == "low" and "available" not in item_of(got, item)
	finally:  # the cached settings must not outlive this test's rollback (the web server reads them)
		frappe.db.rollback()
		frappe.clear_document_cache("B2B Mall Settings", "B2B Mall Settings")


def test_quick_order_and_reorder_answer_per_line():
	item = builders.item_with_stock(100, price=10)
	frappe.db.set_value("Item", item, {"th_b2b_moq": 12, "th_b2b_pack_qty": 6})
	cust, buyer = buyer_of()
	barcode = frappe.db.get_value("Item Barcode", {"parent": item}, "barcode")
	got, _t = api(
		buyer, "b2b_mall.api.catalogue.quick_order", text=f"{item} 18\n{item.lower()} 13\nNOPE 1\n{barcode} 6"
	)
	assert [(ln["line"], ln["item_code"], ln["qty"], ln["rate"]) for ln in got["lines"]] == [
		(1, item, 18, 10)
	]
	assert [(p["line"], p["code"]) for p in got["problems"]] == [
		(2, "not_pack_multiple"),
		(3, "unknown_item"),
		(4, "below_moq"),
	]
	# a spreadsheet
	import base64
	import io

	from openpyxl import Workbook

	book = Workbook()
	book.active.append(["SKU", "Qty"])
	book.active.append([item, 24])
	book.active.append(["NOPE", 2])
	raw = io.BytesIO()
	book.save(raw)
	got, _t = api(
		buyer,
		"b2b_mall.api.catalogue.quick_order",
		filename="order.xlsx",
		content=base64.b64encode(raw.getvalue()).decode(),
	)
	assert [(ln["line"], ln["qty"]) for ln in got["lines"]] == [(2, 24)]
	assert [(p["line"], p["code"]) for p in got["problems"]] == [(3, "unknown_item")]

	# reorder: own order yes, another customer's order is not found
	frappe.set_user(buyer)
	try:
		placed = mall.place_order(buyer, [CartLine(item, 12)])
	finally:
		frappe.set_user("Administrator")
	again, _t = api(buyer, "b2b_mall.api.catalogue.reorder", sales_order=placed.sales_order)
	assert [(ln["item_code"], ln["qty"]) for ln in again["lines"]] == [(item, 12)]
	_other, other_buyer = buyer_of()
	with pytest.raises(frappe.DoesNotExistError):
		api(other_buyer, "b2b_mall.api.catalogue.reorder", sales_order=placed.sales_order)
	assert cust


def test_the_server_checks_packs_address_date_and_keeps_the_note_as_text():
	item = builders.item_with_stock(100, price=10)
	frappe.db.set_value("Item", item, {"th_b2b_pack_qty": 6})
	cust, buyer = buyer_of()
	other, _b = buyer_of()
	theirs = frappe.db.get_value(
		"Dynamic Link", {"link_doctype": "Customer", "link_name": other, "parenttype": "Address"}, "parent"
	)
	mine = frappe.db.get_value(
		"Dynamic Link", {"link_doctype": "Customer", "link_name": cust, "parenttype": "Address"}, "parent"
	)
	frappe.set_user(buyer)  # as the endpoint runs it (the conftest's rollback sets Administrator again)
	with pytest.raises(CartRejected) as e:
		mall.place_order(buyer, [CartLine(item, 7)])
	assert [p.code for p in e.value.problems] == ["not_pack_multiple"]
	with pytest.raises(CartRejected) as e:
		mall.place_order(buyer, [CartLine(item, 6)], Checkout(address=theirs))
	assert [p.code for p in e.value.problems] == ["bad_address"]
	with pytest.raises(CartRejected) as e:
		mall.place_order(
			buyer, [CartLine(item, 6)], Checkout(delivery_date=frappe.utils.getdate(add_days(nowdate(), -1)))
		)
	assert [p.code for p in e.value.problems] == ["bad_date"]

	note = '<img src=x onerror="alert(1)"> ring first'
	when = frappe.utils.getdate(add_days(nowdate(), 4))
	placed = mall.place_order(
		buyer, [CartLine(item, 12)], Checkout(address=mine, delivery_date=when, note=note)
	)
	so = frappe.get_doc("Sales Order", placed.sales_order)
	assert so.th_b2b_buyer_note == escape_html(note) and "<img" not in so.th_b2b_buyer_note
	assert so.shipping_address_name == mine and so.delivery_date == when
	assert all(row.delivery_date == when for row in so.items)
