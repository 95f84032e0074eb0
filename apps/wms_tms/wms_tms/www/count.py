"""/count: the counter's phone page. Bins of the Stock Take in walking order; a bin scanned opens
it, items scanned add to their count (or a quantity typed sets it); blind when the plan says so."""

from urllib.parse import urlencode

import frappe
import frappe.sessions
from frappe import _

from wms_tms.erp import floor, stocktake

no_cache = 1


def get_context(context):
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = "/login?" + urlencode({"redirect-to": "/count"})
		raise frappe.Redirect
	floor.check_floor_user()
	frappe.sessions.get_csrf_token()
	context.title = _("Stock count")
	context.no_breadcrumbs = 1
	context.takes = stocktake.my_takes()
	names = [t.name for t in context.takes]
	asked = frappe.form_dict.get("take")
	current = asked if asked in names else (names[0] if names else None)
	context.data = stocktake.count_data(current) if current else None
	return context
