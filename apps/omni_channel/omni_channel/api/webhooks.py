"""Webhook endpoint for marketplace shops (guests: the platform signs, we verify).

POST /api/method/omni_channel.api.webhooks.receive?shop=<Channel Shop>
Answers 200 {"status": "created" | "updated" | "duplicate", "order": key} once the raw order is
stored, 202 for events that are not orders, 400 on a body that is not an order, 401 (one and the
same body) for an unknown or disabled shop, a shop without a secret and a bad signature, 411
without a Content-Length, 413 when the body is too large, 429 when the shop is over its rate,
503 (retry) when two newer versions of one order collide.

Checked in this order, cheapest first: the declared length, the shop and its rate, the
signature over the raw bytes; nothing is stored before the signature checks out.
"""

import json
import time

import frappe
from frappe.utils import cint
from werkzeug.datastructures import Headers
from werkzeug.wrappers import Response

from omni_channel.core.payload import MAX_BODY_BYTES
from omni_channel.erp import orders

# Deliveries per shop per minute. Platforms deliver from many addresses, so the limit is keyed by
# the shop named in the query string (never the body, never the caller's IP), in fixed 60-second
# windows counted in Redis. 30000 a minute = 500 a second, sustained: above what a whole site takes
# in (one web worker stores about 50 to 120 signed deliveries a second; a 2-core site runs 5
# workers on 2 cores), so our own limit never refuses a flash sale: only a runaway or hostile
# sender is held back. tests/benchmarks/omni_webhook_intake.py measures the intake and prints the
# limit as a multiple of it. A refused delivery is not lost: Shopify, WooCommerce and Taobao retry
# a 429. Site config `omni_webhook_rate_limit` overrides the figure.
RATE_LIMIT = 30000
RATE_WINDOW = 60  # seconds
UNKNOWN_SHOP = "?"  # every name that is not an enabled shop shares one bucket


@frappe.whitelist(allow_guest=True, methods=["POST"])
def receive(**kwargs: object) -> Response:
	# Frappe hands the JSON body to us as kwargs; the shop only ever comes from the query string
	shop = (frappe.request.args.get("shop") or "").strip()
	length = frappe.request.content_length
	if length is None:
		return _answer(411, {"error": "length_required", "reason": "send a Content-Length header"})
	if length > MAX_BODY_BYTES:
		return _answer(
			413, {"error": "too_large", "reason": f"body is {length} bytes, the limit is {MAX_BODY_BYTES}"}
		)
	if not shop:
		return _answer(400, {"error": "missing_field", "reason": "the shop query parameter is required"})
	known = frappe.db.exists("Channel Shop", {"name": shop, "enabled": 1})
	if not within_rate(shop if known else UNKNOWN_SHOP):
		response = _answer(429, {"error": "rate_limited", "reason": "too many deliveries; retry later"})
		response.headers["Retry-After"] = str(RATE_WINDOW)
		return response
	try:
		outcome = orders.receive(shop, frappe.request.get_data(cache=True), signing_headers())
	except frappe.QueryDeadlockError:
		# two newer versions of one order at the same instant: let the platform deliver again
		frappe.db.rollback()
		return _answer(503, {"error": "busy", "reason": "the order is being updated; retry"})
	return _answer(outcome.status, outcome.body)


# A Taobao (Qimen) push carries these in the query string; nginx also drops request headers whose
# names have underscores, so they are taken from the query string when present there.
TOP_QUERY_PARAMS = ("app_key", "timestamp", "sign_method", "sign")


def signing_headers() -> Headers:
	headers = Headers(list(frappe.request.headers.items()))
	for name in TOP_QUERY_PARAMS:
		# the WSGI environ spells a header's underscore as a hyphen: ask it by the TOP name
		value = frappe.request.args.get(name) or frappe.request.headers.get(name)
		if value is not None:
			headers.set(name, value)
	return headers


def rate_limit() -> int:
	return cint(frappe.conf.get("omni_webhook_rate_limit")) or RATE_LIMIT


def within_rate(bucket: str, now: float | None = None) -> bool:
	"""Count one delivery for `bucket` in the current window; False once it is over the limit."""
	window = int((now if now is not None else time.time()) // RATE_WINDOW)
	key = frappe.cache.make_key(f"omni_channel:webhook_rate:{bucket}:{window}")
	pipe = frappe.cache.pipeline()
	pipe.incr(key)
	pipe.expire(key, RATE_WINDOW * 2)
	count, _ = pipe.execute()
	return count <= rate_limit()


def _answer(status: int, body: dict) -> Response:
	return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json")
