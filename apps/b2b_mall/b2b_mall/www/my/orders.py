import frappe
from frappe import _
from frappe.utils import cint

from b2b_mall.erp import account
from b2b_mall.pages import buyer_page

no_cache = 1


def get_context(context):
	user = buyer_page(context, "/my/orders", _("My Orders"))
	context.data = account.my_orders(user, cint(frappe.form_dict.get("page")) or 1)
	return context
