from frappe.model.document import Document


class ParcelCarrier(Document):
	pass
