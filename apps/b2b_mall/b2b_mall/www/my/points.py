from frappe import _

from b2b_mall.erp import account
from b2b_mall.pages import buyer_page

no_cache = 1


def get_context(context):
	user = buyer_page(context, "/my/points", _("Points"))
	context.points = account.points_summary(user)
	context.history = account.points_history(user) if context.points.enrolled else []
	return context
