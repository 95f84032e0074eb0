"""The WMS Stock Alerts report's button: a draft Material Request for the chosen suggestions."""

import frappe
from frappe import _

from wms_tms.erp import stock_alerts


@frappe.whitelist(methods=["POST"])
def make_material_request(lines: str | list, cover_days: int = 30) -> list[str]:
	"""Checks the caller may create Material Requests (and read each warehouse named); the quantities
	are worked out again on the server."""
	if frappe.session.user == "Guest":
		frappe.throw(_("Please log in."), frappe.PermissionError)
	frappe.has_permission("Material Request", "create", throw=True)
	return stock_alerts.make_material_request(lines, cover_days)
