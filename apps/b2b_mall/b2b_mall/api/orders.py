"""Portal endpoints for wholesale buyers (logged-in Website Users linked to a Customer)."""

import json

import frappe
from frappe import _

from b2b_mall.core.cart import CartRejected, parse_lines
from b2b_mall.erp import orders
from b2b_mall.exceptions import CartRejectedError


@frappe.whitelist(methods=["POST"])
def place_order(items: list | str) -> dict:
	"""Place a Sales Order for the logged-in buyer's customer.

	items: [{"item_code": "...", "qty": 10}, ...] — any price sent along is ignored; ERPNext
	prices every line. Refusals come back as HTTP 422 with one reason per problem.
	"""
	if frappe.session.user == "Guest":
		frappe.throw(_("Please log in to place an order."), frappe.PermissionError)
	if isinstance(items, str):
		try:
			items = json.loads(items)
		except ValueError:
			frappe.throw(_("items must be a JSON list of item codes and quantities."), CartRejectedError)
	try:
		return orders.place_order(frappe.session.user, parse_lines(items))
	except CartRejected as e:
		frappe.local.response["problems"] = [
			{"code": p.code, "item_code": p.item_code, "message": _(p.message)} for p in e.problems
		]
		frappe.throw(
			"<br>".join(_(p.message) for p in e.problems), CartRejectedError, title=_("Order not placed")
		)
