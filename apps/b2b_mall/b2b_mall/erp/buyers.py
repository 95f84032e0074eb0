"""Several buyers per customer: invitations, roles on the customer's Portal Users, and QR login.

Both links are signed tokens (core/tokens.py) under keys derived from the site's encryption key;
single use is kept here: an invitation's row (locked, Pending → Accepted) and a QR login's state in
Redis (first approval and first completion claimed with SET NX). Every use — accepted or refused —
is written to Frappe's Activity Log, which the desk lists (System Manager), with the caller's IP.

Refusals raise `Refused`; the api layer answers them 4xx and lets the request commit, so the
Activity Log row of a refusal is kept.
"""

import datetime
import json
import secrets
import time
from base64 import b64encode
from io import BytesIO
from zoneinfo import ZoneInfo

import frappe
from frappe import _
from frappe.utils import escape_html, get_system_timezone, get_url, now_datetime, strip_html
from frappe.utils.password import get_encryption_key

from b2b_mall.core import tokens
from b2b_mall.core.approval import APPROVER, ORDERER, ROLES

INVITE = "invite"
QR = "qrlogin"
QR_COOKIE = "b2b_mall_qr"
QR_STATE = "b2b_mall:qr_login:"
DEFAULT_INVITATION_DAYS = 7
DEFAULT_QR_SECONDS = 120
MAX_QR_SECONDS = 600
MIN_PASSWORD = 8

GONE = 410  # expired or already used
FORBIDDEN = 403  # tampered, another browser, not allowed
REFUSED = 422  # a form value is not acceptable


class Refused(Exception):
	"""A link or login refused: `reason` (a code), `message` (for the buyer), `status` (HTTP)."""

	def __init__(self, reason: str, message: str, status: int):
		super().__init__(message)
		self.reason, self.message, self.status = reason, message, status


def now() -> float:
	"""The clock tokens are checked against (bench tests move it forward)."""
	return time.time()


def _key(purpose: str) -> bytes:
	return tokens.derive_key(get_encryption_key(), purpose)


def _local(ts: float) -> datetime.datetime:
	"""A unix time as the site's naive system-timezone datetime (as Frappe stores Datetime)."""
	return datetime.datetime.fromtimestamp(ts, ZoneInfo(get_system_timezone())).replace(tzinfo=None)


def qr_image(url: str) -> str:
	"""The URL as a QR code, an SVG data URI (pyqrcode, as Frappe's two-factor setup uses)."""
	from pyqrcode import create

	stream = BytesIO()
	create(url, error="M").svg(stream, scale=5, background="#fff", module_color="#000", xmldecl=False)
	return "data:image/svg+xml;base64," + b64encode(stream.getvalue()).decode()


def audit(
	subject: str, ok: bool, reference: tuple[str, str] | None = None, user: str | None = None, login=False
):
	"""One Activity Log row (desk: Activity Log), with the caller's IP. `subject` is escaped by the caller."""
	user = user or frappe.session.user
	frappe.get_doc(
		{
			"doctype": "Activity Log",
			"subject": subject,
			"status": "Success" if ok else "Failed",
			"operation": "Login" if login else None,
			"user": user,
			"full_name": frappe.utils.get_fullname(user),
			# link_*, not reference_*: a log with a reference gets the status "Linked" instead of ours
			"link_doctype": reference[0] if reference else None,
			"link_name": reference[1] if reference else None,
			"communication_date": now_datetime(),
			"ip_address": getattr(frappe.local, "request_ip", None),
		}
	).insert(ignore_permissions=True)


REASONS = {
	"malformed": (FORBIDDEN, "This link is not valid. Ask for a new one."),
	"tampered": (FORBIDDEN, "This link is not valid. Ask for a new one."),
	"expired": (GONE, "This link has expired. Ask for a new one."),
	"used": (GONE, "This link has already been used."),
}


def _refuse(reason: str, what: str, reference=None, user=None, login=False, message: str | None = None):
	status, text = REASONS.get(reason, (FORBIDDEN, message or ""))
	audit(f"{what} refused: {reason}", False, reference, user=user, login=login)
	raise Refused(reason, _(message or text), status)


