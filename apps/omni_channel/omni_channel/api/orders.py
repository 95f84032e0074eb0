"""Desk actions on marketplace orders."""

import frappe
from frappe import _

from omni_channel.erp import orders


@frappe.whitelist(methods=["POST"])
def retry(log_name: str) -> dict:
	"""Process a held or failed marketplace order again now (after mapping its SKU, say)."""
	frappe.has_permission("Channel Order Log", "write", log_name, throw=True)
	status = frappe.db.get_value("Channel Order Log", log_name, "status")
	if status not in ("Held", "Failed", "Received"):
		frappe.throw(_("Only held or failed orders can be retried; this one is {0}.").format(_(status)))
	sales_order = orders.process_job(log_name)
	return {
		"sales_order": sales_order,
		"status": frappe.db.get_value("Channel Order Log", log_name, "status"),
	}
