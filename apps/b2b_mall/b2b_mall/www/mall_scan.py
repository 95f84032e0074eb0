"""/mall-scan?t=…: the phone (logged in as a buyer) approves the login a desktop's QR code asks for."""

from urllib.parse import urlencode

import frappe
import frappe.sessions
from frappe import _

from b2b_mall.erp import buyers
from b2b_mall.erp.orders import customer_of

no_cache = 1


def get_context(context):
	token = frappe.form_dict.get("t") or ""
	if frappe.session.user == "Guest":
		here = "/mall-scan?" + urlencode({"t": token})
		frappe.local.flags.redirect_location = "/login?" + urlencode({"redirect-to": here})
		raise frappe.Redirect
	context.title = _("Log in on another device")
	context.no_breadcrumbs = 1
	customer_of(frappe.session.user)  # a buyer of one customer, else the 403 page
	frappe.sessions.get_csrf_token()
	context.token = token
	try:
		context.request = buyers.qr_request(token)
		context.refused = None
	except buyers.Refused as e:
		context.request = None
		context.refused = e.message
	context.texts = {
		"approved": _("Approved. The other device is logging in."),
		"declined": _("Declined. The other device was not logged in."),
		"failed": _("Something went wrong; please try again."),
	}
	return context
