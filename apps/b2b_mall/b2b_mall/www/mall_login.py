"""/mall-login: log in on a desktop by scanning a QR code with the phone where the buyer is logged in."""

import frappe
from frappe import _

no_cache = 1


def get_context(context):
	if frappe.session.user != "Guest":
		frappe.local.flags.redirect_location = "/mall"
		raise frappe.Redirect
	context.title = _("Scan to log in")
	context.no_breadcrumbs = 1
	context.texts = {
		"waiting": _("Waiting for your phone… The code is valid for {0} seconds."),
		"expired": _("The QR code has expired."),
		"declined": _("The login was declined on the phone."),
		"logged_in": _("Approved. Logging you in…"),
		"failed": _("Something went wrong; please try again."),
	}
	return context
