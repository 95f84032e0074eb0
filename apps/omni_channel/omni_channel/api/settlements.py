"""Desk actions: import a platform's payout file as a settlement; post a settlement to the General Ledger."""

import frappe

from omni_channel.erp import settlement_files, settlements


@frappe.whitelist(methods=["POST"])
def post(name: str) -> dict:
	frappe.has_permission("Channel Settlement", "write", name, throw=True)
	return settlements.post(name)


@frappe.whitelist(methods=["POST"])
def import_file(shop: str, file_format: str, file_url: str) -> dict:
	"""A platform's payout file → one draft Channel Settlement of the shop, its lines matched to invoices."""
	frappe.has_permission("Channel Settlement", "create", throw=True)
	frappe.has_permission("Channel Settlement", "write", throw=True)
	frappe.has_permission("Channel Shop", "read", shop, throw=True)
	doc = settlement_files.import_file(shop, file_format, file_url)
	return {"name": doc.name, "lines": len(doc.lines), "payout": doc.payout, "variances": doc.variances}
