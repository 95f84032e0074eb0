"""Desk actions on pick waves: Pick List in walking order, confirm picked, Delivery Notes."""

import frappe

from wms_tms.erp import picking


@frappe.whitelist(methods=["POST"])
def make_pick_list(wave: str) -> str:
	frappe.has_permission("Pick Wave", "write", wave, throw=True)
	return picking.make_pick_list(wave).name


@frappe.whitelist(methods=["POST"])
def confirm_picked(wave: str) -> list[str]:
	"""Everything on the wave's Pick List was picked: submit it and make the Delivery Notes."""
	frappe.has_permission("Pick Wave", "write", wave, throw=True)
	pick_list = frappe.db.get_value("Pick Wave", wave, "pick_list")
	picking.confirm_picked(pick_list)
	return picking.make_delivery_notes(pick_list)
