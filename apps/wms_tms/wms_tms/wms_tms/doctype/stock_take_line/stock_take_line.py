from frappe.model.document import Document


class StockTakeLine(Document):
	pass
