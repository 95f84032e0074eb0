from frappe.model.document import Document


class CRMReminderLog(Document):
	pass
