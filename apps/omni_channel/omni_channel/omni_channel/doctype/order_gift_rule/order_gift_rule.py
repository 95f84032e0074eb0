"""A gift rule (智能赠品): which orders earn which free gift. Applying it is omni_channel.erp.gifts."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, get_datetime


class OrderGiftRule(Document):
	def validate(self):
		if cint(self.gift_qty) <= 0:
			frappe.throw(_("A gift needs a quantity of at least 1."))
		if self.buy_item and self.buy_item_group:
			frappe.throw(_("Choose an item or an item group the buyer must buy, not both."))
		if (self.buy_item or self.buy_item_group) and cint(self.buy_qty) <= 0:
			frappe.throw(
				_("Say how many units of {0} the buyer must buy.").format(
					self.buy_item or self.buy_item_group
				)
			)
		if self.starts and self.ends and get_datetime(self.ends) <= get_datetime(self.starts):
			frappe.throw(_("The rule must end after it starts."))
		if self.applies_to == "B2B Portal":
			self.shop = None
		if self.per_buyer_limit is not None and cint(self.per_buyer_limit) < 0:
			frappe.throw(_("Gift sets per buyer cannot be negative."))