def _settings():
	return frappe.get_cached_doc("B2B Mall Settings")


# ---------------------------------------------------------------- roles


def portal_rows(customer: str) -> list[frappe._dict]:
	return frappe.get_all(
		"Portal User",
		filters={"parenttype": "Customer", "parent": customer},
		fields=["user", "th_b2b_role"],
		order_by="idx",
	)


def role_in(customer: str, user: str) -> str | None:
	"""The user's buyer role for this customer (Orderer when the row has none), None if not a buyer of it."""
	for row in portal_rows(customer):
		if row.user == user:
			return APPROVER if row.th_b2b_role == APPROVER else ORDERER
	return None


def approvers_of(customer: str) -> list[str]:
	users = [r.user for r in portal_rows(customer) if r.th_b2b_role == APPROVER]
	return frappe.get_all("User", filters={"name": ("in", users or [""]), "enabled": 1}, pluck="name")


# ---------------------------------------------------------------- invitations


def invite(customer: str, email: str, role: str = ORDERER) -> frappe._dict:
	"""A new invitation for `email` to buy for `customer` as `role`: its link and QR code.

	The caller needs write on the Customer and create on B2B Buyer Invitation (desk roles)."""
	frappe.has_permission("Customer", "write", customer, throw=True)
	frappe.has_permission("B2B Buyer Invitation", "create", throw=True)
	email = (email or "").strip().lower()
	if not frappe.utils.validate_email_address(email):
		frappe.throw(_("Enter the buyer's email address."), frappe.ValidationError)
	if role not in ROLES:
		frappe.throw(_("The buyer's role is Orderer or Approver."), frappe.ValidationError)
	if frappe.db.exists("Portal User", {"parenttype": "Customer", "user": email}):
		frappe.throw(_("{0} is already a buyer of a customer.").format(email), frappe.ValidationError)
	if frappe.db.get_value("User", email, "user_type") == "System User":
		frappe.throw(_("{0} is a desk user; invite buyers with their own email.").format(email))
	days = frappe.utils.cint(_settings().get("invitation_days")) or DEFAULT_INVITATION_DAYS
	expires = int(now()) + days * 86400
	inv = frappe.get_doc(
		{
			"doctype": "B2B Buyer Invitation",
			"customer": customer,
			"email": email,
			"buyer_role": role,
			"status": "Pending",
			"expires_on": _local(expires),
		}
	).insert()
	token = tokens.sign(_key(INVITE), INVITE, inv.name, expires)
	url = get_url("/mall-invite?" + frappe.utils.urlencode({"token": token}))
	audit(
		escape_html(f"Buyer invitation for {email} ({role}) to {customer} created"),
		True,
		("B2B Buyer Invitation", inv.name),
	)
	return frappe._dict(invitation=inv.name, url=url, qr=qr_image(url), expires_on=str(inv.expires_on))


def _invitation(token: str, lock: bool = False) -> frappe._dict:
	try:
		tok = tokens.verify(_key(INVITE), INVITE, token, now())
	except tokens.TokenRefused as e:
		_refuse(e.reason, "Buyer invitation")
	if lock:
		frappe.db.sql("select name from `tabB2B Buyer Invitation` where name = %s for update", tok.id)
	inv = frappe.db.get_value(
		"B2B Buyer Invitation", tok.id, ["name", "customer", "email", "buyer_role", "status"], as_dict=True
	)
	if not inv:  # signed by us, then deleted in the desk: withdrawn
		_refuse("withdrawn", "Buyer invitation", message="This invitation was withdrawn. Ask for a new one.")
	if inv.status != "Pending":
		_refuse("used", "Buyer invitation", ("B2B Buyer Invitation", inv.name))
	return inv


