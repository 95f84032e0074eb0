"""Dispatch a Day at size: 200 open Delivery Notes over 10 vans, planned the way the desk page does it.

    ~/frappe-bench/env/bin/python tests/benchmarks/wms_dispatch_day.py [--stops 200] [--vans 10]

Runs on the bench's test site (BENCH_SITE, default test.localhost). The first run makes a store of
its own with the vans and the notes (customers within ~15 km of the store, receiving hours all day,
mornings or afternoons; 10-80 kg each) and commits them; later runs reuse that store. Then it times:

* core: the router alone on the same deliveries (the baseline: no documents read or written);
* desk, in process: erp.dispatch.plan_day (read the notes, plan, write one draft Delivery Trip per
  van), a first plan and then a re-plan of the same day (trips updated in place, moves listed);
* desk, over HTTP: the page's own request (POST wms_tms.api.dispatch.plan) to the running site.

Prints a table with seconds, the ratio of each against the core baseline, and whether it is within the
10 s the desk allows; the draft trips it made are deleted at the end. Loads are re-checked against
each van's capacity (a failed check stops the script with the reason).
"""

import argparse
import math
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import frappe  # noqa: E402

SITE = os.environ.get("BENCH_SITE", "test.localhost")
LIMIT_S = 10.0


def check(ok, what: str) -> None:
	if not ok:
		raise SystemExit(f"benchmark check failed: {what}")


def connect() -> None:
	sites = Path(frappe.__file__).resolve().parents[3] / "sites"
	os.chdir(sites)
	frappe.init(site=SITE, sites_path=str(sites))
	frappe.connect()
	frappe.set_user("Administrator")


def find_store(stops: int, vans: int):
	from wms_tms.erp import dispatch

	day = frappe.utils.add_days(frappe.utils.nowdate(), 1)
	for name in frappe.get_all(
		"Warehouse",
		filters={"warehouse_name": ("like", "Dispatch Bench %"), "is_group": 1},
		pluck="name",
		order_by="creation desc",
	):
		if len(dispatch.vehicles_of(name)) == vans and len(dispatch.open_notes(name, day)) == stops:
			return name
	return None


def build(stops: int, vans: int) -> str:
	"""The store, vans and notes, committed one by one. Names are set here rather than drawn from
	naming series, and the item is not a stock item: making 200 notes then takes no lock that the other
	suites sharing the site are waiting on (series rows, stock of shared items)."""
	from frappe.utils import random_string

	from tests.bench import builders
	from tests.bench import dispatch_builders as db

	rnd = random.Random(13)
	tag = random_string(5).upper()
	company = builders.company()

	def store() -> frappe._dict:
		root = frappe.db.get_value(
			"Warehouse", {"company": company, "is_group": 1, "parent_warehouse": ("is", "not set")}
		)
		group = frappe.get_doc(
			{
				"doctype": "Warehouse",
				"warehouse_name": f"Dispatch Bench {tag}",
				"company": company,
				"is_group": 1,
				"parent_warehouse": root,
			}
		).insert(ignore_permissions=True)
		bin_ = frappe.get_doc(
			{
				"doctype": "Warehouse",
				"warehouse_name": f"DB{tag}-01",
				"company": company,
				"parent_warehouse": group.name,
			}
		).insert(ignore_permissions=True)
		frappe.get_doc(
			{
				"doctype": "Warehouse Layout",
				"warehouse": group.name,
				"blocks": 1,
				"aisles": 1,
				"positions": 1,
				"position_pitch": 1,
				"aisle_pitch": 3,
				"dispatch_lat": db.DEPOT[0],
				"dispatch_lng": db.DEPOT[1],
				"road_factor": 1.3,
				"average_speed_kmh": 30,
				"service_minutes": 8,
			}
		).insert(ignore_permissions=True)
		item = f"DB-{tag}"
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": item,
				"item_name": item,
				"item_group": "All Item Groups",
				"stock_uom": "Nos",
				"is_stock_item": 0,
				"is_sales_item": 1,
				"weight_per_unit": 10,
				"weight_uom": "Kg",
				"th_wms_volume": 0.05,
			}
		).insert(ignore_permissions=True)
		return frappe._dict(name=group.name, bin=bin_.name, item=item)

	st = db.committed(store)
	db.committed(lambda: [db.vehicle(st, 1000, 8) for _ in range(vans)])
	windows = [("09:00", "18:00"), ("09:00", "12:00"), ("13:00", "17:30"), None]

	def one(i: int, lat: float, lng: float, w, qty: int) -> str:
		cust = frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": f"Dispatch Bench {tag} {i:03d}",
				"customer_group": "Gold Dealers",
				"customer_type": "Company",
			}
		).insert(ignore_permissions=True)
		addr = frappe.get_doc(
			{
				"doctype": "Address",
				"address_title": cust.name,
				"address_type": "Shipping",
				"address_line1": f"{i} Bench Road",
				"city": "Guangzhou",
				"country": "China",
				"is_shipping_address": 1,
				"th_wms_lat": lat,
				"th_wms_lng": lng,
				"th_wms_window_start": w[0] if w else None,
				"th_wms_window_end": w[1] if w else None,
				"links": [{"link_doctype": "Customer", "link_name": cust.name}],
			}
		).insert(ignore_permissions=True)
		dn = frappe.get_doc(
			{
				"doctype": "Delivery Note",
				"customer": cust.name,
				"company": company,
				"selling_price_list": "Wholesale Gold",
				"shipping_address_name": addr.name,
				"items": [{"item_code": st.item, "qty": qty, "rate": 10, "warehouse": st.bin}],
			}
		)
		dn.insert(ignore_permissions=True, set_name=f"DB-DN-{tag}-{i:03d}")
		dn.submit()
		return dn.name

	for i in range(stops):
		r, a = 0.135 * rnd.random() ** 0.5, rnd.uniform(0, 6.2832)
		lat, lng = db.DEPOT[0] + r * math.sin(a), db.DEPOT[1] + r * math.cos(a)
		w, qty = rnd.choice(windows), rnd.randint(1, 8)
		db.committed(lambda i=i, lat=lat, lng=lng, w=w, qty=qty: one(i, lat, lng, w, qty))
		if i % 20 == 19:
			print(f"  made {i + 1} delivery notes", file=sys.stderr)
	return st.name


