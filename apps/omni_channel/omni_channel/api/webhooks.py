"""Webhook endpoint for marketplace shops (guests: the platform signs, we verify).

POST /api/method/omni_channel.api.webhooks.receive?shop=<Channel Shop>
Answers 200 {"status": "created" | "updated" | "duplicate", "order": key} once the raw order is
stored, 202 for events that are not orders, 401 on a bad signature, 400 on a body that is not
an order, 404 for an unknown shop, 413 when the body is too large, 503 (retry) when two newer versions of one order collide.
"""

import json

import frappe
from frappe.rate_limiter import rate_limit
from werkzeug.wrappers import Response

from omni_channel.erp import orders


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(key="shop", limit=600, seconds=60)
def receive(shop: str | None = None, **kwargs: object) -> Response:
	shop = shop or frappe.request.args.get("shop")
	if not shop:
		return _answer(400, {"error": "missing_field", "reason": "the shop query parameter is required"})
	try:
		outcome = orders.receive(shop, frappe.request.get_data(cache=True), frappe.request.headers)
	except frappe.QueryDeadlockError:
		# two newer versions of one order at the same instant: let the platform deliver again
		frappe.db.rollback()
		return _answer(503, {"error": "busy", "reason": "the order is being updated; retry"})
	return _answer(outcome.status, outcome.body)


def _answer(status: int, body: dict) -> Response:
	return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json")
