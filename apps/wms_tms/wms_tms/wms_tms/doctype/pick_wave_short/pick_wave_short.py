from frappe.model.document import Document


class PickWaveShort(Document):
	pass
