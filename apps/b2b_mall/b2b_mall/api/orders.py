"""Portal endpoints for wholesale buyers (logged-in Website Users linked to a Customer)."""

import datetime
import json
from functools import wraps

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit

from b2b_mall.core.cart import CartRejected, Checkout, Problem, parse_lines
from b2b_mall.erp import cart, orders
from b2b_mall.web_guard import csrf_protected

REFUSED = 422
BUSY = 409  # lost a lock to another order at the same moment: the same request may simply be sent again
RATE_KEY = "b2b_mall_buyer"  # set from the session below, never taken from the client


def said(problems: list[Problem]) -> list[dict]:
	"""Problems as the portal's pages read them: {code, item_code, message in the buyer's language}."""
	return [{"code": p.code, "item_code": p.item_code, "message": p.render(_(p.template))} for p in problems]


def per_buyer_hourly_limit(fn):
	"""frappe.rate_limiter.rate_limit per logged-in buyer (not per IP: a buyer's office shares one),
	at B2B Mall Settings' orders per hour; over it the answer is 429 with a sentence in the buyer's language."""
	limited = rate_limit(
		key=RATE_KEY, limit=lambda: orders.limits().orders_per_hour, seconds=60 * 60, ip_based=False
	)(fn)

	@wraps(fn)
	def wrapper(*args, **kwargs):
		frappe.form_dict[RATE_KEY] = frappe.session.user
		try:
			return limited(*args, **kwargs)
		except frappe.RateLimitExceededError:
			frappe.clear_messages()
			frappe.throw(
				_(
					"You have sent {0} orders in the last hour, the most the mall takes. Please try again later."
				).format(orders.limits().orders_per_hour),
				frappe.RateLimitExceededError,
			)

	return wrapper


def _date(value: str | None):
	if not value:
		return None
	try:
		return datetime.date.fromisoformat(str(value)[:10])
	except ValueError:
		raise CartRejected([Problem("bad_date", "The delivery date is not a date.")]) from None


def _points(value) -> int:
	if value in (None, "", 0, "0"):
		return 0
	try:
		points = float(value)
	except (TypeError, ValueError):
		points = -1
	if points <= 0 or points != int(points):
		raise CartRejected([Problem("bad_points", "Points to redeem must be a whole number above zero.")])
	return int(points)


@frappe.whitelist(methods=["POST"])
@csrf_protected
@per_buyer_hourly_limit
def place_order(
	items: list | str,
	shipping_address: str | None = None,
	delivery_date: str | None = None,
	note: str | None = None,
	redeem_points: int | None = None,
) -> dict:
	"""Place a Sales Order for the logged-in buyer's customer.

	items: [{"item_code": "...", "qty": 10}, ...] — any price sent along is ignored; ERPNext
	prices every line. The request must carry the session's CSRF token from the mall page (403
	without it), and a buyer may send B2B Mall Settings' orders per hour (429 beyond). A cart over
	the settings' lines or per-item quantity, or otherwise refused, answers HTTP 422 with {"problems": [{code, item_code,
	message}]}, one per problem, in the buyer's language; nothing is written. Stock and credit are
	checked under database locks, so a cart that loses a race to another buyer gets the same 422;
	if the locks deadlock or time out the answer is 409 with code "try_again" and nothing is written.

	shipping_address: one of the customer's Addresses (another is refused, 422 bad_address);
	delivery_date: the requested date (YYYY-MM-DD, today or later); note: to the seller, at most
	1,000 characters, kept as text (escaped) on the Sales Order.

	redeem_points: loyalty points to redeem on the order's invoices, at most what the buyer has free
	and B2B Mall Settings' share of the order (422 over_points / over_share beyond).
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
		checkout = Checkout(
			address=shipping_address or None,
			delivery_date=_date(delivery_date),
			note=note if isinstance(note, str) else "",
			redeem_points=_points(redeem_points),
		)
		placed = orders.place_order(frappe.session.user, parse_lines(items, orders.limits().cart), checkout)
		cart.clear(frappe.session.user)  # ordered (or waiting for approval): the buyer's cart starts afresh
		return placed
	except (frappe.QueryDeadlockError, frappe.QueryTimeoutError):
		frappe.db.rollback()
		frappe.clear_messages()
		frappe.local.response.http_status_code = BUSY
		return {
			"problems": [
				{
					"code": "try_again",
					"item_code": None,
					"message": _(
						"Many orders for these items are arriving at this moment. Nothing was ordered; please send your order again."
					),
				}
			]
		}
	except CartRejected as e:
		frappe.local.response.http_status_code = REFUSED
		return {"problems": said(e.problems)}
