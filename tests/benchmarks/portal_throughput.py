"""Benchmark: the B2B portal under 20 concurrent users on the running site (nginx → gunicorn, as
`make run` starts it), each pair in the same run: the mall's catalogue API against the authenticated
Item list REST call, and a `/mall` page view against ERPNext's own `/orders` page view (both as the
same buyer). Prints requests/s, p50/p95/p99 of each, the ratios (goals: catalogue ≥ 0.5 × REST; a
/mall view costs no more than an /orders view, i.e. /mall serves at least as many views a second), machine
and versions.

    <bench>/env/bin/python tests/benchmarks/portal_throughput.py [--site test.localhost] [--users 20] [--seconds 15]

Uses the benchmark buyer and desk user of tests/benchmarks/mall_catalogue.py (made once, kept).
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

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import frappe
import requests
from mall_catalogue import PAGES, connect, session, users
from omni_ingest import machine


def pct(times: list[float], p: float) -> float:
	return sorted(times)[max(0, int(len(times) * p) - 1)] * 1000 if times else 0.0


def hammer(name: str, fetch, users_: int, seconds: float) -> dict:
	"""`users_` clients call fetch(i) back to back for `seconds`."""
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
			try:
				ok = fetch(i)
			except requests.RequestException:
				ok = False
			dt = time.perf_counter() - t
			with lock:
				if ok:
					times.append(dt)
				else:
					errors[0] += 1

	started = time.perf_counter()
	with ThreadPoolExecutor(users_) as pool:
		for f in [pool.submit(client) for _ in range(users_)]:
			f.result()
	elapsed = time.perf_counter() - started
	return {
		"name": name,
		"rps": len(times) / elapsed,
		"n": len(times),
		"errors": errors[0],
		"p50": statistics.median(times) * 1000 if times else 0.0,
		"p95": pct(times, 0.95),
		"p99": pct(times, 0.99),
	}


def login(base: str, user: str) -> requests.Session:
	"""A logged-in session; a refused connection (someone restarting the shared server) is retried."""
	for attempt in range(6):
		try:
			return session(base, user)
		except requests.RequestException:
			time.sleep(2 * (attempt + 1))
	return session(base, user)


def main() -> None:
	ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	ap.add_argument("--site", default=os.environ.get("BENCH_SITE", "test.localhost"))
	ap.add_argument("--url", default=None, help="the site's web address (default http://<site>:<port>)")
	ap.add_argument("--users", type=int, default=20)
	ap.add_argument("--seconds", type=float, default=15)
	args = ap.parse_args()
	connect(args.site)
	base = args.url or f"http://{args.site}:{frappe.get_conf().get('webserver_port') or 8000}"
	host = requests.utils.urlparse(base).hostname or ""
	if not (host in ("localhost", "::1") or host.endswith(".localhost") or host.startswith("127.")):
		sys.exit(f"{base}: this benchmark only talks to the bench on this machine")
	buyer, desk = users()
	n = args.users
	buyers = [login(base, buyer) for _ in range(n)]
	desks = [login(base, desk) for _ in range(n)]

	def catalogue(i: int) -> bool:
		r = buyers[i % n].get(
			f"{base}/api/method/b2b_mall.api.catalogue.items",
			params={"page": 1 + i % PAGES, "page_size": 20},
			timeout=60,
		)
		return r.status_code == 200 and len(r.json()["message"]["items"]) > 0

	def rest(i: int) -> bool:
		r = desks[i % n].get(
			f"{base}/api/resource/Item",
			params={
				"fields": '["name","item_name"]',
				"limit_start": 20 * (i % PAGES),
				"limit_page_length": 20,
			},
			timeout=60,
		)
		return r.status_code == 200 and len(r.json()["data"]) > 0

	def page(path: str, marker: str):
		def fetch(i: int) -> bool:
			r = buyers[i % n].get(f"{base}{path}", timeout=60, allow_redirects=False)
			return r.status_code == 200 and marker in r.text

		return fetch

	mall = page("/mall", "mall")
	orders = page("/orders", "orders")
	for fetch, what in (
		(catalogue, "catalogue API"),
		(rest, "Item list"),
		(mall, "/mall"),
		(orders, "/orders"),
	):
		for i in range(PAGES):  # warm: the first view of a page prices its items (then cached)
			if not fetch(i):
				sys.exit(f"{what} did not answer the benchmark's user with a page")
	rows = [
		hammer("catalogue API (buyer)", catalogue, n, args.seconds),
		hammer("/api/resource/Item (desk)", rest, n, args.seconds),
		hammer("/mall page (buyer)", mall, n, args.seconds),
		hammer("/orders page, ERPNext (buyer)", orders, n, args.seconds),
	]
	print(machine())
	print(f"site {base}: {n} concurrent users, {args.seconds:g} s per call")
	print("| call | req/s | n | errors | p50 ms | p95 ms | p99 ms |\n|---|---:|---:|---:|---:|---:|---:|")
	for r in rows:
		print(
			f"| {r['name']} | {r['rps']:.1f} | {r['n']} | {r['errors']} | {r['p50']:.0f} | {r['p95']:.0f} | {r['p99']:.0f} |"
		)
	cat, lst, m, o = rows
	ratio = cat["rps"] / lst["rps"] if lst["rps"] else 0.0
	view = m["rps"] / o["rps"] if o["rps"] else 0.0
	print(
		f"catalogue / REST list throughput: {ratio:.2f} (goal ≥ 0.50: {'met' if ratio >= 0.5 else 'NOT met'})"
	)
	print(
		f"/mall / /orders throughput: {view:.2f}; p50 {m['p50']:.0f} vs {o['p50']:.0f} ms "
		f"(goal: a /mall view costs no more: {'met' if view >= 1 else 'NOT met'})"
	)
	frappe.destroy()


if __name__ == "__main__":
	main()
