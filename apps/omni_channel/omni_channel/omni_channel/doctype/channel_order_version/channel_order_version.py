from frappe.model.document import Document


class ChannelOrderVersion(Document):
	pass
