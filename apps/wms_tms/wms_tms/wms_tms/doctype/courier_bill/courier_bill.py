"""A courier's bill: on each save its CSV is read again and held against the charges we expected
(wms_tms.erp.freight.reconcile_bill), so a bill uploaded before its waybills were stored can simply
be saved again."""

from frappe.model.document import Document


class CourierBill(Document):
	def validate(self):
		from wms_tms.erp.freight import reconcile_bill

		if self.bill_file:
			reconcile_bill(self)
