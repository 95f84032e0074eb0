"""What the buyer's account pages (www/my/*, www/statement) share: a guest is sent to log in, the
session gets its CSRF token (the page's frappe.csrf_token, which portal writes require)."""

from urllib.parse import urlencode

import frappe
import frappe.sessions


def buyer_page(context, path: str, title: str) -> str:
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = "/login?" + urlencode({"redirect-to": path})
		raise frappe.Redirect
	context.title = title
	context.no_breadcrumbs = 1
	frappe.sessions.get_csrf_token()
	return frappe.session.user


def pdf_url(doctype: str, name: str, print_format: str | None = None) -> str:
	"""Frappe's own PDF download (frappe.utils.print_format.download_pdf): it checks the caller's
	print or website permission on the document (ERPNext's for Sales Invoice, ours for the statement
	confirmation)."""
	query = {"doctype": doctype, "name": name}
	if print_format:
		query["format"] = print_format
	return "/api/method/frappe.utils.print_format.download_pdf?" + urlencode(query)
