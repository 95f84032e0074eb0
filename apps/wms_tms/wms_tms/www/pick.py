"""/pick: the picker's phone page. The wave's Pick List in walking order, scanned line by line
(hardware scanner or camera), short picks with a reason, then the packing scan per Delivery Note."""

from urllib.parse import urlencode

import frappe
import frappe.sessions
from frappe import _

from wms_tms.erp import floor

no_cache = 1


def get_context(context):
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = "/login?" + urlencode({"redirect-to": "/pick"})
		raise frappe.Redirect
	floor.check_floor_user()
	# a real CSRF token for this session: the page's frappe.csrf_token, required by the scans
	frappe.sessions.get_csrf_token()
	context.title = _("Picking")
	context.no_breadcrumbs = 1
	context.waves = floor.my_waves()
	names = [w.name for w in context.waves]
	asked = frappe.form_dict.get("wave")
	current = (
		asked
		if asked in names
		else next((w.name for w in context.waves if w.status == "Picking"), names[0] if names else None)
	)
	context.data = floor.lines(current) if current else None
	return context
