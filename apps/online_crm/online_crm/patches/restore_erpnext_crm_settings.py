"""Give ERPNext its `CRM Settings` back; our settings live in `Online CRM Settings`.

online_crm used to ship a single doctype named `CRM Settings`, the name of ERPNext's own
(erpnext/crm/doctype/crm_settings). Installing online_crm replaced ERPNext's DocType: its module
became "Online CRM" and its fields ours, so ERPNext's boot reading
`CRM Settings.default_valid_till` failed and the whole desk answered HTTP 500.

A post-model-sync patch, so `Online CRM Settings` exists when it runs. By then the model sync has
usually re-imported ERPNext's JSON already (its hash differs from the one ours left), but our old
values are still in tabSingles under "CRM Settings". So, in that order:

1. copy our old values (tabSingles rows of "CRM Settings" under our old fieldnames) into
   `Online CRM Settings`, only fields it has, and drop those rows;
2. if the DocType "CRM Settings" is not ERPNext's (module not "CRM", or no `default_valid_till`
   field, or missing), reload it from ERPNext's JSON and make sure its module is "CRM". Custom
   Fields, Property Setters and Custom DocPerms are records of their own and stay as they were;
3. when 1 or 2 found something, give ERPNext's fields that lost their row their JSON default
   (a save of our old single deleted all of the doctype's rows): `auto_creation_of_contact` is 1
   again, not 0;
4. point the links of our workspaces that still open "CRM Settings" at `Online CRM Settings`.

On a clean site nothing matches and nothing is written (and a fresh install marks the patch done
without running it).
"""

import json

import frappe

OLD = "CRM Settings"
NEW = "Online CRM Settings"
ERPNEXT_MODULE = "CRM"
OUR_MODULE = "Online CRM"
# The fields of our old `CRM Settings` (none of them is a field of ERPNext's).
OLD_FIELDS = (
	"look_back_days",
	"scoring",
	"segment_rules",
	"last_full_run",
	"customers_scored",
	"boundaries",
)


def execute() -> None:
	if "erpnext" not in frappe.get_installed_apps():
		return
	erpnext_fields = {f["fieldname"]: f for f in _erpnext_json()["fields"] if f.get("fieldname")}
	ours = [f for f in OLD_FIELDS if f not in erpnext_fields]
	moved = _move_old_values(ours)
	restored = _restore_erpnext_doctype()
	if moved or restored:
		_fill_lost_defaults(erpnext_fields)
		print(f"{OLD}: {len(moved)} old value(s) moved to {NEW}; ERPNext's DocType reloaded: {restored}")
	_relink_workspaces()


def _erpnext_json() -> dict:
	path = frappe.get_app_path("erpnext", "crm", "doctype", "crm_settings", "crm_settings.json")
	with open(path) as f:
		return json.load(f)


def is_erpnexts() -> bool:
	"""The DocType "CRM Settings" in the database is ERPNext's (read from the tables, not the meta cache)."""
	module = frappe.db.get_value("DocType", OLD, "module")
	return module == ERPNEXT_MODULE and bool(
		frappe.db.exists(
			"DocField", {"parent": OLD, "parenttype": "DocType", "fieldname": "default_valid_till"}
		)
	)


def _old_rows(fields: list[str]) -> dict[str, str | None]:
	if not fields:
		return {}
	singles = frappe.qb.DocType("Singles")
	rows = (
		frappe.qb.from_(singles)
		.select(singles["field"], singles.value)
		.where((singles.doctype == OLD) & singles["field"].isin(fields))
		.run()
	)
	return dict(rows)


def _move_old_values(fields: list[str]) -> dict[str, str | None]:
	old = _old_rows(fields)
	if not old:
		return {}
	if not frappe.db.exists("DocType", NEW):
		frappe.reload_doc("online_crm", "doctype", "online_crm_settings")
	meta = frappe.get_meta(NEW)
	keep = {k: v for k, v in old.items() if meta.has_field(k)}
	if keep:
		frappe.db.set_single_value(NEW, keep)
	singles = frappe.qb.DocType("Singles")
	frappe.qb.from_(singles).delete().where((singles.doctype == OLD) & singles["field"].isin(list(old))).run()
	frappe.clear_cache(doctype=NEW)
	return keep


def _restore_erpnext_doctype() -> bool:
	if is_erpnexts():
		return False
	frappe.reload_doc("crm", "doctype", "crm_settings", force=True)
	if frappe.db.get_value("DocType", OLD, "module") != ERPNEXT_MODULE:
		frappe.db.set_value("DocType", OLD, "module", ERPNEXT_MODULE, update_modified=False)
	frappe.clear_cache(doctype=OLD)
	return True


def _fill_lost_defaults(erpnext_fields: dict[str, dict]) -> None:
	singles = frappe.qb.DocType("Singles")
	present = set(
		frappe.qb.from_(singles).select(singles["field"]).where(singles.doctype == OLD).run(pluck=True)
	)
	lost = {
		name: f["default"]
		for name, f in erpnext_fields.items()
		if f.get("default") is not None and name not in present
	}
	if lost:
		frappe.db.set_single_value(OLD, lost, update_modified=False)


def _relink_workspaces() -> None:
	workspaces = frappe.get_all("Workspace", filters={"module": OUR_MODULE}, pluck="name")
	if not workspaces:
		return
	for child in ("Workspace Link", "Workspace Shortcut"):
		table = frappe.qb.DocType(child)
		frappe.qb.update(table).set(table.link_to, NEW).where(
			table.parent.isin(workspaces) & (table.link_to == OLD)
		).run()
	link = frappe.qb.DocType("Workspace Link")
	frappe.qb.update(link).set(link.label, NEW).where(
		link.parent.isin(workspaces) & (link.label == OLD) & (link.link_to == NEW)
	).run()
