"""Each of the four apps is installed on the test site: its Workspace, doctypes and custom fields exist."""

import importlib
import json
from pathlib import Path

import frappe
import pytest

APPS = ("b2b_mall", "omni_channel", "wms_tms", "online_crm")


def _package(app: str) -> Path:
	return Path(importlib.import_module(app).__file__).parent


@pytest.mark.parametrize("app", APPS)
def test_app_is_installed(app):
	assert app in frappe.get_installed_apps()


@pytest.mark.parametrize("app", APPS)
def test_workspace_is_on_the_desk(app):
	for path in _package(app).glob("*/workspace/*/*.json"):
		label = json.loads(path.read_text())["label"]
		ws = frappe.get_doc("Workspace", label)
		assert ws.public and ws.module == json.loads(path.read_text())["module"]
		assert {s.link_to for s in ws.shortcuts}


@pytest.mark.parametrize("app", APPS)
def test_doctypes_exist_with_their_tables(app):
	paths = list(_package(app).glob("*/doctype/*/*.json"))
	assert paths
	for path in paths:
		doc = json.loads(path.read_text())
		meta = frappe.get_meta(doc["name"])
		assert meta.module == doc["module"]
		if not doc.get("issingle"):
			assert frappe.db.table_exists(doc["name"])
			for f in doc["fields"]:
				if f["fieldtype"] not in ("Section Break", "Column Break", "Tab Break", "Table", "HTML"):
					assert frappe.db.has_column(doc["name"], f["fieldname"]), (
						f"{doc['name']}.{f['fieldname']}"
					)


@pytest.mark.parametrize("app", APPS)
def test_custom_fields_exist_in_meta_and_database(app):
	fields = importlib.import_module(f"{app}.custom_fields").CUSTOM_FIELDS
	for doctype, dfs in fields.items():
		meta = frappe.get_meta(doctype)
		for df in dfs:
			assert meta.has_field(df["fieldname"]), f"{doctype}.{df['fieldname']}"
			if df["fieldtype"] not in ("Section Break", "Column Break", "Tab Break"):
				assert frappe.db.has_column(doctype, df["fieldname"])


def test_a_desk_sales_order_defaults_to_the_desk_channel():
	so = frappe.new_doc("Sales Order")
	assert so.th_channel == "Desk"
