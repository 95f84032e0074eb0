"""Install hooks: the custom fields this app adds to ERPNext doctypes, created in code.

Every field name carries the suite prefix `th_`. `after_install` and `after_migrate`
create or update them; `before_uninstall` removes them again. A field that several suite
apps declare (the Sales Order channel) stays until the last of those apps is uninstalled.
"""

import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

from wms_tms.custom_fields import CUSTOM_FIELDS, SHARED_FIELDNAMES, SHARED_WITH

PICKER_ROLE = "WMS Picker"  # ours: picks and counts on the phone pages /pick and /count


def after_install() -> None:
	create_custom_fields(CUSTOM_FIELDS, update=True)
	ensure_roles()


def after_migrate() -> None:
	create_custom_fields(CUSTOM_FIELDS, update=True)
	ensure_roles()


def ensure_roles() -> None:
	if not frappe.db.exists("Role", PICKER_ROLE):
		frappe.get_doc({"doctype": "Role", "role_name": "WMS Picker", "desk_access": 0}).insert(
			ignore_permissions=True
		)


def before_uninstall() -> None:
	still_declared = set(frappe.get_installed_apps()) & set(SHARED_WITH) - {"wms_tms"}
	for doctype, fields in CUSTOM_FIELDS.items():
		for df in fields:
			if df["fieldname"] in SHARED_FIELDNAMES and still_declared:
				continue
			for name in frappe.get_all(
				"Custom Field", {"dt": doctype, "fieldname": df["fieldname"]}, pluck="name"
			):
				frappe.delete_doc("Custom Field", name, ignore_permissions=True, force=True)
		frappe.clear_cache(doctype=doctype)
