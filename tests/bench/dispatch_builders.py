"""A store of its own for Dispatch a Day tests: a group Warehouse with one bin and a Warehouse Layout,
vehicles based there with their drivers, and open Delivery Notes for customers around it. Every name
is unique, so the day's open notes are exactly the ones a test made, whatever else the site holds."""

import frappe
from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note
from frappe.utils import add_days, nowdate, random_string

from tests.bench import builders

DEPOT = (23.106, 113.324)


def store(prefix: str = "Dispatch Store") -> frappe._dict:
	tag = random_string(5).upper()
	company = builders.company()
	root = frappe.db.get_value(
		"Warehouse", {"company": company, "is_group": 1, "parent_warehouse": ("is", "not set")}
	)
	group = frappe.get_doc(
		{
			"doctype": "Warehouse",
			"warehouse_name": f"{prefix} {tag}",
			"company": company,
			"is_group": 1,
			"parent_warehouse": root,
		}
	).insert(ignore_permissions=True)
	bin_ = frappe.get_doc(
		{
			"doctype": "Warehouse",
			"warehouse_name": f"DS{tag}-01",
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
			"dispatch_lat": DEPOT[0],
			"dispatch_lng": DEPOT[1],
			"road_factor": 1.3,
			"average_speed_kmh": 30,
			"service_minutes": 10,
		}
	).insert(ignore_permissions=True)
	item = builders.item_with_stock(0)
	frappe.db.set_value("Item", item, {"weight_per_unit": 10, "weight_uom": "Kg", "th_wms_volume": 0.1})
	_receive(item, 10_000, bin_.name)
	return frappe._dict(name=group.name, bin=bin_.name, item=item, tag=tag)


def _receive(item: str, qty: float, warehouse: str) -> None:
	se = frappe.get_doc(
		{
			"doctype": "Stock Entry",
			"stock_entry_type": "Material Receipt",
			"company": builders.company(),
			"items": [{"item_code": item, "qty": qty, "t_warehouse": warehouse, "basic_rate": 5}],
		}
	)
	se.insert(ignore_permissions=True)
	se.submit()


def driver(shift=("08:00", "18:00")) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "Driver",
				"full_name": f"Dispatch Driver {random_string(5)}",
				"status": "Active",
				"th_wms_shift_start": shift[0],
				"th_wms_shift_end": shift[1],
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def vehicle(st: frappe._dict, max_weight: float, max_volume: float = 0, shift=("08:00", "18:00")) -> str:
	plate = f"T·{random_string(6).upper()}"
	frappe.get_doc(
		{
			"doctype": "Vehicle",
			"license_plate": plate,
			"make": "Foton",
			"model": "Aumark",
			"last_odometer": 0,
			"fuel_type": "Diesel",
			"uom": "Litre",
			"th_wms_max_weight": max_weight,
			"th_wms_max_volume": max_volume,
			"th_wms_store": st.name,
			"th_wms_driver": driver(shift),
		}
	).insert(ignore_permissions=True)
	return plate


def note(st: frappe._dict, qty: float, lat=None, lng=None, window=("09:00", "18:00"), with_place=True) -> str:
	"""A submitted Delivery Note of `qty` × 10 kg (0.1 m³ each) from the store, to a new customer."""
	cust = builders.customer("Gold Dealers", lat=lat if with_place else None, lng=lng if with_place else None)
	if window:
		addr = frappe.db.get_value(
			"Dynamic Link", {"link_name": cust.name, "parenttype": "Address"}, "parent"
		)
		frappe.db.set_value(
			"Address", addr, {"th_wms_window_start": window[0], "th_wms_window_end": window[1]}
		)
	so = frappe.get_doc(
		{
			"doctype": "Sales Order",
			"customer": cust.name,
			"company": builders.company(),
			"selling_price_list": "Wholesale Gold",
			"delivery_date": add_days(nowdate(), 1),
			"set_warehouse": st.bin,
			"items": [{"item_code": st.item, "qty": qty}],
		}
	)
	so.insert(ignore_permissions=True)
	so.submit()
	dn = make_delivery_note(so.name)
	dn.insert(ignore_permissions=True)
	dn.submit()
	return dn.name


def around(i: int, n: int, radius: float = 0.03) -> tuple[float, float]:
	import math

	a = 2 * math.pi * i / max(n, 1)
	return DEPOT[0] + radius * math.sin(a), DEPOT[1] + radius * math.cos(a)


def committed(build):
	"""Run `build` and commit what it made (other connections, and later tests, see it; the row locks
	it took are let go at once). A deadlock or lock timeout with the other suites sharing the site is
	tried again."""
	import time

	for attempt in range(4):
		frappe.db.rollback()
		frappe.set_user("Administrator")
		# ERPNext keeps each warehouse's account for the process: a rolled-back try's warehouses are gone
		frappe.flags.pop("warehouse_account_map", None)
		try:
			made = build()
			frappe.db.commit()
			return made
		except (frappe.QueryDeadlockError, frappe.QueryTimeoutError):
			if attempt == 3:
				raise
			time.sleep(1 + attempt)
