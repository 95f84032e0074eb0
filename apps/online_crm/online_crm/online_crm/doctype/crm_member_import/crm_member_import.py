import frappe
from frappe import _
from frappe.model.document import Document

from online_crm.erp import members


class CRMMemberImport(Document):
	def validate(self):
		name = (self.import_file or "").lower().split("?")[0]
		if self.import_file and not name.endswith((".csv", ".xlsx")):
			frappe.throw(_("Attach a .csv or .xlsx file."))

	@frappe.whitelist()
	def run_import(self) -> dict:
		"""The form's Import button: members created, every other row explained on this form."""
		self.check_permission("write")
		frappe.has_permission("Customer", "create", throw=True)
		if self.status == "Imported":
			frappe.throw(
				_("This file has been imported already; attach it to a new Member Import to run it again.")
			)
		members.import_file(self)
		self.save()
		return {
			"created": self.created_count,
			"duplicates": self.duplicate_count,
			"rejected": self.rejected_count,
		}
