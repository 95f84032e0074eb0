from frappe.model.document import Document


class PickWave(Document):
	pass
