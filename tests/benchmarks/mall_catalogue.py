"""Benchmark: the mall's catalogue API (a page of 20 items with the buyer's ERPNext prices, breaks and
free stock) against the authenticated Item list REST call (`/api/resource/Item`, 20 rows), over HTTP
on the bench's running web server, in the same run, with the same number of client threads.
Prints requests per second of each and the ratio (the goal: catalogue ≥ 0.5 × REST).

    <bench>/env/bin/python tests/benchmarks/mall_catalogue.py [--site test.localhost]
        [--url http://test.localhost:8000] [--threads 8] [--seconds 15]
        [--make-items 10000] [--drop-items]

By default it measures the catalogue as the site has it. `--make-items N` (at most 10,000) first
adds N demo items (BENCH-MALL-00001…, with a Wholesale Gold price) so the catalogue is that large;
`--drop-items` removes them again at the end (and alone, removes any left by an earlier run). Nothing
else is left behind but the benchmark's buyer and desk user. Every request goes to the bench's own
web server on this machine; the run stops after --seconds per side.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import frappe  # noqa: E402
import requests  # noqa: E402

from tests.benchmarks.on_site import connect  # noqa: E402

PREFIX = "BENCH-MALL-"
PASSWORD = "Bench@Mall2026"
MAX_ITEMS = 10_000
PAGES = 5  # the catalogue and the list are both read over their first pages, round robin


def make_items(n: int) -> None:
	"""n demo items with a Wholesale Gold price, inserted in bulk (documents one by one would take
	minutes); the same rows ERPNext's Item and Item Price forms would write for a simple item."""
	from frappe.utils import now

	n = min(n, MAX_ITEMS)
	have = frappe.db.count("Item", {"name": ("like", f"{PREFIX}%")})
	stamp = now()
	common = {"creation": stamp, "modified": stamp, "owner": "Administrator", "modified_by": "Administrator"}
	items, prices = [], []
	for i in range(have + 1, n + 1):
		code = f"{PREFIX}{i:05d}"
		items.append(
			{
				**common,
				"name": code,
				"item_code": code,
				"item_name": f"Bench tea {i} 基准茶 {i}",
				"item_group": "Products",
				"stock_uom": "Nos",
				"is_stock_item": 0,
				"is_sales_item": 1,
				"th_b2b_show_in_mall": 1,
			}
		)
		prices.append(
			{
				**common,
				"name": frappe.generate_hash(length=12),
				"item_code": code,
				"item_name": f"Bench tea {i}",
				"price_list": "Wholesale Gold",
				"price_list_rate": 10 + i % 90,
				"currency": "CNY",
				"uom": "Nos",
				"selling": 1,
			}
		)
	for doctype, rows in (("Item", items), ("Item Price", prices)):
		if rows:
			fields = list(rows[0])
			frappe.db.bulk_insert(doctype, fields, [[r[f] for f in fields] for r in rows], chunk_size=2000)
	frappe.db.commit()
	print(f"demo items: {have} were there, {len(items)} added ({PREFIX}…)")


def drop_items() -> None:
	frappe.db.sql("delete from `tabItem Price` where item_code like %s", f"{PREFIX}%")
	frappe.db.sql("delete from `tabItem` where name like %s", f"{PREFIX}%")
	frappe.db.commit()
	frappe.cache().delete_keys("b2b_mall:")
	print(f"demo items {PREFIX}… removed")


def users() -> tuple[str, str]:
	"""The benchmark's Gold buyer and a desk user who may read Items (made once, kept)."""
	from frappe.utils.password import update_password

	from tests.bench import builders

	buyer = "bench-mall-buyer@test.local"
	desk = "bench-mall-desk@test.local"
	if not frappe.db.exists("User", buyer):
		cust = builders.customer("Gold Dealers")
		frappe.get_doc(
			{
				"doctype": "User",
				"email": buyer,
				"first_name": "Bench",
				"user_type": "Website User",
				"send_welcome_email": 0,
			}
		).insert(ignore_permissions=True)
		c = frappe.get_doc("Customer", cust.name)
		c.append("portal_users", {"user": buyer})
		c.save(ignore_permissions=True)
	if not frappe.db.exists("User", desk):
		u = frappe.get_doc(
			{
				"doctype": "User",
				"email": desk,
				"first_name": "Bench",
				"user_type": "System User",
				"send_welcome_email": 0,
			}
		).insert(ignore_permissions=True)
		u.add_roles("Stock User", "Sales User")
	for user in (buyer, desk):
		update_password(user, PASSWORD)
	frappe.db.commit()
	return buyer, desk


