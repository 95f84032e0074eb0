"""Benchmark: how fast pending marketplace orders become Sales Orders with 1, 2 and 4 RQ workers (the
drain: one job for many orders), against bare Sales Orders inserted and submitted one after the other
in one process, in the same run. Prints the bare rate, each drain rate, the rate per worker as a
share of the bare rate (goal ≥ 70%), the scaling (2 workers / 1, goal ≥ 1.6×), machine and versions.
`--per-order-jobs` also times the previous way, one job per order, on one worker.

    <bench>/env/bin/python tests/benchmarks/omni_drain.py [--site test.localhost] [--n 120] [--workers 1,2,4] [--items 8]

For each worker count it stores N signed orders through the webhook endpoint (in this process, no
job queued), starts that many real `frappe worker` processes on a queue of its own (omni-bench, so
they run nothing else), queues one drain job there and waits until every order is processed.
Everything it made is removed at the end; it keeps its items (BENCH-OMNI-TEA…, with stock).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import frappe  # noqa: E402
from omni_ingest import (  # noqa: E402
	PREFIX_ID,
	bare_sales_order,
	bench_items,
	connect,
	deliver,
	machine,
	signed,
	sweep,
)

QUEUE = "omni-bench"
# a worker on a queue of the benchmark's own: Frappe knows the queues named in the bench's config,
# so the name is added to its list in the worker (and in the jobs it forks) and in this process
WORKER = f"""
import frappe.utils.background_jobs as jobs
known = jobs.get_queues_timeout
jobs.get_queues_timeout = lambda: {{**known(), {QUEUE!r}: 1500}}
jobs.start_worker(queue={QUEUE!r}, quiet=True)
"""


def allow_queue() -> None:
	import frappe.utils.background_jobs as jobs

	known = jobs.get_queues_timeout
	jobs.get_queues_timeout = lambda: {**known(), QUEUE: 1500}


def start_workers(n: int) -> list[subprocess.Popen]:
	bench = Path(frappe.__file__).resolve().parents[3]
	return [
		subprocess.Popen(
			[str(bench / "env" / "bin" / "python"), "-c", WORKER],
			cwd=str(bench / "sites"),
			stdout=subprocess.DEVNULL,
			stderr=subprocess.DEVNULL,
		)
		for _ in range(n)
	]


def stop_workers(procs: list[subprocess.Popen]) -> None:
	for p in procs:
		p.terminate()
	for p in procs:
		try:
			p.wait(timeout=30)
		except subprocess.TimeoutExpired:
			p.kill()


def workers_ready(n: int, timeout: float = 60) -> None:
	from frappe.utils.background_jobs import get_queue, get_workers

	queue = get_queue(QUEUE)
	stop = time.monotonic() + timeout
	while time.monotonic() < stop:
		if len([w for w in get_workers(queue) if w.get_state() in ("idle", "busy")]) >= n:
			return
		time.sleep(0.3)
	raise SystemExit(f"{n} worker(s) on {QUEUE} did not start within {timeout:.0f} s")


def store_orders(n: int, items: list[str], tag: int) -> list[str]:
	from tests.bench.test_order_path import shopify_order

	keys = []
	for i in range(n):
		oid = PREFIX_ID + tag * 100_000 + i
		body = shopify_order(oid, items[i % len(items)], 1, "5.00", "2026-11-23T10:00:00+08:00")
		body["name"] = f"#B{oid}"
		raw, headers = signed(body, f"bench-drain-{tag}-{i}")
		status, answer = deliver(raw, headers)
		if status != 200 or answer.get("status") != "created":
			raise SystemExit(f"delivery {oid} answered {status} {answer}")
		keys.append(answer["order"])
	return keys


def remaining(keys: list[str]) -> int:
	frappe.db.rollback()  # a fresh snapshot
	return frappe.db.sql(
		"""select count(*) from `tabChannel Order Log`
		where name in %s and (status is null or status = 'Received')""",
		(tuple(keys),),
	)[0][0]


def wait_done(keys: list[str], timeout: float) -> float:
	started = time.monotonic()
	while remaining(keys):
		if time.monotonic() - started > timeout:
			raise SystemExit(f"{remaining(keys)} of {len(keys)} orders still pending after {timeout:.0f} s")
		time.sleep(0.2)
	return time.monotonic() - started


def outcome(keys: list[str]) -> dict:
	rows = frappe.db.sql(
		"""select status, count(*) from `tabChannel Order Log` where name in %s group by status""",
		(tuple(keys),),
	)
	dup = frappe.db.sql(
		"""select count(*) - count(distinct th_omni_order_log) from `tabSales Order`
		where docstatus = 1 and th_omni_order_log in %s""",
		(tuple(keys),),
	)[0][0]
	return {"statuses": dict(rows), "duplicates": int(dup)}


def bare_rate(n: int) -> float:
	"""Bare Sales Orders per second in this process, each committed (as a job commits)."""
	like = frappe.get_doc(
		"Sales Order",
		frappe.db.get_value(
			"Sales Order", {"docstatus": 1, "th_omni_order_log": ("like", f"%:{str(PREFIX_ID)[:4]}%")}
		),
	)
	bare_sales_order(like)  # warm
	times = []
	for _ in range(n):
		t = time.perf_counter()
		bare_sales_order(like)
		times.append(time.perf_counter() - t)
	return 1 / statistics.median(times)


def main() -> None:
	ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	ap.add_argument("--site", default=os.environ.get("BENCH_SITE", "test.localhost"))
	ap.add_argument("--n", type=int, default=120, help="orders per worker count")
	ap.add_argument("--workers", default="1,2,4")
	ap.add_argument("--bare", type=int, default=20, help="bare Sales Orders for the baseline")
	ap.add_argument("--per-order-jobs", type=int, default=0, help="also time N orders, one job each")
	ap.add_argument("--timeout", type=float, default=900)
	ap.add_argument("--items", type=int, default=8, help="items the orders are spread over")
	args = ap.parse_args()
	connect(args.site)
	from omni_channel.erp import orders

	allow_queue()
	frappe.conf["omni_webhook_rate_limit"] = 10**9
	orders.wake_drain = lambda: None  # stored only: the benchmark queues the drain itself
	items = bench_items(args.items)
	tag = int(time.time()) % 900
	results = []
	try:
		keys = store_orders(2, items, tag)  # one Sales Order to copy for the baseline
		orders.drain(queue_name=QUEUE)
		base = bare_rate(args.bare)
		print(machine())
		print(f"baseline: bare Sales Order insert + submit, one process: {base:.2f}/s")
		if args.per_order_jobs:
			keys = store_orders(args.per_order_jobs, items, tag + 1)
			procs = start_workers(1)
			try:
				workers_ready(1)
				t = time.monotonic()
				for key in keys:
					frappe.enqueue("omni_channel.erp.orders.process_job", queue=QUEUE, log_name=key)
				wait_done(keys, args.timeout)
				took = time.monotonic() - t
			finally:
				stop_workers(procs)
			print(
				f"one job per order, 1 worker: {len(keys)} in {took:.1f} s = {len(keys) / took:.2f}/s "
				f"({len(keys) / took / base:.0%} of bare)"
			)
		for k, w in enumerate(int(x) for x in args.workers.split(",")):
			keys = store_orders(args.n, items, tag + 2 + k)
			procs = start_workers(w)
			try:
				workers_ready(w)
				frappe.enqueue(
					"omni_channel.erp.orders.drain",
					queue=QUEUE,
					timeout=orders.DRAIN_TIMEOUT,
					queue_name=QUEUE,
				)
				took = wait_done(keys, args.timeout)
			finally:
				stop_workers(procs)
			rate = len(keys) / took
			results.append((w, took, rate, outcome(keys)))
			print(
				f"drain, {w} worker(s): {len(keys)} orders in {took:.1f} s = {rate:.2f}/s, "
				f"per worker {rate / w / base:.0%} of bare; {results[-1][3]}"
			)
	finally:
		frappe.db.rollback()
		sweep()
	one = next((r for r in results if r[0] == 1), None)
	two = next((r for r in results if r[0] == 2), None)
	if one:
		print(f"per worker (1 worker) / bare: {one[2] / base:.2f} (goal ≥ 0.70)")
	if one and two:
		print(f"2 workers / 1 worker: {two[2] / one[2]:.2f}x (goal ≥ 1.6x)")
	for w, took, _rate, _out in results:
		print(f"time to drain {args.n} orders with {w} worker(s): {took:.1f} s")
	frappe.destroy()


if __name__ == "__main__":
	main()
