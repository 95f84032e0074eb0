import frappe
from frappe import _
from frappe.model.document import Document


class B2BMallPaymentSettings(Document):
	def validate(self):
		"""Keys that cannot be read are refused when saved, not when a buyer first pays."""
		from b2b_mall.erp import payments

		if self.receiving_account:
			kind = frappe.db.get_value("Account", self.receiving_account, "account_type")
			if kind not in ("Bank", "Cash"):
				frappe.throw(_("The receiving account must be a Bank or Cash account."))
		if self.enabled:
			payments.gateway_from(self)  # throws with the reason when app id or a key is wrong
