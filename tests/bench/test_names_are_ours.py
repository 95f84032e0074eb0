"""ERPNext keeps its own names: `CRM Settings` is ERPNext's, our settings are `Online CRM Settings`.

online_crm once shipped a doctype named `CRM Settings`, which replaced ERPNext's on install and
broke the desk (HTTP 500). These tests hold the site to the fix and run the repair patch
(online_crm.patches.restore_erpnext_crm_settings) both on this clean site and on a simulated
broken one, inside the rolled-back test transaction.
"""

import frappe
import pytest

from online_crm.patches import restore_erpnext_crm_settings as patch

OLD, NEW = "CRM Settings", "Online CRM Settings"


def _singles(doctype: str) -> list[tuple]:
	return frappe.db.sql(
		"select field, value from `tabSingles` where doctype=%s order by field", (doctype,), as_list=True
	)


def _state() -> dict:
	"""What the patch could touch, read from the tables."""
	return {
		"doctype": frappe.db.get_value(
			"DocType", OLD, ["module", "modified", "migration_hash", "issingle"], as_dict=True
		),
		"docfields": frappe.get_all(
			"DocField",
			filters={"parent": OLD, "parenttype": "DocType"},
			fields=["fieldname", "fieldtype", "idx"],
			order_by="idx",
		),
		"docperms": frappe.get_all(
			"DocPerm",
			filters={"parent": OLD, "parenttype": "DocType"},
			fields=["role", "permlevel", "read"],
			order_by="role, permlevel",
		),
		"custom_fields": frappe.get_all("Custom Field", filters={"dt": OLD}, pluck="name", order_by="name"),
		"custom_perms": frappe.get_all(
			"Custom DocPerm", filters={"parent": OLD}, pluck="name", order_by="name"
		),
		"old_singles": _singles(OLD),
		"new_singles": _singles(NEW),
		"workspace_links": frappe.get_all(
			"Workspace Link",
			filters={"parenttype": "Workspace", "parent": "Online CRM"},
			fields=["label", "link_to"],
			order_by="idx",
		),
		"workspace_shortcuts": frappe.get_all(
			"Workspace Shortcut",
			filters={"parenttype": "Workspace", "parent": "Online CRM"},
			fields=["label", "link_to"],
			order_by="idx",
		),
	}


@pytest.fixture
def forget_caches():
	"""The patch clears meta caches inside the transaction the test rolls back: clear them again after."""
	yield
	frappe.db.rollback()
	for doctype in (OLD, NEW, "Workspace"):
		frappe.clear_cache(doctype=doctype)
	frappe.db.value_cache.clear()


def test_crm_settings_is_erpnexts():
	assert frappe.db.get_value("DocType", OLD, "module") == "CRM"
	meta = frappe.get_meta(OLD)
	assert meta.module == "CRM"
	assert meta.has_field("default_valid_till")
	assert not meta.has_field("look_back_days")
	assert patch.is_erpnexts()
	frappe.db.get_single_value(OLD, "default_valid_till")  # what ERPNext's boot reads; raised when ours


def test_online_crm_settings_is_ours():
	module = frappe.db.get_value("DocType", NEW, "module")
	assert module == "Online CRM"
	assert frappe.db.get_value("Module Def", module, "app_name") == "online_crm"
	meta = frappe.get_meta(NEW)
	assert meta.issingle and meta.has_field("look_back_days") and meta.has_field("segment_rules")
	from online_crm.erp.rfm import _settings

	assert _settings().doctype == NEW


def test_the_repair_patch_changes_nothing_on_a_clean_site(forget_caches):
	before = _state()
	patch.execute()
	assert _state() == before
	assert frappe.get_meta(OLD).module == "CRM"


def test_the_repair_patch_gives_erpnext_its_doctype_back(forget_caches):
	from frappe.custom.doctype.custom_field.custom_field import create_custom_field

	create_custom_field(
		OLD,
		{
			"fieldname": "th_test_note",
			"label": "Note",
			"fieldtype": "Data",
			"insert_after": "default_valid_till",
		},
	)
	clean = _state()
	assert clean["custom_fields"]
	link = frappe.db.get_value(
		"Workspace Link", {"parenttype": "Workspace", "parent": "Online CRM", "link_to": NEW}, "name"
	)
	assert link, "the Online CRM workspace links Online CRM Settings"

	# The state our old `CRM Settings` left: module ours, ERPNext's fields gone, ERPNext's values
	# deleted by a save of our single and ours stored in their place, our workspace linking it.
	frappe.db.set_value("DocType", OLD, "module", "Online CRM", update_modified=False)
	frappe.db.delete("DocField", {"parent": OLD, "parenttype": "DocType"})
	frappe.db.delete("Singles", {"doctype": OLD})
	frappe.db.set_single_value(
		OLD, {"look_back_days": "180", "scoring": "Thresholds", "customers_scored": "42", "name": OLD}
	)
	frappe.db.set_value("Workspace Link", link, {"link_to": OLD, "label": OLD}, update_modified=False)
	assert not patch.is_erpnexts()

	patch.execute()

	repaired = _state()
	assert repaired["doctype"].module == "CRM"
	assert patch.is_erpnexts()
	for key in (
		"docfields",
		"docperms",
		"custom_fields",
		"custom_perms",
		"workspace_links",
		"workspace_shortcuts",
	):
		assert repaired[key] == clean[key], key
	meta = frappe.get_meta(OLD)
	assert meta.has_field("default_valid_till") and meta.has_field("th_test_note")
	assert not meta.has_field("look_back_days")
	assert frappe.db.get_single_value(NEW, "look_back_days", cache=False) == 180
	assert frappe.db.get_single_value(NEW, "scoring", cache=False) == "Thresholds"
	assert frappe.db.get_single_value(NEW, "customers_scored", cache=False) == 42
	fields = {f for f, _ in repaired["old_singles"]}
	assert not fields & set(patch.OLD_FIELDS)
	# ERPNext's defaults are back for the rows our save deleted
	assert frappe.db.get_single_value(OLD, "auto_creation_of_contact", cache=False) == 1
	assert frappe.db.get_single_value(OLD, "close_opportunity_after_days", cache=False) == 15
