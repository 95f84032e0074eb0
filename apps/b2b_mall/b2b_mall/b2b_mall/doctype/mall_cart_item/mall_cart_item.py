from frappe.model.document import Document


class MallCartItem(Document):
	pass
