"""Desk action: book an inspected marketplace refund."""

import frappe

from omni_channel.erp import refunds


@frappe.whitelist(methods=["POST"])
def book(name: str) -> dict:
	frappe.has_permission("Channel Refund", "write", name, throw=True)
	return refunds.book(name)
