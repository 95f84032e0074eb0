"""What the floor's phone pages (/pick and /count) share: a guest goes to the login and comes back,
only floor users get in, the session gets a real CSRF token (the page's scans need it), and the
shared script (public/js/floor_scan.js) is asked for by its version."""

import os
from urllib.parse import urlencode

import frappe
import frappe.sessions

from wms_tms.erp import floor

FLOOR_JS = os.path.join(os.path.dirname(__file__), "public", "js", "floor_scan.js")


def open_floor_page(context, path: str, title: str) -> None:
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = "/login?" + urlencode({"redirect-to": path})
		raise frappe.Redirect
	floor.check_floor_user()
	frappe.sessions.get_csrf_token()
	context.title = title
	context.no_breadcrumbs = 1
	context.floor_js_version = int(os.path.getmtime(FLOOR_JS))
