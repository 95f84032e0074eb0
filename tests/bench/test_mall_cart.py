"""Issue 12, the cart kept on the server: what a buyer puts in the cart is there from any device (any
session of the same login), priced today for their customer; placing the order empties it, a refused
order keeps it; bad carts change nothing; items that left the mall are taken out with the reason."""

import frappe
import pytest

from tests.bench import builders
from tests.bench.test_mall_catalogue import break_for, buyer_of
from tests.bench.test_no_data_crosses_parties import api


def cart_of(user: str) -> tuple[dict, str]:
	return api(user, "b2b_mall.api.cart.get", http="GET")


def lines(result: dict) -> list[tuple[str, float]]:
	return [(ln["item_code"], ln["qty"]) for ln in result["lines"]]


def status() -> int:
	return frappe.local.response.get("http_status_code") or 200


def test_the_cart_is_kept_for_the_buyer_and_priced_today():
	tea = builders.item_with_stock(200, price=12, moq=10)
	cup = builders.item_with_stock(200, price=3)
	customer, buyer = buyer_of("Gold Dealers")
	_other_customer, colleague = buyer_of("Gold Dealers")
	break_for(customer, tea, min_qty=50, rate=11.5)

	saved, text = api(
		buyer, "b2b_mall.api.cart.save", items=[{"item_code": tea, "qty": 4}, {"item_code": cup, "qty": 6}]
	)
	assert status() == 200, text
	# below the MOQ may sit in the cart while the buyer types (the page flags it; the order refuses it)
	assert lines(saved) == [(tea, 4), (cup, 6)] and saved["problems"] == []

	# another device of the same buyer: the same cart, with names, MOQ and ERPNext's prices and breaks
	again, _t = cart_of(buyer)
	assert lines(again) == [(tea, 4), (cup, 6)]
	row = again["lines"][0]
	assert (row["item_name"], row["moq"], row["rate"], row["breaks"]) == (tea, 10, 12, [[50, 11.5]])
	assert frappe.db.get_value("Mall Cart", buyer, "customer") == customer
	# another buyer's cart is their own, empty
	assert lines(cart_of(colleague)[0]) == []

	# the price list changes overnight: the cart shows today's price, none is kept in it
	frappe.db.set_value(
		"Item Price", {"item_code": cup, "price_list": "Wholesale Gold"}, "price_list_rate", 3.4
	)
	frappe.cache().delete_keys("b2b_mall:price:")
	assert next(ln["rate"] for ln in cart_of(buyer)[0]["lines"] if ln["item_code"] == cup) == 3.4

	# the buyer changes a quantity and takes a line out: the whole cart is replaced
	api(buyer, "b2b_mall.api.cart.save", items=[{"item_code": tea, "qty": 20}])
	assert lines(cart_of(buyer)[0]) == [(tea, 20)]
	api(buyer, "b2b_mall.api.cart.save", items=[])
	assert lines(cart_of(buyer)[0]) == []


def test_placing_the_order_empties_the_cart_and_a_refused_order_keeps_it():
	tea = builders.item_with_stock(30, price=12, moq=10)
	_customer, buyer = buyer_of("Gold Dealers")
	api(buyer, "b2b_mall.api.cart.save", items=[{"item_code": tea, "qty": 5}])

	refused, text = api(buyer, "b2b_mall.api.orders.place_order", items=[{"item_code": tea, "qty": 5}])
	assert status() == 422 and refused["problems"][0]["code"] == "below_moq", text
	assert lines(cart_of(buyer)[0]) == [(tea, 5)]

	api(buyer, "b2b_mall.api.cart.save", items=[{"item_code": tea, "qty": 10}])
	placed, text = api(buyer, "b2b_mall.api.orders.place_order", items=[{"item_code": tea, "qty": 10}])
	assert status() == 200 and frappe.db.get_value("Sales Order", placed.sales_order, "docstatus") == 1, text
	assert lines(cart_of(buyer)[0]) == []


@pytest.mark.parametrize(
	"items, code",
	[
		([{"item_code": "X", "qty": -1}], "bad_quantity"),
		([{"item_code": "X", "qty": "ten"}], "bad_quantity"),
		("not json", "bad_cart"),
		({"item_code": "X", "qty": 1}, "bad_cart"),
		([{"item_code": f"X{n}", "qty": 1} for n in range(101)], "too_many_lines"),
		([{"item_code": "X", "qty": 10001}], "over_max_qty"),
	],
)
def test_a_bad_cart_is_refused_and_the_saved_one_stays(items, code):
	tea = builders.item_with_stock(10, price=12)
	_customer, buyer = buyer_of("Gold Dealers")
	api(buyer, "b2b_mall.api.cart.save", items=[{"item_code": tea, "qty": 2}])
	bad = (
		[
			{**row, "item_code": tea} if isinstance(row, dict) and row.get("item_code") == "X" else row
			for row in items
		]
		if isinstance(items, list)
		else items
	)
	answer, text = api(buyer, "b2b_mall.api.cart.save", items=bad)
	assert status() == 422, text
	assert [p["code"] for p in answer["problems"]][:1] == [code], text
	assert lines(cart_of(buyer)[0]) == [(tea, 2)]


def test_items_that_left_the_mall_are_taken_out_with_the_reason():
	tea = builders.item_with_stock(10, price=12)
	cup = builders.item_with_stock(10, price=3)
	_customer, buyer = buyer_of("Gold Dealers")
	saved, _t = api(
		buyer,
		"b2b_mall.api.cart.save",
		items=[
			{"item_code": tea, "qty": 2},
			{"item_code": "NO-SUCH-ITEM", "qty": 1},
			{"item_code": cup, "qty": 3},
		],
	)
	assert lines(saved) == [(tea, 2), (cup, 3)]
	assert [(p["code"], p["item_code"]) for p in saved["problems"]] == [("unknown_item", "NO-SUCH-ITEM")]

	frappe.db.set_value("Item", cup, "disabled", 1)
	shown, text = cart_of(buyer)
	assert lines(shown) == [(tea, 2)]
	assert [p["item_code"] for p in shown["problems"]] == [cup] and cup in shown["problems"][0]["message"]
	# the page's next save (what it shows) leaves it out for good
	api(buyer, "b2b_mall.api.cart.save", items=[{"item_code": tea, "qty": 2}])
	frappe.db.set_value("Item", cup, "disabled", 0)
	assert lines(cart_of(buyer)[0]) == [(tea, 2)]


def test_a_login_moved_to_another_customer_does_not_see_the_old_cart():
	tea = builders.item_with_stock(10, price=12)
	first, buyer = buyer_of("Gold Dealers")
	api(buyer, "b2b_mall.api.cart.save", items=[{"item_code": tea, "qty": 2}])
	old = frappe.get_doc("Customer", first)
	old.portal_users = [p for p in old.portal_users if p.user != buyer]
	old.save(ignore_permissions=True)
	second = builders.customer("Gold Dealers")
	second.append("portal_users", {"user": buyer})
	second.save(ignore_permissions=True)
	assert lines(cart_of(buyer)[0]) == []
	api(buyer, "b2b_mall.api.cart.save", items=[{"item_code": tea, "qty": 3}])
	assert frappe.db.get_value("Mall Cart", buyer, "customer") == second.name
	assert lines(cart_of(buyer)[0]) == [(tea, 3)]
