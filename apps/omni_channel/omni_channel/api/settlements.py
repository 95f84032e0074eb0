"""Desk action: post a platform settlement statement to the General Ledger."""

import frappe

from omni_channel.erp import settlements


@frappe.whitelist(methods=["POST"])
def post(name: str) -> dict:
	frappe.has_permission("Channel Settlement", "write", name, throw=True)
	return settlements.post(name)
