"""A carrier's freight template: checked by the same rules that price the parcels (core/freight.py)."""

import frappe
from frappe.model.document import Document

from wms_tms.core.errors import WmsInputError


class FreightTemplate(Document):
	def validate(self):
		from wms_tms.erp.freight import template_of

		try:
			template_of(self)
		except WmsInputError as e:
			frappe.throw(str(e), title=frappe._("Freight Template"))
