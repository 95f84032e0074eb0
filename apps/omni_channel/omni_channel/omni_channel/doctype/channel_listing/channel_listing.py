from frappe.model.document import Document


class ChannelListing(Document):
	pass
