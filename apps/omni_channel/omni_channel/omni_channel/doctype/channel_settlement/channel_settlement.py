from frappe.model.document import Document


class ChannelSettlement(Document):
	pass
