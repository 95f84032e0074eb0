import frappe
from frappe import _
from frappe.model.document import Document

from online_crm.core.outreach import MessageError, render
from online_crm.erp.reminders import SAMPLE


class CRMReminderRule(Document):
	def validate(self):
		if (self.wait or 0) < 0:
			frappe.throw(_("The wait cannot be negative."))
		for field in ("subject", "message"):
			try:
				render(self.get(field) or "", SAMPLE, html=field == "message")
			except MessageError as e:
				frappe.throw(
					_("The {0} cannot be rendered: {1}").format(_(self.meta.get_label(field)), str(e))
				)
