"""CSRF for the writes a website user (a driver on the phone page) makes.

Frappe checks `X-Frappe-CSRF-Token` only once the session holds a token, and only `/app` makes one,
so a website user's session has none and Frappe checks nothing (FRAPPE-V15-NOTES §2). Our pages
therefore create the session's token (`frappe.sessions.get_csrf_token()` in their context, so the
page's `frappe.csrf_token` is real), and every write below refuses, with 403:
- a request whose session has no token yet, or whose header does not carry it;
- a request whose Origin (or Referer) names another site, or that the browser marks cross-site.
In-process calls (console, jobs, tests calling the function) have no HTTP request to forge.
"""

import hmac
from functools import wraps
from urllib.parse import urlsplit

import frappe
from frappe import _


def _served_over_http() -> bool:
	# frappe.app.application sets http_request for the request it serves; a stale frappe.local.request
	# left by an in-process caller does not count
	return getattr(frappe.local, "http_request", None) is not None and getattr(frappe.local, "request", None)


def _same_origin() -> bool:
	request = frappe.local.request
	if (request.headers.get("Sec-Fetch-Site") or "same-origin") not in ("same-origin", "none"):
		return False
	origin = request.headers.get("Origin") or request.headers.get("Referer")
	if not origin or origin == "null":
		return origin is None
	# hostnames only: a proxy may pass Host without the port (bench's nginx sends $host)
	return (urlsplit(origin).hostname or "") == request.host.rsplit(":", 1)[0].strip("[]").lower()


def check_csrf() -> None:
	"""Raise PermissionError (403) unless this HTTP request carries the session's CSRF token, same-site."""
	if not _served_over_http():
		return
	saved = (frappe.session.data or {}).get("csrf_token")
	sent = frappe.get_request_header("X-Frappe-CSRF-Token") or ""
	if not saved or not hmac.compare_digest(sent.encode(), str(saved).encode()) or not _same_origin():
		frappe.flags.disable_traceback = True
		frappe.throw(
			_("This request did not come from our page. Reload the page and try again."),
			frappe.PermissionError,
		)


def csrf_protected(fn):
	"""Decorator for whitelisted writes (put it under @frappe.whitelist)."""

	@wraps(fn)
	def wrapper(*args, **kwargs):
		check_csrf()
		return fn(*args, **kwargs)

	return wrapper
