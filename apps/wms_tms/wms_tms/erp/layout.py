"""The store's layout as the core sees it: Warehouse Layout + the bins' coordinate fields."""

import frappe
from frappe import _

from wms_tms.core.layout import Layout
from wms_tms.core.pickpath import Tour, best_tour


def layout_of(store: str) -> Layout:
	if not frappe.db.exists("Warehouse Layout", store):
		frappe.throw(_("Store {0} has no Warehouse Layout: describe its aisles first.").format(store))
	geometry = frappe.get_cached_doc("Warehouse Layout", store).as_dict()
	lft, rgt = frappe.db.get_value("Warehouse", store, ["lft", "rgt"])
	rows = frappe.get_all(
		"Warehouse",
		filters={"lft": (">", lft), "rgt": ("<", rgt), "is_group": 0, "th_wms_aisle": (">", 0)},
		fields=[
			"name as bin",
			"th_wms_block as block",
			"th_wms_aisle as aisle",
			"th_wms_position as position",
			"th_wms_side as side",
			"th_wms_level as level",
		],
	)
	return Layout.from_rows(geometry, rows)


def pick_route(layout: Layout, bins: list[str]) -> Tour:
	return best_tour(layout, bins)
