from urllib.parse import urlencode

import frappe
from frappe import _

from wms_tms.api.driver import my_trips

no_cache = 1


def get_context(context):
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = "/login?" + urlencode({"redirect-to": "/driver"})
		raise frappe.Redirect
	context.title = _("My deliveries")
	context.no_breadcrumbs = 1
	context.trips = my_trips()
	return context