def invitation_for_page(token: str) -> frappe._dict:
	"""What the invitation page shows: the invitation, or the reason it is refused (nothing written)."""
	frappe.db.savepoint("b2b_invitation_page")
	try:
		inv = _invitation(token)
		return frappe._dict(
			ok=True,
			email=inv.email,
			customer_name=frappe.db.get_value("Customer", inv.customer, "customer_name"),
			role=inv.buyer_role,
			account_exists=bool(frappe.db.exists("User", inv.email)),
		)
	except Refused as e:
		return frappe._dict(ok=False, reason=e.reason, message=e.message)
	finally:
		frappe.db.rollback(save_point="b2b_invitation_page")  # a page view writes no log


def accept(token: str, full_name: str | None, password: str | None) -> str:
	"""Use an invitation once: a new Website User with this password (or the logged-in user whose
	email it names) joins the customer's Portal Users with the invited role. Returns the user."""
	inv = _invitation(token, lock=True)
	ref = ("B2B Buyer Invitation", inv.name)
	session_user = frappe.session.user
	if session_user != "Guest":
		if session_user != inv.email:
			_refuse(
				"other_user",
				"Buyer invitation",
				ref,
				message="You are logged in as another user. Log out, then open the link again.",
			)
		user = session_user
	else:
		if frappe.db.exists("User", inv.email):
			_refuse(
				"account_exists",
				"Buyer invitation",
				ref,
				message="An account with this email exists. Log in with it, then open the link again.",
			)
		name = strip_html(full_name or "").strip()[:140]
		if not name:
			raise Refused("no_name", _("Enter your name."), REFUSED)
		if len(password or "") < MIN_PASSWORD:
			raise Refused(
				"weak_password",
				_("The password needs at least {0} characters.").format(MIN_PASSWORD),
				REFUSED,
			)
		new = frappe.get_doc(
			{
				"doctype": "User",
				"email": inv.email,
				"first_name": name,
				"user_type": "Website User",
				"send_welcome_email": 0,
				"new_password": password,
			}
		)
		new.flags.no_welcome_mail = True
		new.insert(ignore_permissions=True)  # the invitation, signed and unused, is the permission
		user = new.name
	cust = frappe.get_doc("Customer", inv.customer)
	cust.append("portal_users", {"user": user, "th_b2b_role": inv.buyer_role})
	cust.save(ignore_permissions=True)
	# ERPNext adds the Customer role to a new Portal User only when a System Manager saves the
	# Customer (else it asks, in a message, for the role to be added): the invitation adds it
	frappe.clear_messages()
	account = frappe.get_doc("User", user)
	if "Customer" not in {r.role for r in account.roles}:
		account.flags.ignore_permissions = True
		account.add_roles("Customer")
	frappe.db.set_value(
		"B2B Buyer Invitation",
		inv.name,
		{"status": "Accepted", "accepted_by": user, "accepted_on": now_datetime()},
	)
	audit(escape_html(f"Buyer invitation accepted by {user} for {inv.customer}"), True, ref, user=user)
	return user


# ---------------------------------------------------------------- QR login


def qr_seconds() -> int:
	return min(frappe.utils.cint(_settings().get("qr_login_seconds")) or DEFAULT_QR_SECONDS, MAX_QR_SECONDS)


def _state_key(id_: str, part: str = "") -> str:
	return frappe.cache.make_key(QR_STATE + id_ + part)


def qr_start(user_agent: str = "") -> frappe._dict:
	"""A login QR for this (logged-out) browser: the signed URL a phone opens, and the browser's
	secret, which only this browser holds (an HttpOnly cookie set by the api) and which the server
	keeps as a hash. Only the browser holding it can complete the login the phone approves."""
	ttl = qr_seconds()
	id_ = secrets.token_urlsafe(16)
	secret = secrets.token_urlsafe(32)
	expires = int(now()) + ttl
	state = {
		"browser": tokens.fingerprint(secret),
		"expires": expires,
		"ip": getattr(frappe.local, "request_ip", None) or "",
		"agent": strip_html(user_agent or "")[:160],
	}
	frappe.cache.set(_state_key(id_), json.dumps(state), ex=ttl + 30)
	token = tokens.sign(_key(QR), QR, id_, expires)
	url = get_url("/mall-scan?" + frappe.utils.urlencode({"t": token}))
	return frappe._dict(id=id_, secret=secret, url=url, qr=qr_image(url), expires_in=ttl)


