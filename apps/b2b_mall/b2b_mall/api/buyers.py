"""Endpoints for several buyers per customer: invite (desk), accept an invitation, QR login.

A refused link or login answers 403 (tampered, another browser) or 410 (expired, already used)
with {"error": reason, "message": ...}; the request still commits, so its Activity Log row stays."""

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit

from b2b_mall.erp import buyers
from b2b_mall.web_guard import _same_origin, _served_over_http, csrf_protected


def _refused(e: buyers.Refused) -> dict:
	frappe.clear_messages()
	frappe.local.response.http_status_code = e.status
	return {"error": e.reason, "message": e.message}


def _same_site_only() -> None:
	"""Guest endpoints have no session CSRF token: they take requests from our own pages only."""
	if _served_over_http() and not _same_origin():
		frappe.flags.disable_traceback = True
		frappe.throw(_("This request did not come from our page."), frappe.PermissionError)


@frappe.whitelist(methods=["POST"])
def invite(customer: str, email: str, role: str = "Orderer") -> dict:
	"""Desk (Customer form, "Invite buyer"): a signed, single-use invitation link and its QR code.
	Needs write on the Customer and create on B2B Buyer Invitation."""
	return buyers.invite(customer, email, role)


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=30, seconds=60 * 60)
def accept(token: str, full_name: str | None = None, password: str | None = None) -> dict:
	"""The invited buyer sets a password (or, logged in as the invited email, just joins) and is
	logged in. Per IP at most 30 an hour."""
	_same_site_only()
	try:
		user = buyers.accept(token, full_name, password)
	except buyers.Refused as e:
		return _refused(e)
	if frappe.session.user == "Guest":
		frappe.local.login_manager.login_as(user)
	return {"user": user, "home": "/mall"}


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=120, seconds=60 * 60)
def qr_start() -> dict:
	"""A login QR for this browser; its secret goes into an HttpOnly, SameSite=Strict cookie that
	page scripts cannot read. Per IP at most 120 an hour."""
	_same_site_only()
	if frappe.session.user != "Guest":
		frappe.throw(_("You are already logged in."), frappe.ValidationError)
	started = buyers.qr_start(frappe.get_request_header("User-Agent") or "")
	frappe.local.cookie_manager.set_cookie(
		buyers.QR_COOKIE, started.secret, max_age=started.expires_in, httponly=True, samesite="Strict"
	)
	return {"id": started.id, "url": started.url, "qr": started.qr, "expires_in": started.expires_in}


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=1200, seconds=60 * 60)
def qr_poll(id: str) -> dict:
	"""The login page asks every two seconds; answers pending, declined, or logs this browser in."""
	_same_site_only()
	secret = frappe.request.cookies.get(buyers.QR_COOKIE) if frappe.request else None
	try:
		answer = buyers.qr_poll(id, secret)
	except buyers.Refused as e:
		return _refused(e)
	if answer.status != "pending":
		frappe.local.cookie_manager.delete_cookie(buyers.QR_COOKIE)
	return answer


@frappe.whitelist(methods=["POST"])
@csrf_protected
def qr_approve(token: str, approve: int | str = 1) -> dict:
	"""A logged-in buyer's phone approves (or declines) the login its camera read."""
	try:
		return {"status": buyers.qr_approve(token, str(approve) not in ("0", "false", "False", ""))}
	except buyers.Refused as e:
		return _refused(e)
