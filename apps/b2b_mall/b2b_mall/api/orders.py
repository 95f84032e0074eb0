"""Portal endpoints for wholesale buyers (logged-in Website Users linked to a Customer)."""

import json

import frappe
from frappe import _

from b2b_mall.core.cart import CartRejected, Problem, parse_lines
from b2b_mall.erp import orders

REFUSED = 422


@frappe.whitelist(methods=["POST"])
def place_order(items: list | str) -> dict:
	"""Place a Sales Order for the logged-in buyer's customer.

	items: [{"item_code": "...", "qty": 10}, ...] — any price sent along is ignored; ERPNext
	prices every line. A refused cart answers HTTP 422 with {"problems": [{code, item_code,
	message}]}, one per problem, in the buyer's language; nothing is written.
	"""
	if frappe.session.user == "Guest":
		frappe.throw(_("Please log in to place an order."), frappe.PermissionError)
	try:
		if isinstance(items, str):
			try:
				items = json.loads(items)
			except ValueError:
				raise CartRejected(
					[Problem("empty_cart", "items must be a JSON list of item codes and quantities.")]
				) from None
		return orders.place_order(frappe.session.user, parse_lines(items))
	except CartRejected as e:
		frappe.local.response.http_status_code = REFUSED
		return {
			"problems": [
				{"code": p.code, "item_code": p.item_code, "message": p.render(_(p.template))}
				for p in e.problems
			]
		}
