from frappe.model.document import Document


class CRMMemberImportRow(Document):
	pass
