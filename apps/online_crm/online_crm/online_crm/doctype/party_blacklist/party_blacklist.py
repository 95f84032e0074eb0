import frappe
from frappe import _
from frappe.model.document import Document

from online_crm.core import blacklist


class PartyBlacklist(Document):
	def validate(self):
		self.set_party_key()

	def set_party_key(self):
		"""One entry per party: the key is unique, so a second entry for the same party is refused."""
		if self.party_type == blacklist.CUSTOMER:
			if not self.customer:
				frappe.throw(_("Choose the customer to blacklist."))
			self.platform = self.buyer_id = None
			self.party_key = blacklist.customer_key(self.customer)
		else:
			if not blacklist.norm_ident(self.buyer_id or "") or not (self.platform or "").strip():
				frappe.throw(
					_("A marketplace buyer needs the platform and their buyer id, nick, e-mail or phone.")
				)
			self.customer = None
			self.platform = self.platform.strip()
			self.party_key = blacklist.buyer_key(self.platform, self.buyer_id)
		other = frappe.db.get_value(
			"Party Blacklist", {"party_key": self.party_key, "name": ("!=", self.name)}
		)
		if other:
			frappe.throw(
				_("This party is already on the blacklist ({0}); change that entry instead.").format(other),
				frappe.DuplicateEntryError,
			)