def session(base: str, user: str) -> requests.Session:
	s = requests.Session()
	r = s.post(f"{base}/api/method/login", data={"usr": user, "pwd": PASSWORD}, timeout=30)
	r.raise_for_status()
	return s


def hammer(name: str, fetch, threads: int, seconds: float) -> dict:
	"""`threads` clients call fetch(i) back to back for `seconds`; answers per second and latency."""
	stop = time.perf_counter() + seconds
	lock = threading.Lock()
	times: list[float] = []
	errors = [0]
	counter = [0]

	def client():
		while time.perf_counter() < stop:
			with lock:
				counter[0] += 1
				i = counter[0]
			t = time.perf_counter()
			ok = fetch(i)
			dt = time.perf_counter() - t
			with lock:
				(times.append(dt) if ok else errors.__setitem__(0, errors[0] + 1))

	started = time.perf_counter()
	with ThreadPoolExecutor(threads) as pool:
		for f in [pool.submit(client) for _ in range(threads)]:
			f.result()
	elapsed = time.perf_counter() - started
	return {
		"name": name,
		"rps": len(times) / elapsed,
		"n": len(times),
		"errors": errors[0],
		"p50": statistics.median(times) * 1000 if times else 0,
		"p95": (sorted(times)[int(len(times) * 0.95) - 1] * 1000) if times else 0,
	}


def main() -> None:
	parser = argparse.ArgumentParser()
	parser.add_argument("--site", default=os.environ.get("BENCH_SITE", "test.localhost"))
	parser.add_argument("--url", default=None, help="the site's web address (default http://<site>:<port>)")
	parser.add_argument("--threads", type=int, default=8)
	parser.add_argument("--seconds", type=float, default=15)
	parser.add_argument("--make-items", type=int, default=0, help=f"add up to {MAX_ITEMS} demo items first")
	parser.add_argument("--drop-items", action="store_true", help="remove the demo items at the end")
	args = parser.parse_args()

	connect(args.site)
	base = args.url or f"http://{args.site}:{frappe.get_conf().get('webserver_port') or 8000}"
	host = requests.utils.urlparse(base).hostname or ""
	if not (host in ("localhost", "::1") or host.endswith(".localhost") or host.startswith("127.")):
		sys.exit(f"{base}: this benchmark only talks to the bench on this machine")
	try:
		if args.make_items:
			make_items(args.make_items)
		elif args.drop_items:
			drop_items()
			return
		run(base, args.threads, args.seconds)
	finally:
		if args.drop_items and args.make_items:
			drop_items()
		frappe.destroy()


def run(base: str, threads: int, seconds: float) -> None:
	buyer, desk = users()
	mall_items = frappe.db.count("Item", {"disabled": 0, "is_sales_item": 1, "th_b2b_show_in_mall": 1})
	buyers = [session(base, buyer) for _ in range(threads)]
	desks = [session(base, desk) for _ in range(threads)]
	catalogue = f"{base}/api/method/b2b_mall.api.catalogue.items"
	listing = f"{base}/api/resource/Item"

	def mall(i: int) -> bool:
		r = buyers[i % threads].get(catalogue, params={"page": 1 + i % PAGES, "page_size": 20}, timeout=60)
		return r.status_code == 200 and len(r.json()["message"]["items"]) > 0

	def rest(i: int) -> bool:
		r = desks[i % threads].get(
			listing,
			params={
				"fields": '["name","item_name"]',
				"limit_start": 20 * (i % PAGES),
				"limit_page_length": 20,
			},
			timeout=60,
		)
		return r.status_code == 200 and len(r.json()["data"]) > 0

	# the first view of a page prices its items through ERPNext (then cached per customer): warm both
	cold = []
	for i in range(PAGES):
		t = time.perf_counter()
		assert mall(i), "the catalogue answers the benchmark buyer"
		cold.append(time.perf_counter() - t)
		assert rest(i), "the Item list answers the desk user"
	a = hammer("catalogue API (buyer)", mall, threads, seconds)
	b = hammer("/api/resource/Item (desk)", rest, threads, seconds)
	ratio = a["rps"] / b["rps"] if b["rps"] else 0.0
	print(f"\nsite {base}: {mall_items} mall items, {threads} client threads, {seconds:g} s each")
	print(f"{'call':<28}{'req/s':>9}{'n':>7}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}")
	for row in (a, b):
		print(
			f"{row['name']:<28}{row['rps']:>9.1f}{row['n']:>7}{row['errors']:>8}{row['p50']:>9.1f}{row['p95']:>9.1f}"
		)
	print(f"first (uncached) catalogue page: median {statistics.median(cold) * 1000:.0f} ms")
	print(f"ratio catalogue / REST list: {ratio:.2f} (goal ≥ 0.50)")


if __name__ == "__main__":
	main()
