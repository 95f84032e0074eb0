"""The same marketplace webhook ten times at once gives one Sales Order.

Ten threads, each with its own site connection (as ten web workers would have), post the same
signed order; then ten jobs process it at once. The data is committed so the connections see
each other, and removed afterwards.
"""

import threading
import time

import frappe
import pytest

from tests.bench import builders
from tests.bench.test_order_path import SHOP, post_webhook, shopify_order

N = 10


def in_own_connection(site: str, fn, results: list, barrier: threading.Barrier) -> None:
	frappe.init(site=site, sites_path=".")
	frappe.connect()
	try:
		barrier.wait(timeout=30)
		results.append(fn())
		frappe.db.commit()
	except Exception as e:  # collected and asserted on below
		frappe.db.rollback()
		results.append(e)
	finally:
		frappe.destroy()


def run_concurrently(fn) -> list:
	site, results = frappe.local.site, []
	barrier = threading.Barrier(N)
	threads = [
		threading.Thread(target=in_own_connection, args=(site, fn, results, barrier)) for _ in range(N)
	]
	for t in threads:
		t.start()
	for t in threads:
		t.join(timeout=120)
	return results


@pytest.fixture
def committed_item():
	item = builders.item_with_stock(100, bin_name="A2-02-L", price=8)
	frappe.db.commit()
	yield item
	for so in frappe.get_all(
		"Sales Order", filters={"th_omni_order_log": ("like", f"{SHOP}:83%")}, pluck="name"
	):
		doc = frappe.get_doc("Sales Order", so)
		if doc.docstatus == 1:
			doc.cancel()
		frappe.delete_doc("Sales Order", so, force=True)
	frappe.db.delete("Channel Order Log", {"name": ("like", f"{SHOP}:83%")})
	frappe.db.commit()


def test_ten_concurrent_deliveries_make_one_order(committed_item):
	payload = shopify_order(830001, committed_item, 2, "8.00", "2026-11-21T09:00:00+08:00")

	def deliver():
		# as the platform does: a 503 "busy" (two deliveries of one order deadlocked, one was
		# rolled back) is delivered again a moment later
		for attempt in range(5):
			code, body = post_webhook(payload, webhook_id="wh-race")
			if code != 503:
				break
			frappe.db.rollback()
			time.sleep(0.1 * (attempt + 1))
		return code, body

	answers = run_concurrently(deliver)
	assert not [a for a in answers if isinstance(a, Exception)], answers
	statuses = sorted(body.get("status", f"{code} {body}") for code, body in answers)
	assert statuses == ["created"] + ["duplicate"] * (N - 1), answers
	key = answers[0][1]["order"]

	from omni_channel.erp.orders import process

	made = run_concurrently(lambda: process(key))
	assert not [m for m in made if isinstance(m, Exception)], made
	frappe.db.rollback()  # see what the threads committed
	orders = frappe.get_all("Sales Order", filters={"th_omni_order_log": key}, pluck="name")
	assert len(orders) == 1
	assert set(made) == {orders[0]}, "every job reports the one Sales Order"
	assert frappe.db.get_value("Channel Order Log", key, "sales_order") == orders[0]
