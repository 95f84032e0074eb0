from frappe.model.document import Document

from wms_tms.erp import stocktake


class StockTake(Document):
	def validate(self):
		self.check_scope()

	def check_scope(self):
		stocktake.check_scope(self)
