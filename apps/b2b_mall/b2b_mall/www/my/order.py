import frappe
from frappe import _

from b2b_mall.erp import account
from b2b_mall.pages import buyer_page, pdf_url

no_cache = 1


def get_context(context):
	user = buyer_page(context, "/my/order", _("Order"))
	name = frappe.form_dict.get("name") or ""
	context.order = account.order_detail(user, name if isinstance(name, str) else "")
	context.title = _("Order {0}").format(context.order.name)
	for inv in context.order.invoices:
		inv.pdf = pdf_url("Sales Invoice", inv.name)
	return context
