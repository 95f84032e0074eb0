"""Benchmark: what the portal's stock and credit locks cost when 20 buyers order at the same moment.

Twenty buyers (each of their own customer) log in to the bench's running web server and place one
order each through the real endpoint (`b2b_mall.api.orders.place_order`, with the page's CSRF token):
1. one after another (the baseline: nobody waits for a lock);
2. all at once for 20 *different* items (concurrent, no lock shared);
3. all at once for the *same* item (concurrent, every cart waits for that item's Bin lock).
It prints the wall time and the mean time per order of each, and the ratios: (3) against (1) is what
the locking costs against the same orders placed one after another; (3) against (2) is the part of
it that is waiting for one another's lock.

    <bench>/env/bin/python tests/benchmarks/mall_locking.py [--site test.localhost]
        [--url http://127.0.0.1:8000] [--buyers 20]

It leaves its customers, buyers and items on the site (names start with "Lock Bench"); its Sales
Orders are cancelled at the end, which releases their stock.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import frappe  # noqa: E402
import requests  # noqa: E402

from tests.benchmarks.on_site import connect  # noqa: E402

PASSWORD = "Lock@Bench2026"


def make_world(n: int) -> tuple[list[str], list[str], str]:
	"""n buyers of n customers, n items with stock for everyone, and one shared item."""
	from frappe.utils.password import update_password

	from tests.bench import builders

	def buyer():
		cust = builders.customer("Gold Dealers")
		user = builders.portal_user_for(cust.name)
		update_password(user, PASSWORD)
		return user

	buyers = [committed(buyer) for _ in range(n)]
	items = [committed(lambda: builders.item_with_stock(10, price=5)) for _ in range(n)]
	shared = committed(lambda: builders.item_with_stock(10 * n, price=5))
	return buyers, items, shared


def committed(make):
	"""make(), committed; made again when another session on the site deadlocks it."""
	for attempt in range(8):
		try:
			made = make()
			frappe.db.commit()
			return made
		except (frappe.QueryDeadlockError, frappe.QueryTimeoutError):
			frappe.db.rollback()
			if attempt == 7:
				raise
			time.sleep(0.5)


def session_for(url: str, host: str, user: str) -> requests.Session:
	s = requests.Session()
	s.headers.update({"Host": host, "Origin": f"http://{host}"})
	r = s.post(f"{url}/api/method/login", data={"usr": user, "pwd": PASSWORD}, timeout=60)
	r.raise_for_status()
	html = s.get(f"{url}/mall", timeout=60).text
	s.headers["X-Frappe-CSRF-Token"] = html.split('frappe.csrf_token = "', 1)[1].split('"', 1)[0]
	return s


def order(url: str, s: requests.Session, item: str) -> tuple[int, float]:
	started = time.perf_counter()
	r = s.post(
		f"{url}/api/method/b2b_mall.api.orders.place_order",
		json={"items": [{"item_code": item, "qty": 1}]},
		timeout=120,
	)
	return r.status_code, time.perf_counter() - started


def at_once(url: str, sessions: list, items: list[str]) -> tuple[float, list]:
	results: list = [None] * len(sessions)
	barrier = threading.Barrier(len(sessions))

	def run(i):
		barrier.wait()
		results[i] = order(url, sessions[i], items[i])

	threads = [threading.Thread(target=run, args=(i,)) for i in range(len(sessions))]
	started = time.perf_counter()
	for t in threads:
		t.start()
	for t in threads:
		t.join()
	return time.perf_counter() - started, results


def one_by_one(url: str, sessions: list, items: list[str]) -> tuple[float, list]:
	started = time.perf_counter()
	results = [order(url, s, item) for s, item in zip(sessions, items, strict=True)]
	return time.perf_counter() - started, results


def cancel_orders(buyers: list[str]) -> int:
	frappe.db.rollback()
	customers = frappe.get_all(
		"Portal User", filters={"user": ("in", buyers), "parenttype": "Customer"}, pluck="parent"
	)
	names = frappe.get_all(
		"Sales Order", filters={"customer": ("in", customers), "docstatus": 1}, pluck="name"
	)
	for name in names:
		frappe.get_doc("Sales Order", name).cancel()
		frappe.db.commit()
	return len(names)


def main() -> int:
	p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
	p.add_argument("--site", default="test.localhost")
	p.add_argument("--url", default="http://127.0.0.1:8000")
	p.add_argument("--buyers", type=int, default=20)
	a = p.parse_args()
	connect(a.site)
	n = a.buyers
	print(
		f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
		f"Frappe {frappe.__version__}, ERPNext {__import__('erpnext').__version__}, load {os.getloadavg()[0]:.1f}"
	)
	buyers, items, shared = make_world(n)
	sessions = [session_for(a.url, a.site, u) for u in buyers]
	phases = [
		("one after another", one_by_one, items),
		("at once, different items", at_once, items),
		("at once, the same item", at_once, [shared] * n),
	]
	wall: dict[str, float] = {}
	ok = True
	try:
		for name, run, wanted in phases:
			seconds, results = run(a.url, sessions, wanted)
			codes = sorted({code for code, _ in results})
			mean = sum(t for _, t in results) / n
			wall[name] = seconds
			print(
				f"{name:28s} {n} orders in {seconds:6.2f} s ({mean * 1000:7.0f} ms mean per order), HTTP {codes}"
			)
			if codes != [200]:
				ok = False
			cancel_orders(buyers)
	finally:
		cancel_orders(buyers)
	base, free_run, locked = wall[phases[0][0]], wall[phases[1][0]], wall[phases[2][0]]
	print(f"locking cost: same item at once / one after another = {locked / base:.2f}×")
	print(
		f"waiting for one another's lock: same item / different items, both at once = {locked / free_run:.2f}×"
	)
	if not ok:
		print("some orders were not placed (HTTP codes above): the figures are not comparable")
		return 1
	return 0


if __name__ == "__main__":
	sys.exit(main())
