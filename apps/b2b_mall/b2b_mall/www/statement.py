from urllib.parse import urlencode

import frappe
import frappe.sessions
from frappe import _

from b2b_mall.erp import orders

no_cache = 1


def get_context(context):
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = "/login?" + urlencode({"redirect-to": "/statement"})
		raise frappe.Redirect
	args = frappe.form_dict
	context.title = _("Account Statement")
	context.no_breadcrumbs = 1
	# a real CSRF token for this session: the page's frappe.csrf_token, which portal writes require
	frappe.sessions.get_csrf_token()
	context.statement = orders.statement(frappe.session.user, args.get("from_date"), args.get("to_date"))
	return context
