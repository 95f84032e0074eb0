"""/mall-pay: the buyer pays an order or the balance due online, and comes back here from the
gateway's cashier (?payment=<online payment>) to see it paid. ?order=<Sales Order> marks one order."""

from urllib.parse import urlencode

import frappe
import frappe.sessions
from frappe import _

from b2b_mall.erp import payments

no_cache = 1


def texts() -> dict:
	return {
		"Pending": _("Waiting for the payment to be confirmed…"),
		"Paid": _("Paid. Thank you!"),
		"Expired": _("This payment expired unpaid. You can pay again."),
		"Refund Needed": _("The payment arrived after it had expired; we will refund it. Please contact us."),
		"paying": _("Opening the cashier…"),
		"failed": _("Something went wrong; please try again."),
	}


def get_context(context):
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = "/login?" + urlencode(
			{"redirect-to": frappe.request.full_path if frappe.request else "/mall-pay"}
		)
		raise frappe.Redirect
	context.title = _("Pay Online")
	context.no_breadcrumbs = 1
	frappe.sessions.get_csrf_token()  # the page's frappe.csrf_token, which starting a payment requires
	user = frappe.session.user
	context.pay = payments.overview(user)
	args = frappe.form_dict
	context.marked = args.get("order") if isinstance(args.get("order"), str) else None
	context.payment = None
	if isinstance(args.get("payment"), str) and args.get("payment"):
		try:
			context.payment = payments.status_of(user, args.get("payment"))
		except frappe.DoesNotExistError:
			frappe.clear_messages()
	context.texts = texts()
	return context
