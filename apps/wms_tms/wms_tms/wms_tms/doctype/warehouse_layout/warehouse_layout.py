from frappe.model.document import Document


class WarehouseLayout(Document):
	pass