def _qr_state(id_: str) -> dict | None:
	raw = frappe.cache.get(_state_key(id_))
	return json.loads(raw) if raw else None


def qr_request(token: str) -> frappe._dict:
	"""The login request a phone is asked to approve (refused when expired, used or tampered)."""
	try:
		tok = tokens.verify(_key(QR), QR, token, now())
	except tokens.TokenRefused as e:
		raise Refused(e.reason, _(REASONS[e.reason][1]), REASONS[e.reason][0]) from None
	# a code that logged a desktop in is "used" (its state is gone, its used marker stays)
	if frappe.cache.get(_state_key(tok.id, ":used")) is not None:
		raise Refused("used", _(REASONS["used"][1]), GONE)
	state = _qr_state(tok.id)
	if not state:
		raise Refused("expired", _(REASONS["expired"][1]), GONE)
	if frappe.cache.get(_state_key(tok.id, ":approval")) is not None:
		raise Refused("used", _(REASONS["used"][1]), GONE)
	return frappe._dict(id=tok.id, ip=state["ip"], agent=state["agent"], expires=state["expires"])


def qr_approve(token: str, approve: bool = True) -> str:
	"""The logged-in buyer on a phone approves (or declines) the login the QR shows. Once only."""
	from b2b_mall.erp.orders import customer_of

	user = frappe.session.user
	if user == "Guest" or frappe.db.get_value("User", user, "user_type") != "Website User":
		frappe.throw(_("Log in as a buyer on this phone first."), frappe.PermissionError)
	customer_of(user)  # a buyer of one customer (else 403)
	try:
		req = qr_request(token)
	except Refused as e:
		audit(f"QR login approval refused: {e.reason}", False, login=True)
		raise
	remaining = max(1, int(req.expires - now()))
	if not frappe.cache.set(
		_state_key(req.id, ":approval"), user if approve else "-", nx=True, ex=remaining + 30
	):
		_refuse("used", "QR login approval", login=True)
	audit(
		escape_html(f"QR login {'approved' if approve else 'declined'} by {user} for a browser at {req.ip}"),
		True,
		login=True,
	)
	return "approved" if approve else "declined"


def qr_poll(id_: str, secret: str | None) -> frappe._dict:
	"""The desktop asks whether its QR was approved. Only the browser holding the secret gets an
	answer; an approved request logs that browser in once (Frappe's LoginManager)."""
	if not isinstance(id_, str) or not tokens._ID.match(id_):
		raise Refused("malformed", _(REASONS["malformed"][1]), FORBIDDEN)
	if frappe.cache.get(_state_key(id_, ":used")) is not None:
		_refuse("used", "QR login", login=True)
	state = _qr_state(id_)
	if not state or state["expires"] <= now():
		raise Refused("expired", _("The QR code has expired. A new one is shown."), GONE)
	if not tokens.same_secret(secret, state["browser"]):
		_refuse(
			"other_browser",
			"QR login",
			login=True,
			message="This login code belongs to another browser.",
		)
	approval = frappe.cache.get(_state_key(id_, ":approval"))
	if approval is None:
		return frappe._dict(status="pending")
	approval = approval.decode() if isinstance(approval, bytes) else approval
	if not frappe.cache.set(_state_key(id_, ":used"), "1", nx=True, ex=MAX_QR_SECONDS * 2):
		_refuse("used", "QR login", login=True)
	frappe.cache.delete(_state_key(id_), _state_key(id_, ":approval"))
	if approval == "-":
		return frappe._dict(status="declined")
	if not frappe.db.get_value("User", {"name": approval, "enabled": 1, "user_type": "Website User"}):
		_refuse("disabled", "QR login", login=True, message="This account cannot log in.")
	frappe.local.login_manager.login_as(approval)
	audit(
		escape_html(f"QR login of {approval} on a browser at {state['ip']}"), True, user=approval, login=True
	)
	return frappe._dict(status="logged_in", home="/mall")
