"""Portal buyers ordering at the same moment: stock and credit hold as if they took turns.

Each thread has its own site connection (as each web worker has), waits at a barrier, then calls
the real place_order endpoint. The data is committed so the connections see each other; the
Sales Orders are cancelled and removed afterwards (the fresh items and customers stay, unused).
"""

import random
import threading
import time

import frappe
import pytest
from frappe.utils import flt

from tests.bench import builders
from tests.bench.test_order_path import place_as
from tests.bench.test_webhook_races import in_own_connection

TRY_AGAIN = "Many orders for these items are arriving at this moment. Nothing was ordered; please send your order again."


def run_concurrently(fns: list) -> list:
	site, results = frappe.local.site, []
	barrier = threading.Barrier(len(fns))
	threads = [threading.Thread(target=in_own_connection, args=(site, fn, results, barrier)) for fn in fns]
	for t in threads:
		t.start()
	for t in threads:
		t.join(timeout=120)
	return results


def set_up(build):
	"""Build and commit the test's data. Creating a User takes a lock on a shared default
	(email_user_password), so other tests creating users at the same moment can deadlock this
	setup; it is then built again."""
	for attempt in range(5):
		try:
			made = build()
			frappe.db.commit()
			return made
		except (frappe.QueryDeadlockError, frappe.QueryTimeoutError):
			frappe.db.rollback()
			if attempt == 4:
				raise
			time.sleep(0.5 + random.random())


def order_as(user: str, item: str, qty: float):
	"""The endpoint as a buyer: (HTTP status, body)."""

	def call():
		body = place_as(user, [{"item_code": item, "qty": qty}])
		return frappe.local.response.get("http_status_code") or 200, body

	return call


@pytest.fixture
def committed():
	"""Customer A with two buyers (credit limit 1,000), customer B with one; cleaned up afterwards."""
	made = frappe._dict(customers=[])

	def customer(credit_limit: float, buyers: int):
		cust = builders.customer("Gold Dealers", credit_limit=credit_limit)
		made.customers.append(cust.name)
		return [builders.portal_user_for(cust.name) for _ in range(buyers)]

	made.customer = customer
	yield made
	frappe.db.rollback()
	for so in frappe.get_all(
		"Sales Order", filters={"customer": ("in", made.customers or [""])}, pluck="name"
	):
		doc = frappe.get_doc("Sales Order", so)
		if doc.docstatus == 1:
			doc.cancel()
		frappe.delete_doc("Sales Order", so, force=True)
	frappe.db.commit()


def orders_of(customers: list[str], item: str) -> list[frappe._dict]:
	frappe.db.rollback()  # see what the threads committed
	return frappe.get_all(
		"Sales Order",
		filters={"customer": ("in", customers), "docstatus": 1, "item_code": item},
		fields=["name", "customer", "`tabSales Order Item`.qty as qty"],
	)


def free(item: str) -> float:
	return sum(
		flt(b.actual_qty) - flt(b.reserved_qty)
		for b in frappe.get_all("Bin", filters={"item_code": item}, fields=["actual_qty", "reserved_qty"])
	)


def test_carts_racing_for_the_last_units_never_oversell(committed):
	a1, a2, b1, item = set_up(
		lambda: (
			*committed.customer(credit_limit=0, buyers=2),
			*committed.customer(credit_limit=0, buyers=1),
			builders.item_with_stock(50, bin_name="A2-03-L", price=4),
		)
	)

	# ten carts of 15 for the 50 free: three fit (45), seven are refused with the 5 left
	buyers = [a1, a2, b1] * 3 + [a1]
	answers = run_concurrently([order_as(u, item, 15) for u in buyers])

	assert not [a for a in answers if isinstance(a, Exception)], answers
	assert len(answers) == 10
	made = orders_of(committed.customers, item)
	assert sum(o.qty for o in made) == 45, made
	assert len(made) == 3
	assert sorted(code for code, _ in answers) == [200] * 3 + [422] * 7
	refused = [body["problems"] for code, body in answers if code == 422]
	for problems in refused:
		assert [(p["code"], p["item_code"]) for p in problems] == [("out_of_stock", item)]
		assert problems[0]["message"] == f"{item}: only 5 available, you asked for 15."
	assert free(item) == 5


def test_all_of_the_stock_at_once_makes_one_order(committed):
	a1, a2, b1, item = set_up(
		lambda: (
			*committed.customer(credit_limit=0, buyers=2),
			*committed.customer(credit_limit=0, buyers=1),
			builders.item_with_stock(50, bin_name="A2-03-R", price=4),
		)
	)

	answers = run_concurrently([order_as(u, item, 50) for u in (a1, a2, b1, a1, a2, b1)])

	assert not [a for a in answers if isinstance(a, Exception)], answers
	assert len(orders_of(committed.customers, item)) == 1
	assert sorted(code for code, _ in answers) == [200] + [422] * 5
	for code, body in answers:
		if code == 422:
			assert body["problems"][0]["message"] == f"{item}: only 0 available, you asked for 50."
	assert free(item) == 0


def test_two_buyers_of_one_customer_cannot_pass_its_credit_limit(committed):
	a1, a2, item = set_up(
		lambda: (
			*committed.customer(credit_limit=1000, buyers=2),
			builders.item_with_stock(500, bin_name="A2-04-L", price=10),
		)
	)

	# 60 × 10 = 600 each: one fits in 1,000, two do not
	answers = run_concurrently([order_as(u, item, 60) for u in (a1, a2, a1, a2)])

	assert not [a for a in answers if isinstance(a, Exception)], answers
	made = orders_of(committed.customers, item)
	assert len(made) == 1, made
	assert sorted(code for code, _ in answers) == [200] + [422] * 3
	for code, body in answers:
		if code == 422:
			assert [p["code"] for p in body["problems"]] == ["over_credit"]
			assert body["problems"][0]["message"] == (
				"This order of 600.00 exceeds your remaining credit of 400.00."
			)


@pytest.mark.parametrize("error", [frappe.QueryDeadlockError, frappe.QueryTimeoutError])
def test_a_deadlock_or_lock_timeout_answers_try_again(monkeypatch, error):
	from b2b_mall.erp import orders

	user = builders.demo_user("Gold Dealers")  # the endpoint asks only that someone is logged in

	def locked_out(*_args, **_kw):
		raise error("(1213, 'Deadlock found when trying to get lock')")

	monkeypatch.setattr(orders, "place_order", locked_out)
	frappe.local.response = frappe._dict()
	body = place_as(user, [{"item_code": "ANY", "qty": 1}])
	assert frappe.local.response.http_status_code == 409
	assert [p["code"] for p in body["problems"]] == ["try_again"]
	assert body["problems"][0]["message"] == TRY_AGAIN
	assert "Traceback" not in str(body)

	frappe.local.lang = "zh"
	try:
		body = place_as(user, [{"item_code": "ANY", "qty": 1}])
	finally:
		frappe.local.lang = "en"
	assert (
		body["problems"][0]["message"] == "这些商品此刻有很多订单同时提交，本次未下单，请重新提交您的订单。"
	)
