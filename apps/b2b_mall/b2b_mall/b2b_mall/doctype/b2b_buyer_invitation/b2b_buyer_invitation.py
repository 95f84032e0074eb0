from frappe.model.document import Document


class B2BBuyerInvitation(Document):
	"""Made by b2b_mall.erp.buyers.invite; accepted (once) by b2b_mall.erp.buyers.accept."""
