from frappe.model.document import Document


class ChannelRefundLine(Document):
	pass
