"""Stock-take: the desk plans and approves; the counter's phone page /count counts.

Desk calls check the Stock Take's own permissions (and Stock Reconciliation's for approval); phone
calls check that the caller is a WMS Picker, Stock User or Stock Manager and the take's counter,
and carry the page's CSRF token."""

import frappe

from wms_tms.erp import stocktake
from wms_tms.web_guard import csrf_protected


@frappe.whitelist(methods=["POST"])
def make_lines(take: str) -> int:
	frappe.has_permission("Stock Take", "write", take, throw=True)
	return len(stocktake.make_plan(take).lines)


@frappe.whitelist(methods=["POST"])
def approve(take: str) -> str | None:
	frappe.has_permission("Stock Take", "write", take, throw=True)
	frappe.has_permission("Stock Reconciliation", "submit", throw=True)
	return stocktake.approve(take)


@frappe.whitelist()
def count_data(take: str) -> dict:
	return stocktake.count_data(take)


@frappe.whitelist(methods=["POST"])
@csrf_protected
def scan(take: str, bin: str, code: str, qty: float = 1, set_to: int = 0) -> dict:
	return stocktake.scan(take, bin, code, qty, set_to)


@frappe.whitelist(methods=["POST"])
@csrf_protected
def finish(take: str) -> dict:
	return stocktake.finish(take)
