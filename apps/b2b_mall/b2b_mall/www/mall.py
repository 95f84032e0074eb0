from urllib.parse import urlencode

import frappe
from frappe import _

from b2b_mall.erp import orders

no_cache = 1


def get_context(context):
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = "/login?" + urlencode({"redirect-to": "/mall"})
		raise frappe.Redirect
	context.title = _("B2B Mall")
	context.no_breadcrumbs = 1
	context.catalog = orders.catalog(frappe.session.user)
	return context
