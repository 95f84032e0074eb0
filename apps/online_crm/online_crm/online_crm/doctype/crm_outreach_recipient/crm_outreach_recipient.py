from frappe.model.document import Document


class CRMOutreachRecipient(Document):
	pass
