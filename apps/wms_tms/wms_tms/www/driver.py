from urllib.parse import urlencode

import frappe
import frappe.sessions
from frappe import _

from wms_tms.api.driver import my_trips

no_cache = 1


def get_context(context):
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = "/login?" + urlencode({"redirect-to": "/driver"})
		raise frappe.Redirect
	# a real CSRF token for this session: the page's frappe.csrf_token, required by driver.deliver
	frappe.sessions.get_csrf_token()
	context.title = _("My deliveries")
	context.no_breadcrumbs = 1
	context.trips = my_trips()
	return context