def core_deliveries(store: str, day):
	from wms_tms.erp import dispatch

	layout = frappe.get_doc("Warehouse Layout", store)
	deliveries, _unserved, _by = dispatch._deliveries(dispatch.open_notes(store, day), layout)
	return layout, deliveries


def main() -> None:
	ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	ap.add_argument("--stops", type=int, default=200)
	ap.add_argument("--vans", type=int, default=10)
	args = ap.parse_args()
	connect()
	from wms_tms.core import dispatch as core
	from wms_tms.erp import dispatch

	day = frappe.utils.add_days(frappe.utils.nowdate(), 1)
	store = find_store(args.stops, args.vans)
	if not store:
		print(f"making a store with {args.vans} vans and {args.stops} open delivery notes …", file=sys.stderr)
		store = build(args.stops, args.vans)
	vans = [v.name for v in dispatch.vehicles_of(store)]
	chosen = [{"vehicle": v} for v in vans]

	layout, deliveries = core_deliveries(store, day)
	trucks = [
		core.Truck(v, frappe.db.get_value("Vehicle", v, "th_wms_max_weight"), 8, (8 * 60, 18 * 60))
		for v in vans
	]
	t = time.perf_counter()
	baseline = core.plan_day((layout.dispatch_lat, layout.dispatch_lng), deliveries, trucks)
	core_s = time.perf_counter() - t

	rows = [("core router alone (baseline)", core_s, len(baseline.routes), len(baseline.unserved))]
	try:
		for what in ("desk, first plan (in process)", "desk, re-plan (in process)"):
			t = time.perf_counter()
			view = dispatch.plan_day(store, day, chosen)
			took = time.perf_counter() - t
			for trip in view["trips"]:
				check(trip["weight"] <= trip["max_weight"] + 1e-6, f"{trip['vehicle']} overloaded by weight")
				check(trip["volume"] <= trip["max_volume"] + 1e-6, f"{trip['vehicle']} overloaded by volume")
			served = sum(len(tr["stops"]) for tr in view["trips"])
			check(served + len(view["unserved"]) == args.stops, "every note is on a trip or unserved")
			rows.append((what, took, len(view["trips"]), len(view["unserved"])))
		frappe.db.rollback()  # the HTTP request plans from scratch, as the page's first press does
		rows.append(("desk, page request over HTTP", *http_plan(store, day, chosen)))
	finally:
		report(rows, args, store, core_s)
		frappe.db.rollback()
		# the drafts the HTTP request committed; deleted row by row without reverting the naming
		# series (that would wait on the series row other suites hold)
		trips = frappe.get_all(
			"Delivery Trip",
			filters={"th_wms_day_plan": dispatch.plan_key(store, day), "docstatus": 0},
			pluck="name",
		)
		if trips:
			frappe.db.delete("Delivery Stop", {"parenttype": "Delivery Trip", "parent": ("in", trips)})
			frappe.db.delete("Delivery Trip", {"name": ("in", trips)})
		frappe.db.commit()


def report(rows, args, store, core_s) -> None:
	print(f"Dispatch a Day: {args.stops} stops over {args.vans} vans, store {store}\n")
	print("| run | s | × core | within 10 s | trips | unserved |\n|---|---:|---:|---|---:|---:|")
	for what, s, trips, unserved in rows:
		print(
			f"| {what} | {s:.2f} | {s / core_s:.2f} | {'yes' if s <= LIMIT_S else 'NO'} | {trips} | {unserved} |"
		)
	sys.stdout.flush()


def http_plan(store: str, day, chosen) -> tuple[float, int, int]:
	import requests

	port = frappe.get_conf().get("webserver_port") or 8000
	base = f"http://127.0.0.1:{port}"
	s = requests.Session()
	s.headers["Host"] = SITE
	r = s.post(
		f"{base}/api/method/login",
		data={"usr": "Administrator", "pwd": frappe.conf.get("admin_password") or "admin"},
	)
	check(r.ok, f"login: {r.status_code}")
	t = time.perf_counter()
	r = s.post(
		f"{base}/api/method/wms_tms.api.dispatch.plan",
		data={"store": store, "day": str(day), "vehicles": frappe.as_json(chosen)},
		timeout=120,
	)
	took = time.perf_counter() - t
	check(r.ok, f"plan over HTTP: {r.status_code} {r.text[:300]}")
	view = r.json()["message"]
	return took, len(view["trips"]), len(view["unserved"])


if __name__ == "__main__":
	main()
