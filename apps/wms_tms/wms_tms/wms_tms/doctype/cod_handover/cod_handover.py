"""A trip's cash handed over to the cashier (made by wms_tms.erp.cod.hand_over; read-only but the
manager's note). An Accounts Manager who writes a note on a hand-over with a variance reviews it:
the status becomes 'Variance Reviewed', they are recorded, and the open ToDos on it are closed."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import strip_html


class CODHandover(Document):
	def validate(self):
		if self.is_new():
			return
		if self.review_note:
			self.review_note = strip_html(self.review_note).strip()
		if self.status == "Variance" and self.review_note:
			if "Accounts Manager" not in frappe.get_roles():
				frappe.throw(_("Only an Accounts Manager reviews a cash variance."), frappe.PermissionError)
			self.status = "Variance Reviewed"
			self.reviewed_by = frappe.session.user

	def on_update(self):
		if self.status == "Variance Reviewed":
			for todo in frappe.get_all(
				"ToDo",
				filters={"reference_type": self.doctype, "reference_name": self.name, "status": "Open"},
				pluck="name",
			):
				frappe.db.set_value("ToDo", todo, "status", "Closed")
