from frappe.model.document import Document


class FreightTemplateRate(Document):
	pass
