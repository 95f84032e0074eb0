"""/pick: the picker's phone page. The wave's Pick List in walking order, scanned line by line
(hardware scanner or camera), short picks with a reason, then the packing scan per Delivery Note."""

import frappe
from frappe import _

from wms_tms.erp import floor
from wms_tms.floor_page import open_floor_page

no_cache = 1


def get_context(context):
	open_floor_page(context, "/pick", _("Picking"))
	context.waves = floor.my_waves()
	names = [w.name for w in context.waves]
	asked = frappe.form_dict.get("wave")
	current = (
		asked
		if asked in names
		else next((w.name for w in context.waves if w.status == "Picking"), names[0] if names else None)
	)
	context.data = floor.lines(current) if current else None
	return context
