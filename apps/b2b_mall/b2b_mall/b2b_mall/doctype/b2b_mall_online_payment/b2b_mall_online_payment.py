from frappe.model.document import Document


class B2BMallOnlinePayment(Document):
	"""Written only by b2b_mall.erp.payments (under the row lock); the desk reads it."""

	pass
