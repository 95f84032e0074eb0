from urllib.parse import urlencode

import frappe
import frappe.sessions
from frappe import _

from b2b_mall.erp import orders

no_cache = 1


def get_context(context):
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = "/login?" + urlencode({"redirect-to": "/mall"})
		raise frappe.Redirect
	context.title = _("B2B Mall")
	context.no_breadcrumbs = 1
	# a real CSRF token for this session: the page's frappe.csrf_token, which portal writes require
	frappe.sessions.get_csrf_token()
	context.catalog = orders.catalog(frappe.session.user)
	return context
