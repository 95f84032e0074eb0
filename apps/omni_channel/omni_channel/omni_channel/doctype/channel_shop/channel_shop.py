from frappe.model.document import Document


class ChannelShop(Document):
	pass
