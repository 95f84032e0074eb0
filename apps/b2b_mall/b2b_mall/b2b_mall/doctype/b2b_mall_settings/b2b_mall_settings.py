from frappe.model.document import Document


class B2BMallSettings(Document):
	pass
