import frappe
from frappe import _
from frappe.model.document import Document

from b2b_mall.core.account import RESOLVED, may_become


class MallStatementConfirmation(Document):
	def validate(self):
		before = self.get_doc_before_save()
		old = before.status if before else None
		if not may_become(old, self.status):
			frappe.throw(
				_("A statement that is {0} cannot be set to {1}.").format(_(old), _(self.status)),
				frappe.ValidationError,
			)
		if self.status == RESOLVED:
			if not (self.resolution or "").strip():
				frappe.throw(_("Say how the dispute was resolved."), frappe.ValidationError)
			if old != RESOLVED:
				self.resolved_by = frappe.session.user
