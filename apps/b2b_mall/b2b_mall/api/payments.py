"""Online payment endpoints: a buyer starts paying an order or the balance due and reads how their
payment stands; the gateway posts its asynchronous notification (a guest, verified by signature)."""

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit
from werkzeug.wrappers import Response

from b2b_mall.erp import payments
from b2b_mall.web_guard import csrf_protected


def _buyer() -> str:
	if frappe.session.user == "Guest":
		frappe.throw(_("Please log in to pay."), frappe.PermissionError)
	return frappe.session.user


@frappe.whitelist(methods=["POST"])
@csrf_protected
def start(what: str) -> dict:
	"""Pay a Sales Order of the buyer's customer (`what` = its name) or the balance due (`what` =
	"balance"). Answers {payment, url, amount, currency}: the page sends the buyer to `url`, the
	gateway's cashier. Another customer's order: 404; nothing left to pay or payment switched off:
	417; a payment under way for part of it: 409. The session's CSRF token is required (403)."""
	user = _buyer()
	if not isinstance(what, str) or not what or len(what) > 140:
		frappe.throw(_("Choose an order or the balance to pay."))
	try:
		return payments.start(user, what)
	except (frappe.QueryDeadlockError, frappe.QueryTimeoutError):
		frappe.db.rollback()
		frappe.throw(_("Busy at this moment: please press Pay again."), payments.PaymentUnderWay)


@frappe.whitelist(methods=["GET"])
def status(payment: str) -> dict:
	"""The buyer's own online payment: status (Pending, Paid, Expired, Refund Needed), amount and the
	documents it pays. Another customer's: 404."""
	user = _buyer()
	return payments.status_of(user, str(payment or ""))


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=300, seconds=60)
def notify(**kwargs: object) -> Response:
	"""The gateway's asynchronous notification (Alipay: a form POST signed with the platform's key).
	The raw body is verified, never the escaped form values Frappe hands a guest. Answers the
	provider's acknowledgement (`success`) when taken — a replay included, posting nothing twice —
	or 400 with the reason (logged) when refused."""
	status_code, body = payments.receive(
		frappe.request.get_data(cache=True) or b"", frappe.get_request_header("Content-Type") or ""
	)
	return Response(body, status=status_code, content_type="text/plain; charset=utf-8")
