"""Desk actions on pick waves: Pick List in walking order, confirm picked, Delivery Notes."""

import frappe

from wms_tms.erp import floor, picking


@frappe.whitelist(methods=["POST"])
def make_pick_list(wave: str) -> str:
	frappe.has_permission("Pick Wave", "write", wave, throw=True)
	return picking.make_pick_list(wave).name


@frappe.whitelist(methods=["POST"])
def confirm_picked(wave: str) -> list[str]:
	"""The wave's Pick List was picked (in full, but for the short picks recorded): submit it and make
	the Delivery Notes."""
	frappe.has_permission("Pick Wave", "write", wave, throw=True)
	pick_list = frappe.db.get_value("Pick Wave", wave, "pick_list")
	picking.confirm_picked(pick_list, floor.desk_picked(wave, pick_list))
	return picking.make_delivery_notes(pick_list)


@frappe.whitelist(methods=["POST"])
def record_short(wave: str, row: str, picked_qty: float, reason: str) -> dict:
	"""A line picked short, from the desk: what was picked and why; the rest stays on the Sales Order."""
	frappe.has_permission("Pick Wave", "write", wave, throw=True)
	return floor.record_short_in_desk(wave, row, picked_qty, reason)
