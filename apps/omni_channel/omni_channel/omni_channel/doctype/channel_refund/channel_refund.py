from frappe.model.document import Document


class ChannelRefund(Document):
	pass
