"""/mall-approvals: the customer's orders that waited for an approver; approvers decide here."""

from urllib.parse import urlencode

import frappe
import frappe.sessions
from frappe import _

from b2b_mall.erp import approvals

no_cache = 1


def get_context(context):
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = "/login?" + urlencode({"redirect-to": "/mall-approvals"})
		raise frappe.Redirect
	context.title = _("Order Approvals")
	context.no_breadcrumbs = 1
	frappe.sessions.get_csrf_token()
	context.data = approvals.portal_list(frappe.session.user)  # 403 page for anyone but a buyer
	context.status_text = {
		approvals.AWAITING: _("Awaiting Approval"),
		approvals.APPROVED: _("Approved"),
		approvals.REJECTED: _("Rejected"),
	}
	context.texts = {
		"approved": _("Approved: the order is placed."),
		"rejected": _("Rejected."),
		"failed": _("Something went wrong; please try again."),
	}
	return context
