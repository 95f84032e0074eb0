from frappe.model.document import Document


class CODHandover(Document):
	pass
