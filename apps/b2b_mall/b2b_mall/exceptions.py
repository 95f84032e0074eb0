import frappe


class CartRejectedError(frappe.ValidationError):
	"""The buyer's cart breaks a rule (quantity, MOQ, stock, price, credit): 422 with the reasons."""

	http_status_code = 422
