"""Waves → ERPNext Pick List in walking order → picked → Delivery Notes.

ERPNext allocates each line to bins (leaf Warehouses under the store) as it always does
(`Pick List.set_item_locations` with `parent_warehouse`); the core then orders the rows
by the shortest walk through those bins, and the list is frozen (`pick_manually`) so a
later save keeps that order. The only module of wms_tms that writes picking documents.
"""

import frappe
from erpnext.stock.doctype.pick_list.pick_list import create_delivery_note
from frappe import _
from frappe.utils import flt

from wms_tms.erp.layout import layout_of, pick_route


def check_orders(company: str, sales_orders: list[str]) -> None:
	"""Every order of a wave is a submitted, not yet delivered Sales Order of the wave's company, once."""
	if len(set(sales_orders)) != len(sales_orders):
		frappe.throw(_("A Sales Order is listed twice in this wave."))
	for so in sales_orders:
		docstatus, so_company, per_delivered = frappe.db.get_value(
			"Sales Order", so, ["docstatus", "company", "per_delivered"]
		) or (None, None, None)
		if docstatus != 1 or so_company != company or flt(per_delivered) >= 100:
			frappe.throw(
				_("Sales Order {0} is not a submitted, undelivered order of {1}.").format(so, company)
			)


def create_wave(company: str, store: str, sales_orders: list[str]):
	"""A Pick Wave gathering submitted, undelivered Sales Orders of one company (checked on validate)."""
	wave = frappe.get_doc(
		{
			"doctype": "Pick Wave",
			"company": company,
			"warehouse": store,
			"orders": [{"sales_order": so} for so in sales_orders],
		}
	)
	wave.insert()
	return wave


def make_pick_list(wave_name: str):
	"""One Pick List for the whole wave, rows in the order the picker walks."""
	wave = frappe.get_doc("Pick Wave", wave_name)
	if wave.pick_list:
		return frappe.get_doc("Pick List", wave.pick_list)
	pl = frappe.get_doc(
		{
			"doctype": "Pick List",
			"company": wave.company,
			"purpose": "Delivery",
			"parent_warehouse": wave.warehouse,
		}
	)
	for row in wave.orders:
		so = frappe.get_doc("Sales Order", row.sales_order)
		for item in so.items:
			pending = flt(item.stock_qty) - flt(item.delivered_qty) * flt(item.conversion_factor or 1)
			if pending <= 0:
				continue
			pl.append(
				"locations",
				{
					"item_code": item.item_code,
					"qty": pending / flt(item.conversion_factor or 1),
					"stock_qty": pending,
					"uom": item.uom,
					"stock_uom": item.stock_uom,
					"conversion_factor": item.conversion_factor or 1,
					"sales_order": so.name,
					"sales_order_item": item.name,
				},
			)
	pl.insert()  # ERPNext allocates every row to bins under the store
	route = pick_route(layout_of(wave.warehouse), [loc.warehouse for loc in pl.locations])
	rank = {bin_name: i for i, bin_name in enumerate(route.bins)}
	pl.locations.sort(key=lambda loc: (rank.get(loc.warehouse, len(rank)), loc.item_code))
	for i, loc in enumerate(pl.locations, start=1):
		loc.idx = i
	pl.pick_manually = 1
	pl.save()
	wave.db_set(
		{"pick_list": pl.name, "status": "Picking", "path_length": route.length, "path_method": route.method}
	)
	return pl


def confirm_picked(pick_list_name: str, picked: dict[str, float] | None = None):
	"""Record what was picked (row name → qty; default: everything) and submit the Pick List."""
	pl = frappe.get_doc("Pick List", pick_list_name)
	for loc in pl.locations:
		qty = flt(loc.stock_qty) if picked is None else flt(picked.get(loc.name, 0))
		if qty < 0 or qty > flt(loc.stock_qty):
			frappe.throw(
				_("Row {0}: picked quantity {1} is outside 0 … {2}.").format(loc.idx, qty, loc.stock_qty)
			)
		loc.picked_qty = qty
	# a row picked nothing leaves the list (ERPNext would read 0 as "all" on submit); it stays open
	# on its Sales Order
	pl.set("locations", [loc for loc in pl.locations if flt(loc.picked_qty) > 0])
	if not pl.locations:
		frappe.throw(_("Nothing was picked on this wave."))
	for i, loc in enumerate(pl.locations, start=1):
		loc.idx = i
	pl.save()
	pl.submit()
	wave = frappe.db.get_value("Pick Wave", {"pick_list": pl.name})
	if wave:
		frappe.db.set_value("Pick Wave", wave, "status", "Picked")
	return pl


def make_delivery_notes(pick_list_name: str) -> list[str]:
	"""ERPNext's own Pick List → Delivery Note mapping (one per customer), submitted."""
	create_delivery_note(pick_list_name)
	names = frappe.get_all(
		"Delivery Note", filters={"pick_list": pick_list_name, "docstatus": 0}, pluck="name"
	)
	for name in names:
		dn = frappe.get_doc("Delivery Note", name)
		dn.submit()
	return names
