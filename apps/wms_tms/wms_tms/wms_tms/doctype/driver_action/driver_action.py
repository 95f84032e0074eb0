from frappe.model.document import Document


class DriverAction(Document):
	pass
