"""/count: the counter's phone page. Bins of the Stock Take in walking order; a bin scanned opens
it, items scanned add to their count (or a quantity typed sets it); blind when the plan says so."""

import frappe
from frappe import _

from wms_tms.erp import stocktake
from wms_tms.floor_page import open_floor_page

no_cache = 1


def get_context(context):
	open_floor_page(context, "/count", _("Stock count"))
	context.takes = stocktake.my_takes()
	names = [t.name for t in context.takes]
	asked = frappe.form_dict.get("take")
	current = asked if asked in names else (names[0] if names else None)
	context.data = stocktake.count_data(current) if current else None
	return context
