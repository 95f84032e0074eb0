"""The mall's cart on the server, for the logged-in buyer only: whatever the client sends, the cart
read or written is the session user's (a Mall Cart named after them), for their own customer.
Guests, desk users without a customer and logins of several customers get 403."""

import json

import frappe
from frappe import _

from b2b_mall.api.orders import said
from b2b_mall.core.cart import CartRejected, Problem
from b2b_mall.erp import cart
from b2b_mall.web_guard import csrf_protected

REFUSED = 422


def _buyer() -> str:
	if frappe.session.user == "Guest":
		frappe.throw(_("Please log in to see your cart."), frappe.PermissionError)
	return frappe.session.user


def answer(view: dict) -> dict:
	return {"lines": view["lines"], "problems": said(view["problems"])}


@frappe.whitelist(methods=["GET"])
def get() -> dict:
	"""The buyer's cart: {"lines": [{item_code, item_name, qty, moq, pack, rate, breaks}], "problems":
	[{code, item_code, message}]}, priced today for their customer; an item that left the mall is
	taken out, with its reason in problems."""
	return answer(cart.view(_buyer()))


@frappe.whitelist(methods=["POST"])
@csrf_protected
def save(items: list | dict | str | None = None) -> dict:
	"""Replace the buyer's cart with `items` ([{"item_code", "qty"}]; [] empties it) and answer it as
	`get` does. A quantity that is not a number above zero, or a cart beyond B2B Mall Settings' lines
	or quantity per item, answers 422 with its problems and leaves the cart as it was."""
	user = _buyer()
	try:
		if isinstance(items, str):
			try:
				items = json.loads(items)
			except ValueError:
				items = None
		if not isinstance(items, list):
			raise CartRejected(
				[
					Problem(
						"bad_cart", "items must be a list of item codes and quantities ([] empties the cart)."
					)
				]
			)
		return answer(cart.save(user, items))
	except CartRejected as e:
		frappe.local.response.http_status_code = REFUSED
		return {"problems": said(e.problems)}
