"""Pending marketplace orders are drained in batches: one job makes many Sales Orders.

Each order is still processed under its own row lock and committed on its own, so an order that
fails is left Failed with its retry time (and made on the retry) while the others are made, and
two drains running at once make every order once. The drain commits, so the data here is
committed and removed afterwards.
"""

import threading
from datetime import timedelta

import frappe
import pytest
from frappe.utils import add_to_date, now_datetime

from omni_channel.erp import orders
from tests.bench import builders
from tests.bench.test_order_path import post_webhook, shopify_order

PREFIX = 8470  # external ids of this file's orders: 8470xxxx


def deliver(n: int, item: str, first: int) -> list[str]:
	"""n signed webhook deliveries through the real endpoint, committed as a web request commits."""
	keys = []
	for i in range(first, first + n):
		code, body = post_webhook(
			shopify_order(PREFIX * 10_000 + i, item, 1, "6.00", "2026-11-22T09:00:00+08:00"),
			webhook_id=f"wh-drain-{i}",
		)
		assert (code, body["status"]) == (200, "created"), body
		keys.append(body["order"])
	frappe.db.commit()
	return keys


def settled(keys) -> None:
	"""Wait until no other job (the site's own worker drains too) holds one of these logs, then
	read afresh."""
	frappe.db.rollback()
	for key in keys:
		frappe.db.sql("select name from `tabChannel Order Log` where name = %s for update", key)
	frappe.db.rollback()


def states(keys) -> list:
	"""What became of each order: its Sales Orders, the log's status and error (for a failing assert)."""
	return [(sales_orders(k), frappe.db.get_value("Channel Order Log", k, ["status", "error"])) for k in keys]


def sales_orders(key: str) -> list[str]:
	return frappe.get_all("Sales Order", filters={"th_omni_order_log": key, "docstatus": 1}, pluck="name")


def sweep() -> None:
	"""Remove every Sales Order and log of this file (also those an interrupted run left)."""
	frappe.db.rollback()
	for so in frappe.get_all(
		"Sales Order", filters={"th_omni_order_log": ("like", f"%:{PREFIX}%")}, pluck="name"
	):
		for _attempt in range(3):  # another engineer's test may hold a row a moment
			try:
				doc = frappe.get_doc("Sales Order", so)
				if doc.docstatus == 1:
					doc.cancel()
				frappe.delete_doc("Sales Order", so, force=True, ignore_permissions=True)
				frappe.db.commit()
				break
			except frappe.QueryDeadlockError:
				frappe.db.rollback()
	for log in frappe.get_all("Channel Order Log", filters={"name": ("like", f"%:{PREFIX}%")}, pluck="name"):
		frappe.db.delete("Channel Order Version", {"parent": log})
		frappe.db.delete("Channel Order Log", {"name": log})
	frappe.db.commit()


@pytest.fixture
def committed():
	"""A stock item for the orders; afterwards every Sales Order and log of this file is removed."""
	sweep()

	def item(**changes) -> str:
		code = builders.item_with_stock(100, bin_name="A2-03-L", price=6)
		if changes:
			frappe.db.set_value("Item", code, changes)
		frappe.db.commit()
		return code

	yield item
	sweep()


def test_one_drain_job_makes_every_pending_order(committed):
	item = committed()
	keys = deliver(4, item, first=1)
	for key in keys:  # stored, not yet an order
		assert not sales_orders(key)

	orders.drain()

	settled(keys)
	made = [sales_orders(key) for key in keys]
	assert all(len(m) == 1 for m in made), states(keys)
	assert len({m[0] for m in made}) == 4, "one Sales Order per order"
	for key, (so,) in zip(keys, made, strict=True):
		assert frappe.db.get_value("Channel Order Log", key, ["status", "sales_order"]) == ("Created", so)
		assert frappe.db.get_value("Sales Order Item", {"parent": so}, "item_code") == item


def test_a_failing_order_is_left_to_retry_and_the_rest_are_made(committed):
	item = committed()
	refused = committed(is_sales_item=0)  # ERPNext refuses a Sales Order for it
	good = deliver(2, item, first=11)
	(bad,) = deliver(1, refused, first=13)
	# a log whose shop is gone: processing it raises before ERPNext is even asked
	orphan = f"gone-shop-{PREFIX}:{PREFIX}0014"
	frappe.get_doc(
		{"doctype": "Channel Order Log", "shop": f"gone-shop-{PREFIX}", "external_id": "1", "payload": "{}"}
	).update({"name": orphan}).db_insert()
	frappe.db.commit()
	more = deliver(2, item, first=15)

	orders.drain()

	settled([*good, bad, orphan, *more])
	for key in good + more:
		log = frappe.db.get_value("Channel Order Log", key, ["status", "hold_reason", "error"])
		assert len(sales_orders(key)) == 1 and log[0] == "Created", (key, log)
	for key in (bad, orphan):
		log = frappe.db.get_value(
			"Channel Order Log",
			key,
			["status", "attempts", "next_attempt_at", "modified", "error"],
			as_dict=True,
		)
		assert log.status == "Failed" and log.attempts >= 1, (key, log)
		# retried later (a minute after the failure), not straight away by the same drain
		assert log.next_attempt_at - log.modified >= timedelta(seconds=50), (key, log)
		assert log.error, "the reason is kept for a person"
	assert not sales_orders(bad)

	# the cause is fixed and the retry time comes: the next drain makes the order
	frappe.db.set_value("Item", refused, "is_sales_item", 1)
	frappe.db.set_value("Channel Order Log", bad, "next_attempt_at", add_to_date(now_datetime(), minutes=-1))
	frappe.db.commit()
	orders.drain()
	settled([bad])
	assert len(sales_orders(bad)) == 1
	assert frappe.db.get_value("Channel Order Log", bad, "status") == "Created"


def test_two_drains_at_once_make_each_order_once(committed):
	item = committed()
	keys = deliver(6, item, first=21)
	site, results = frappe.local.site, []
	barrier = threading.Barrier(2)

	def run():
		frappe.init(site=site, sites_path=".")
		frappe.connect()
		try:
			barrier.wait(timeout=30)
			results.append(orders.drain(batch=3))
		except Exception as e:  # asserted on below
			results.append(e)
		finally:
			frappe.destroy()

	threads = [threading.Thread(target=run) for _ in range(2)]
	for t in threads:
		t.start()
	for t in threads:
		t.join(timeout=180)
	assert not [r for r in results if isinstance(r, Exception)], results
	assert len(results) == 2

	settled(keys)
	made = [sales_orders(key) for key in keys]
	assert [len(m) for m in made] == [1] * 6, states(keys)
	assert len({m[0] for m in made}) == 6
