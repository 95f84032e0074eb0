import frappe
from frappe import _

from b2b_mall.erp import account, orders
from b2b_mall.pages import buyer_page, pdf_url

no_cache = 1

PRINT_FORMAT = "Mall Statement Confirmation"


def texts() -> dict:
	return {
		"need_reason": _("Please say what is wrong with the statement."),
		"saved_confirmed": _("Thank you: the statement is confirmed ({0})."),
		"saved_disputed": _("Your dispute is recorded ({0}); our accountant will answer."),
		"failed": _("Something went wrong; please try again."),
	}


def get_context(context):
	user = buyer_page(context, "/statement", _("Account Statement"))
	args = frappe.form_dict
	context.statement = orders.statement(user, args.get("from_date"), args.get("to_date"))
	context.balance = account.balance(user)
	context.confirmations = account.confirmations(context.statement.customer)
	for c in context.confirmations:
		c.pdf = pdf_url("Mall Statement Confirmation", c.name, PRINT_FORMAT)
	context.texts = texts()
	return context
