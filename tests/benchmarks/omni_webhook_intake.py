"""Benchmark: what one web worker takes in from a marketplace (signed webhook deliveries checked,
stored and queued, per second), against a bare Frappe insert of a Channel Order Log in the same
run, and the per-shop rate limit as a multiple of the whole site's intake.

Runs on a bench site, inside one transaction that is rolled back (nothing is left behind):
    <bench>/env/bin/python tests/benchmarks/omni_webhook_intake.py [--site test.localhost] [N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import frappe  # noqa: E402


def main() -> None:
	parser = argparse.ArgumentParser()
	parser.add_argument("n", nargs="?", type=int, default=300)
	parser.add_argument("--site", default=os.environ.get("BENCH_SITE", "test.localhost"))
	args = parser.parse_args()

	bench = Path(frappe.__file__).resolve().parents[3]
	os.chdir(bench / "sites")
	frappe.init(site=args.site, sites_path=str(bench / "sites"))
	frappe.connect()
	frappe.set_user("Administrator")
	frappe.flags.in_test = True
	frappe.enqueue = lambda *a, **kw: None  # stored only: the worker's queue is not part of intake
	try:
		run(args.n)
	finally:
		frappe.db.rollback()
		frappe.destroy()


def run(n: int) -> None:
	from omni_channel.api.webhooks import RATE_LIMIT, RATE_WINDOW
	from tests.bench.test_order_path import SHOP, shopify_order
	from tests.bench.test_webhook_security import call, shopify_headers

	frappe.conf["omni_webhook_rate_limit"] = 10**9  # measure intake, not the limiter
	stamp = int(time.time())
	payloads = []
	for i in range(n):
		body = shopify_order(stamp * 1000 + i, "SKU-FLASH", 1, "5.00", "2026-11-23T10:00:00+08:00")
		payloads.append(json.dumps(body).encode())

	webhook, bare = [], []
	for i, raw in enumerate(payloads):
		started = time.perf_counter()
		status, _body, _r = call(raw, shopify_headers(raw, webhook_id=f"bench-{stamp}-{i}"))
		webhook.append(time.perf_counter() - started)
		assert status == 200, status
		started = time.perf_counter()
		frappe.get_doc(
			{
				"doctype": "Channel Order Log",
				"shop": SHOP,
				"external_id": f"bare-{stamp}-{i}",
				"status": "Received",
				"payload": raw.decode(),
			}
		).insert(ignore_permissions=True)
		bare.append(time.perf_counter() - started)

	per_worker = 1 / statistics.median(webhook)
	workers = frappe.conf.get("gunicorn_workers") or (2 * (os.cpu_count() or 1) + 1)
	cores = os.cpu_count() or 1
	# gunicorn's workers share the cores: the site takes in at most one worker's rate per core
	site = per_worker * min(workers, cores)
	per_second_limit = RATE_LIMIT / RATE_WINDOW
	print(f"{'':34}{'median ms':>10}{'per s':>10}")
	print(
		f"{'bare Channel Order Log insert':34}{statistics.median(bare) * 1000:>10.2f}{1 / statistics.median(bare):>10.0f}"
	)
	print(
		f"{'signed delivery (check+store)':34}{statistics.median(webhook) * 1000:>10.2f}{per_worker:>10.0f}"
	)
	print(f"webhook / bare insert: {statistics.median(webhook) / statistics.median(bare):.2f}x")
	print(f"site intake on {cores} cores: about {site:.0f} deliveries/s")
	print(
		f"per-shop limit {per_second_limit:.0f}/s = {per_second_limit / site:.2f}x the site's intake"
		f" ({'never reached by a real burst' if per_second_limit > site else 'A BURST WOULD BE REFUSED'})"
	)


if __name__ == "__main__":
	main()
