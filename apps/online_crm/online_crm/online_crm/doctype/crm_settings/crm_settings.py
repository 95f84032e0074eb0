from frappe.model.document import Document


class CRMSettings(Document):
	pass
