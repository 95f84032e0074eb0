import os
from urllib.parse import urlencode

import frappe
import frappe.sessions
from frappe import _

from wms_tms.api.driver import my_trips

no_cache = 1

APP_JS = os.path.join(os.path.dirname(__file__), "..", "public", "js", "driver_app.js")


def get_context(context):
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = "/login?" + urlencode({"redirect-to": "/driver"})
		raise frappe.Redirect
	# a real CSRF token for this session: the page's frappe.csrf_token, required by driver.deliver
	frappe.sessions.get_csrf_token()
	context.title = _("My deliveries")
	context.no_breadcrumbs = 1
	context.trips = my_trips()
	context.fail_reasons = [
		("Not home", _("Not home")),
		("Refused", _("Refused")),
		("Wrong address", _("Wrong address")),
	]
	context.app_js_version = int(os.path.getmtime(APP_JS))
	context.driver_i18n = {
		"queued": _("Saved on the phone: it is sent when the connection returns."),
		"sending": _("Sending…"),
		"offline": _("No connection: actions are kept on the phone."),
		"pending": _("Waiting to be sent: {0}"),
		"refused": _("Not accepted:"),
		"sign_first": _("Sign on the screen first, or clear it."),
		"choose_reason": _("Choose why the delivery failed."),
	}
	return context
