"""/mall-invite?token=…: an invited buyer sets a password and joins the customer (single use)."""

from urllib.parse import urlencode

import frappe
from frappe import _

from b2b_mall.erp import buyers

no_cache = 1


def get_context(context):
	token = frappe.form_dict.get("token") or ""
	context.title = _("Join the B2B Mall")
	context.no_breadcrumbs = 1
	context.token = token
	context.invitation = buyers.invitation_for_page(token)
	context.login_url = "/login?" + urlencode({"redirect-to": "/mall-invite?" + urlencode({"token": token})})
	context.texts = {
		"mismatch": _("The two passwords differ."),
		"failed": _("Something went wrong; please try again."),
		"welcome": _("Welcome! Opening the mall…"),
	}
	return context
