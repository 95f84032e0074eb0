from frappe.model.document import Document


class B2BMallOnlinePaymentItem(Document):
	pass
