"""Benchmark: one marketplace order taken in (signed webhook checked and stored, then processed into a
submitted Sales Order: the job's work) against a bare Sales Order with the same lines inserted and
submitted, side by side in one process and one run. Prints both medians, the ratio (goal ≤ 1.15×),
the machine and the versions. `--profile` also prints where process() spends its time (cProfile).

    <bench>/env/bin/python tests/benchmarks/omni_ingest.py [--site test.localhost] [--n 60] [--profile]

Each order and each bare Sales Order is committed (as a web request and a job commit theirs) and
removed again at the end; the benchmark keeps one item of its own (BENCH-OMNI-TEA, with stock).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import frappe  # noqa: E402

from tests.benchmarks.on_site import connect  # noqa: E402

ITEM = "BENCH-OMNI-TEA"
PREFIX_ID = 7_700_000_000_000  # external ids of this benchmark's orders: 7700…


def machine() -> str:
	import erpnext

	load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
	return (
		f"machine: {os.cpu_count()} cores, load average {load}; Python {platform.python_version()}, "
		f"Frappe {frappe.__version__}, ERPNext {erpnext.__version__}"
	)


def bench_items(k: int, stock: float = 1_000_000) -> list[str]:
	"""k stock items of the benchmarks (a flash sale sells a few items, not one)."""
	return [bench_item(stock, ITEM if i == 0 else f"{ITEM}-{i + 1}") for i in range(k)]


def bench_item(stock: float = 1_000_000, code: str = ITEM) -> str:
	"""The benchmark's stock item (made once, kept), priced in the shop's price list, with stock."""
	from tests.bench import builders

	if not frappe.db.exists("Item", code):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": code,
				"item_name": f"Bench tea 基准茶 {code}",
				"item_group": "All Item Groups",
				"stock_uom": "Nos",
				"is_stock_item": 1,
				"is_sales_item": 1,
				"valuation_rate": 2,
			}
		).insert(ignore_permissions=True)
		frappe.get_doc(
			{
				"doctype": "Item Price",
				"item_code": code,
				"price_list": "Marketplace",
				"price_list_rate": 5,
				"uom": "Nos",
			}
		).insert(ignore_permissions=True)
	if builders.stock_in_store(code) < stock / 2:
		builders.receive_stock(code, stock, "A1-03-L", 2)
	frappe.db.commit()
	return code


def signed(order: dict, webhook_id: str) -> tuple[bytes, dict]:
	from tests.bench.test_webhook_security import shopify_headers

	raw = json.dumps(order, ensure_ascii=False).encode()
	return raw, shopify_headers(raw, webhook_id=webhook_id)


def deliver(raw: bytes, headers: dict) -> tuple[int, dict]:
	"""The real guest endpoint in this process, as a web request runs it (then commits)."""
	from tests.bench.test_webhook_security import call

	try:
		status, body, _r = call(raw, headers)
	finally:
		frappe.set_user("Administrator")
	frappe.db.commit()
	return status, body


def bare_sales_order(like) -> str:
	"""A Sales Order with the same customer, lines and charges as `like`, inserted and submitted."""
	so = frappe.get_doc(
		{
			"doctype": "Sales Order",
			"customer": like.customer,
			"company": like.company,
			"order_type": "Sales",
			"transaction_date": like.transaction_date,
			"delivery_date": like.delivery_date,
			"selling_price_list": like.selling_price_list,
			"currency": like.currency,
			"ignore_pricing_rule": 1,
			"po_no": f"bench bare {frappe.generate_hash(length=8)}",
			"customer_address": like.customer_address,
			"shipping_address_name": like.shipping_address_name,
			"items": [
				{
					"item_code": i.item_code,
					"qty": i.qty,
					"rate": i.rate,
					"warehouse": i.warehouse,
					"delivery_date": i.delivery_date,
				}
				for i in like.items
			],
			"taxes": [
				{
					"charge_type": t.charge_type,
					"account_head": t.account_head,
					"cost_center": t.cost_center,
					"description": t.description,
					"tax_amount": t.tax_amount,
				}
				for t in like.taxes
			],
		}
	)
	so.flags.ignore_permissions = True
	so.insert()
	so.submit()
	frappe.db.commit()
	return so.name


def sweep() -> None:
	"""Remove what the omni benchmarks made (also what an interrupted run left): their orders' Sales
	Orders and the bare ones (all of the benchmark's own items only), the buyers' addresses made for
	them, the order logs; then the items' reserved quantities are recomputed. Rows are deleted
	directly: cancelling thousands of Sales Orders one by one would take longer than the run."""
	from erpnext.stock.stock_balance import get_reserved_qty, update_bin_qty

	from tests.bench.test_order_path import SHOP

	frappe.db.rollback()
	logs = f"{SHOP}:{str(PREFIX_ID)[:4]}%"
	names = frappe.get_all(
		"Sales Order",
		or_filters={"th_omni_order_log": ("like", logs), "po_no": ("like", "bench bare %")},
		pluck="name",
	)
	foreign = frappe.get_all(
		"Sales Order Item",
		filters={"parent": ("in", names or [""]), "item_code": ("not like", f"{ITEM}%")},
		pluck="parent",
	)
	names = [n for n in names if n not in set(foreign)]  # never another's order
	addresses = frappe.get_all(
		"Sales Order", filters={"name": ("in", names or [""])}, pluck="shipping_address_name", distinct=True
	)
	for chunk in range(0, len(names), 500):
		part = tuple(names[chunk : chunk + 500])
		for table in ("Sales Order Item", "Sales Taxes and Charges", "Payment Schedule"):
			frappe.db.sql(f"delete from `tab{table}` where parent in %s", (part,))
		frappe.db.sql("delete from `tabVersion` where ref_doctype = 'Sales Order' and docname in %s", (part,))
		frappe.db.sql("delete from `tabSales Order` where name in %s", (part,))
		frappe.db.commit()
	ours = [a for a in addresses if a and not frappe.db.exists("Sales Order", {"shipping_address_name": a})]
	for chunk in range(0, len(ours), 500):
		part = tuple(ours[chunk : chunk + 500])
		frappe.db.sql("delete from `tabDynamic Link` where parenttype = 'Address' and parent in %s", (part,))
		frappe.db.sql("delete from `tabAddress` where name in %s", (part,))
	frappe.db.sql(
		"""delete from `tabChannel Order Version` where parenttype = 'Channel Order Log' and parent like %s""",
		logs,
	)
	frappe.db.sql("delete from `tabChannel Order Log` where name like %s", logs)
	for item, warehouse in frappe.db.sql(
		"select item_code, warehouse from `tabBin` where item_code like %s", f"{ITEM}%"
	):
		update_bin_qty(item, warehouse, {"reserved_qty": get_reserved_qty(item, warehouse)})
	frappe.db.commit()
	print(f"removed {len(names)} Sales Orders, {len(ours)} addresses and the benchmark's order logs")


def main() -> None:
	ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	ap.add_argument("--site", default=os.environ.get("BENCH_SITE", "test.localhost"))
	ap.add_argument("--n", type=int, default=60, help="orders (and as many bare Sales Orders)")
	ap.add_argument("--lines", type=int, default=1, help="lines per order")
	ap.add_argument("--profile", action="store_true", help="print cProfile of process() (not timed)")
	ap.add_argument("--keep", action="store_true", help="leave the orders and Sales Orders in place")
	args = ap.parse_args()
	connect(args.site)
	from omni_channel.erp import orders
	from tests.bench.test_order_path import shopify_order

	frappe.conf["omni_webhook_rate_limit"] = 10**9  # measure intake, not the limiter
	wake = orders.wake_drain if hasattr(orders, "wake_drain") else None
	orders.frappe.enqueue = lambda *a, **kw: None  # the job runs here, right after the request
	if wake:
		orders.wake_drain = lambda *a, **kw: None
	item = bench_item()
	stamp = int(time.time()) % 100_000
	made_so, made_logs = [], []
	ours, bare, ours_request = [], [], []
	profiler = cProfile.Profile() if args.profile else None

	def one_order(i: int) -> str:
		body = shopify_order(PREFIX_ID + stamp * 1000 + i, item, 2, "5.00", "2026-11-23T10:00:00+08:00")
		body["name"] = f"#B{PREFIX_ID + stamp * 1000 + i}"  # order numbers are unique on a platform
		body["line_items"] = [
			dict(body["line_items"][0], id=(PREFIX_ID + stamp * 1000 + i) * 10 + k, sku=item)
			for k in range(args.lines)
		]
		body["total_price"] = body["subtotal_price"] = f"{10 * args.lines:.2f}"
		raw, headers = signed(body, f"bench-ingest-{stamp}-{i}")
		t0 = time.perf_counter()
		status, answer = deliver(raw, headers)
		t1 = time.perf_counter()
		if status != 200 or answer.get("status") != "created":
			raise SystemExit(f"delivery {i} answered {status} {answer}")
		key = answer["order"]
		made_logs.append(key)
		if profiler:
			profiler.enable()
		name = orders.process(key)
		frappe.db.commit()
		if profiler:
			profiler.disable()
		t2 = time.perf_counter()
		if not name:
			log = frappe.db.get_value("Channel Order Log", key, ["status", "hold_reason", "error"])
			raise SystemExit(f"order {key} made no Sales Order: {log}")
		made_so.append(name)
		ours.append(t2 - t0)
		ours_request.append(t1 - t0)
		return name

	try:
		for i in range(3):  # warm caches on both paths
			made_so.append(bare_sales_order(frappe.get_doc("Sales Order", one_order(-1 - i))))
		ours.clear()
		ours_request.clear()
		if profiler:
			profiler = cProfile.Profile()
		for i in range(args.n):
			if i % 2:  # alternate which goes first, so drift on the machine hits both alike
				name = one_order(i)
				t = time.perf_counter()
				made_so.append(bare_sales_order(frappe.get_doc("Sales Order", name)))
				bare.append(time.perf_counter() - t)
			else:
				like = frappe.get_doc("Sales Order", made_so[-1])
				t = time.perf_counter()
				made_so.append(bare_sales_order(like))
				bare.append(time.perf_counter() - t)
				one_order(i)
	finally:
		frappe.db.rollback()
		if not args.keep:
			sweep()
	b, o, r = statistics.median(bare), statistics.median(ours), statistics.median(ours_request)
	print(machine())
	print(f"{args.n} orders of {args.lines} line(s), median ms, each committed")
	print(f"  baseline: bare Sales Order insert + submit   {b * 1000:8.1f}")
	print(f"  ours: webhook → stored → submitted SO         {o * 1000:8.1f}  (request {r * 1000:.1f})")
	print(f"  ratio ours / bare: {o / b:.2f}x (goal ≤ 1.15x: {'met' if o / b <= 1.15 else 'NOT met'})")
	if profiler:
		out = io.StringIO()
		stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
		stats.print_stats(25)
		stats.print_stats("omni_channel|naming|get_meta|commit", 40)  # our own steps and the usual suspects
		print(out.getvalue())
	frappe.destroy()


if __name__ == "__main__":
	main()
