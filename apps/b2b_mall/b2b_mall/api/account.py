"""Portal endpoints of the buyer's account: statement confirmation, proof-of-delivery photo, points.

Each works on the logged-in buyer's own customer only (erp.orders.customer_of); a document of
another customer is answered 404 as if it did not exist."""

import mimetypes

import frappe
from frappe import _
from werkzeug.wrappers import Response

from b2b_mall.core.cart import CartRejected
from b2b_mall.erp import account
from b2b_mall.web_guard import csrf_protected

REFUSED = 422


def _buyer() -> str:
	if frappe.session.user == "Guest":
		frappe.throw(_("Please log in."), frappe.PermissionError)
	return frappe.session.user


@frappe.whitelist(methods=["POST"])
@csrf_protected
def confirm_statement(from_date: str, to_date: str, status: str, comment: str | None = None) -> dict:
	"""Confirm ("Confirmed") or dispute ("Disputed", with a comment) the statement of a period.

	Answers {name, status, closing_balance} of the new Mall Statement Confirmation; a refused
	request answers 422 {"problems": [{code, message}]} in the buyer's language."""
	user = _buyer()
	try:
		return account.confirm_statement(user, from_date, to_date, status, comment)
	except CartRejected as e:
		frappe.local.response.http_status_code = REFUSED
		return {"problems": [{"code": p.code, "message": p.render(_(p.template))} for p in e.problems]}


@frappe.whitelist(methods=["GET"])
def proof_of_delivery(delivery_note: str) -> Response:
	"""The driver's proof-of-delivery photo of one of the buyer's own deliveries (404 otherwise)."""
	name, content = account.proof_of_delivery(_buyer(), delivery_note)
	kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
	if not kind.startswith("image/"):
		kind = "application/octet-stream"
	return Response(
		content,
		mimetype=kind,
		headers={
			"Cache-Control": "private, max-age=300",
			"X-Content-Type-Options": "nosniff",
			"Content-Disposition": f'inline; filename="{delivery_note}-proof"',
		},
	)


@frappe.whitelist(methods=["GET"])
def points() -> dict:
	"""The buyer's loyalty points: balance, held by open orders, available, and what they may pay."""
	return account.points_summary(_buyer())
