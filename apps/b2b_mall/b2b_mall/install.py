"""Install hooks: the custom fields this app adds to ERPNext doctypes, created in code.

Every field name carries the suite prefix `th_`. `after_install` and `after_migrate`
create or update them; `before_uninstall` removes them again. A field that several suite
apps declare (the Sales Order channel) stays until the last of those apps is uninstalled.
"""

import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

from b2b_mall.custom_fields import CUSTOM_FIELDS, SHARED_FIELDNAMES, SHARED_WITH


def after_install() -> None:
	create_custom_fields(CUSTOM_FIELDS, update=True)


def after_migrate() -> None:
	create_custom_fields(CUSTOM_FIELDS, update=True)
	for doctype in SETTINGS:
		fill_new_single_defaults(doctype)


SETTINGS = ("B2B Mall Settings", "B2B Mall Payment Settings")


def fill_new_single_defaults(doctype: str) -> None:
	"""Give a settings field added by an update its declared default on a site that has saved the
	settings before. Frappe applies a Single's defaults only while none of its values is stored; once
	any is, a new field reads as empty and the next save stores 0 (for the points share: no points on
	the mall at all, which nobody chose)."""
	if not frappe.db.exists("DocType", doctype):
		return
	stored = {r[0] for r in frappe.db.sql("select field from `tabSingles` where doctype = %s", doctype)}
	if not stored:
		return  # never saved: Frappe gives every default on load
	for df in frappe.get_meta(doctype).fields:
		if df.default is not None and df.default != "" and df.fieldname not in stored:
			frappe.db.set_single_value(doctype, df.fieldname, df.default)


def before_uninstall() -> None:
	still_declared = set(frappe.get_installed_apps()) & set(SHARED_WITH) - {"b2b_mall"}
	for doctype, fields in CUSTOM_FIELDS.items():
		for df in fields:
			if df["fieldname"] in SHARED_FIELDNAMES and still_declared:
				continue
			for name in frappe.get_all(
				"Custom Field", {"dt": doctype, "fieldname": df["fieldname"]}, pluck="name"
			):
				frappe.delete_doc("Custom Field", name, ignore_permissions=True, force=True)
		frappe.clear_cache(doctype=doctype)
