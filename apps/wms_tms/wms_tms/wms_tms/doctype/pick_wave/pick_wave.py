from frappe.model.document import Document

from wms_tms.erp.picking import check_orders


class PickWave(Document):
	def validate(self):
		self.check_orders()

	def check_orders(self):
		check_orders(self.company, [row.sales_order for row in self.orders])
