"""A platform's settlement statement. Accounts staff enter it; posting writes the Journal Entry
and records it here. Once posted, nothing changes; status, entry and variances are set only by
posting (not through the desk, not through PUT /api/resource)."""

import frappe
from frappe import _
from frappe.model.document import Document

FROM_POSTING = ("status", "journal_entry", "variances")


class ChannelSettlement(Document):
	def validate(self):
		if self.flags.posting:
			return
		if self.is_new():
			# an imported file brings the differences found when its lines were matched
			variances = self.variances and not self.flags.from_settlement_file
			if self.status not in (None, "", "Draft") or self.journal_entry or variances:
				frappe.throw(
					_("A new settlement starts as a draft; post it to the ledger."), frappe.PermissionError
				)
			return
		before = self.get_doc_before_save()
		if before is None:
			return
		if before.status == "Posted":
			frappe.throw(
				_("Settlement {0} is posted to the ledger and can no longer be changed.").format(self.name),
				frappe.PermissionError,
			)
		changed = [f for f in FROM_POSTING if (before.get(f) or None) != (self.get(f) or None)]
		if changed:
			frappe.throw(
				_("{0} are set by posting to the ledger, not by hand.").format(", ".join(changed)),
				frappe.PermissionError,
			)
