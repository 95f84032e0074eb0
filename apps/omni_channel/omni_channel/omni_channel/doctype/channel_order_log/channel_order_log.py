from frappe.model.document import Document


class ChannelOrderLog(Document):
	pass
