"""Benchmark: a marketplace peak — COUNT signed orders sent over DURATION seconds to the running site
(nginx → gunicorn, as `make run` starts it), then drained by 1, 2 and 4 RQ workers.

    <bench>/env/bin/python tests/benchmarks/omni_peak.py [--count 5000] [--duration 300]
        [--workers 1,2,4] [--url http://127.0.0.1:8000] [--host test.localhost] [--threads 16]

The orders are split evenly over the worker counts: for each count that many extra `frappe worker`
processes listen on the short queue (where a delivery queues the drain) while its share is sent;
the site's own workers, if any are running, work alongside and are reported. A 429 or 503 from us
(and a 502 while someone restarts the server) is retried as a platform retries: after Retry-After
or a growing pause, up to 8 times. The report gives the deliveries stored, the Sales Orders and held
logs they became, duplicates (must be 0), the answers' p50/p99, and for each worker count the time
from the first delivery until the last order was processed and the time after the last delivery.
A short run: `--count 500 --duration 30`. Everything it made is removed at the end.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import frappe  # noqa: E402
import requests  # noqa: E402
from omni_ingest import PREFIX_ID, bench_items, connect, machine, sweep  # noqa: E402

RETRIED = (429, 502, 503, 504)


def sign(raw: bytes, secret: str) -> str:
	return base64.b64encode(hmac.new(secret.encode(), raw, hashlib.sha256).digest()).decode()


def site_workers() -> int:
	from frappe.utils.background_jobs import get_queue, get_workers

	return len(get_workers(get_queue("short")))


def start_workers(n: int) -> list[subprocess.Popen]:
	bench = Path(frappe.__file__).resolve().parents[3]
	cmd = [
		str(bench / "env/bin/python"),
		"-m",
		"frappe.utils.bench_helper",
		"frappe",
		"worker",
		"--queue",
		"short",
	]
	return [
		subprocess.Popen(cmd, cwd=str(bench / "sites"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
		for _ in range(n)
	]


def stop_workers(procs) -> None:
	for p in procs:
		p.terminate()
	for p in procs:
		try:
			p.wait(timeout=60)  # a worker finishes the order it is on
		except subprocess.TimeoutExpired:
			p.kill()


def send_all(payloads, url: str, host: str, secret: str, shop: str, duration: float, threads: int):
	"""Send the deliveries at an even pace over `duration`; answers (status, seconds, tries) each."""
	session = threading.local()
	start = time.monotonic()
	gap = duration / max(len(payloads), 1)

	def one(i_raw):
		i, raw = i_raw
		wait = start + i * gap - time.monotonic()
		if wait > 0:
			time.sleep(wait)
		if not hasattr(session, "s"):
			session.s = requests.Session()
		headers = {
			"Host": host,
			"Content-Type": "application/json",
			"X-Shopify-Hmac-Sha256": sign(raw, secret),
			"X-Shopify-Topic": "orders/create",
			"X-Shopify-Webhook-Id": f"peak-{i}",
		}
		t = time.perf_counter()
		for attempt in range(9):
			try:
				r = session.s.post(
					f"{url}/api/method/omni_channel.api.webhooks.receive",
					params={"shop": shop},
					data=raw,
					headers=headers,
					timeout=60,
				)
				status = r.status_code
			except requests.RequestException:
				status = 0
			if status not in RETRIED and status != 0:
				break
			pause = 2 ** min(attempt, 5) * 0.25
			if status == 429:
				pause = min(float(r.headers.get("Retry-After") or 1), 5)
			time.sleep(pause)
		return status, time.perf_counter() - t, attempt + 1, r.json() if status == 200 else None

	with ThreadPoolExecutor(threads) as pool:
		return list(pool.map(one, enumerate(payloads)))


def pending(keys) -> int:
	frappe.db.rollback()
	return frappe.db.sql(
		"""select count(*) from `tabChannel Order Log`
		where name in %s and (status is null or status = 'Received')""",
		(tuple(keys),),
	)[0][0]


def report(keys) -> dict:
	frappe.db.rollback()
	stored = frappe.db.count("Channel Order Log", {"name": ("in", keys)})
	statuses = dict(
		frappe.db.sql(
			"select status, count(*) from `tabChannel Order Log` where name in %s group by status",
			(tuple(keys),),
		)
	)
	so = frappe.db.sql(
		"""select count(*), count(distinct th_omni_order_log) from `tabSales Order`
		where docstatus = 1 and th_omni_order_log in %s""",
		(tuple(keys),),
	)[0]
	return {"stored": stored, "statuses": statuses, "sales_orders": so[0], "duplicates": so[0] - so[1]}


def main() -> None:
	ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	ap.add_argument("--site", default=os.environ.get("BENCH_SITE", "test.localhost"))
	ap.add_argument("--count", type=int, default=5000)
	ap.add_argument("--duration", type=float, default=300)
	ap.add_argument("--workers", default="1,2,4")
	ap.add_argument("--url", default="http://127.0.0.1:8000")
	ap.add_argument("--host", default="test.localhost")
	ap.add_argument("--threads", type=int, default=16)
	ap.add_argument("--timeout", type=float, default=1800, help="longest wait for one drain")
	ap.add_argument("--keep", action="store_true")
	ap.add_argument("--items", type=int, default=8, help="items the orders are spread over")
	args = ap.parse_args()
	connect(args.site)
	from tests.bench.test_order_path import SECRET, SHOP, shopify_order

	items = bench_items(args.items, stock=max(1_000_000, args.count * 4))
	counts = [int(w) for w in args.workers.split(",")]
	share = args.count // len(counts)
	tag = int(time.time()) % 900
	print(machine())
	print(
		f"{args.count} orders over {args.duration:.0f} s to {args.url} ({args.host}), {args.threads} "
		f"sending threads; {share} orders and {args.duration / len(counts):.0f} s per worker count; "
		f"site's own workers on the short queue before the run: {site_workers()}"
	)
	rows = []
	try:
		for k, w in enumerate(counts):
			payloads = []
			for i in range(share):
				oid = PREFIX_ID + (tag * 10 + k) * 10_000 + i
				body = shopify_order(oid, items[i % len(items)], 1, "5.00", "2026-11-23T10:00:00+08:00")
				body["name"] = f"#B{oid}"  # order numbers are unique on a platform
				payloads.append(json.dumps(body).encode())
			procs = start_workers(w)
			try:
				t0 = time.monotonic()
				answers = send_all(
					payloads, args.url, args.host, SECRET, SHOP, args.duration / len(counts), args.threads
				)
				sent = time.monotonic() - t0
				keys = [a[3]["order"] for a in answers if a[3] and a[3].get("order")]
				while keys and pending(keys):
					if time.monotonic() - t0 > args.timeout:
						break
					time.sleep(0.5)
				total = time.monotonic() - t0
			finally:
				stop_workers(procs)
			codes: dict[int, int] = {}
			for a in answers:
				codes[a[0]] = codes.get(a[0], 0) + 1
			lat = sorted(a[1] for a in answers)
			r = report(keys) if keys else {}
			rows.append((w, share, sent, total, r))
			print(
				f"\n{w} extra worker(s): {share} sent in {sent:.1f} s; answers {codes}; "
				f"retried {sum(a[2] > 1 for a in answers)}; latency p50 {statistics.median(lat) * 1000:.0f} ms, "
				f"p99 {lat[int(len(lat) * 0.99) - 1] * 1000:.0f} ms"
			)
			print(
				f"  stored {r.get('stored')} of {share}; Sales Orders {r.get('sales_orders')}; "
				f"log statuses {r.get('statuses')}; duplicates {r.get('duplicates')}; still pending "
				f"{pending(keys) if keys else '-'}"
			)
			print(
				f"  drained {total:.1f} s after the first delivery, {total - sent:.1f} s after the last; "
				f"{share / total:.2f} orders/s end to end"
			)
	finally:
		if not args.keep:
			sweep()
	print(
		"\n| extra workers | orders | sending s | done after s | drain after last delivery s | duplicates |"
	)
	print("|---:|---:|---:|---:|---:|---:|")
	for w, n, sent, total, r in rows:
		print(f"| {w} | {n} | {sent:.0f} | {total:.0f} | {total - sent:.0f} | {r.get('duplicates')} |")
	frappe.destroy()


if __name__ == "__main__":
	main()
