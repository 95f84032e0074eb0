"""Channel Shop.api_key became a Password field: move each key in clear text into __Auth (encrypted)
and leave the column holding only the asterisks Frappe puts there for every password."""

import frappe
from frappe.utils.password import set_encrypted_password


def execute() -> int:
	moved = 0
	rows = frappe.db.sql(
		"select name, api_key from `tabChannel Shop` where coalesce(api_key, '') != ''", as_dict=True
	)
	for row in rows:
		if set(row.api_key) == {"*"}:
			continue  # already a dummy: the key is in __Auth
		set_encrypted_password("Channel Shop", row.name, row.api_key, "api_key")
		frappe.db.set_value(
			"Channel Shop", row.name, "api_key", "*" * len(row.api_key), update_modified=False
		)
		moved += 1
	return moved
