from frappe.model.document import Document


class ChannelSettlementLine(Document):
	pass
