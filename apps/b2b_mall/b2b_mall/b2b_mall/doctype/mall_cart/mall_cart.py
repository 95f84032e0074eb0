from frappe.model.document import Document


class MallCart(Document):
	"""A buyer's cart on the mall, kept on the server so it follows them across devices. Written only
	by b2b_mall.erp.cart (the mall page); staff read it to see what a buyer is about to order."""
