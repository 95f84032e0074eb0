from frappe.model.document import Document


class CourierBillLine(Document):
	pass
