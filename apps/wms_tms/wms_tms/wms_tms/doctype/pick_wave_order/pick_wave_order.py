from frappe.model.document import Document


class PickWaveOrder(Document):
	pass
