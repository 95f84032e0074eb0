"""Each contract check, fed a deliberately broken sample, reports it (and passes a sound one)."""

import copy
import json

import pytest

from tests.contract import checks


def _doctype(**over):
	doc = {
		"doctype": "DocType",
		"name": "Sample Wave",
		"module": "WMS TMS",
		"permissions": [{"role": "System Manager", "read": 1}],
		"fields": [
			{"fieldname": "sales_order", "fieldtype": "Link", "options": "Sales Order"},
			{
				"fieldname": "customer",
				"fieldtype": "Link",
				"options": "Customer",
				"fetch_from": "sales_order.customer",
			},
			{"fieldname": "rows", "fieldtype": "Table", "options": "Sales Order Item"},
		],
	}
	doc.update(over)
	return doc


def test_sound_doctype_passes(v15):
	assert checks.check_doctype(_doctype(), v15) == []


@pytest.mark.parametrize(
	"breakage, expected",
	[
		(lambda f: f[0].update(fieldtype="Lnk"), "unknown fieldtype"),
		(lambda f: f.append({"fieldname": "customer", "fieldtype": "Data"}), "used twice"),
		(lambda f: f[0].update(options="Sales Ordre"), "is not a doctype"),
		(lambda f: f[2].update(options="Customer"), "not a child table"),
		(lambda f: f[0].update(options="Sales Order Item"), "links to child table"),
		(lambda f: f[1].update(fetch_from="sales_order.no_such_field"), "has no field"),
		(lambda f: f[1].update(fetch_from="rows.customer"), "is not a Link field"),
		(lambda f: f[1].pop("fieldname"), "has no fieldname"),
	],
)
def test_broken_doctype_is_reported(v15, breakage, expected):
	doc = _doctype()
	breakage(doc["fields"])
	problems = checks.check_doctype(doc, v15)
	assert any(expected in p for p in problems), problems


def test_doctype_without_permissions_or_with_wrong_order_is_reported(v15):
	assert any("no role" in p for p in checks.check_doctype(_doctype(permissions=[]), v15))
	assert any("field_order" in p for p in checks.check_doctype(_doctype(field_order=["customer"]), v15))


GOOD_CF = {"Sales Order": [{"fieldname": "th_x", "fieldtype": "Data", "insert_after": "order_type"}]}


def test_sound_custom_fields_pass(v15):
	assert checks.check_custom_fields(GOOD_CF, v15) == []


@pytest.mark.parametrize(
	"mutate, expected",
	[
		(lambda cf: cf.update({"Sales Ordr": cf.pop("Sales Order")}), "unknown doctype"),
		(lambda cf: cf["Sales Order"][0].update(insert_after="no_such_field"), "insert_after"),
		(lambda cf: cf["Sales Order"][0].update(fieldname="channel"), "prefix"),
		(lambda cf: cf["Sales Order"][0].update(fieldtype="Strng"), "unknown fieldtype"),
		(lambda cf: cf["Sales Order"][0].update(th_flag=1), "not a Custom Field property"),
		(lambda cf: cf["Sales Order"][0].update(fieldtype="Link", options="Nope"), "is not a doctype"),
	],
)
def test_broken_custom_fields_are_reported(v15, mutate, expected):
	cf = copy.deepcopy(GOOD_CF)
	mutate(cf)
	assert any(expected in p for p in checks.check_custom_fields(cf, v15))


def test_custom_field_may_follow_an_earlier_custom_field(v15):
	cf = {
		"Item": [
			GOOD_CF["Sales Order"][0] | {"insert_after": "is_sales_item"},
			{"fieldname": "th_y", "fieldtype": "Int", "insert_after": "th_x"},
		]
	}
	assert checks.check_custom_fields(cf, v15) == []


def test_hooks_checks(v15):
	good = {
		"required_apps": ["frappe/erpnext"],
		"after_install": "b2b_mall.install.after_install",
		"doc_events": {"Sales Order": {"on_submit": "erpnext.get_default_company"}},
	}
	assert checks.check_hooks("b2b_mall", good, v15) == []
	assert any("unknown hook" in p for p in checks.check_hooks("b2b_mall", good | {"after_instal": "x"}, v15))
	assert any(
		"does not resolve" in p
		for p in checks.check_hooks("b2b_mall", good | {"after_install": "b2b_mall.install.no_such"}, v15)
	)
	assert any(
		"does not resolve" in p
		for p in checks.check_hooks("b2b_mall", good | {"after_migrate": "b2b_mall.nowhere.fn"}, v15)
	)
	bad_erp = good | {"doc_events": {"Sales Order": {"on_submit": "erpnext.selling.no_such.fn"}}}
	assert any("does not resolve" in p for p in checks.check_hooks("b2b_mall", bad_erp, v15))
	assert any("required_apps" in p for p in checks.check_hooks("b2b_mall", {"required_apps": []}, v15))
	assert any(
		"required_apps" in p for p in checks.check_hooks("b2b_mall", {"required_apps": ["erpnext"]}, v15)
	)


@pytest.mark.parametrize(
	"source",
	[
		"import frappe\n",
		"from frappe.utils import flt\n",
		"import erpnext.stock\n",
		"import importlib\nimportlib.import_module('frappe')\n",
	],
)
def test_core_importing_frappe_is_reported(source):
	assert checks.check_core_is_pure("core/x.py", source)


def test_pure_core_passes():
	assert (
		checks.check_core_is_pure(
			"core/x.py", "import json\nfrom dataclasses import dataclass\nframe = 'frappe'\n"
		)
		== []
	)


def test_framework_imports_are_checked(v15):
	ok = "from frappe.custom.doctype.custom_field.custom_field import create_custom_fields\nimport frappe\n"
	assert checks.check_framework_imports("x.py", ok, v15) == []
	assert (
		checks.check_framework_imports(
			"x.py", "from frappe.utils import add_days, flt\nfrom frappe import ValidationError\n", v15
		)
		== []
	)
	assert checks.check_framework_imports("x.py", "from frappe.utils import no_such_thing\n", v15)
	assert checks.check_framework_imports("x.py", "from erpnext.nowhere import x\n", v15)
	assert checks.check_framework_imports("x.py", "import frappe.not_a_module\n", v15)


def test_whitelist_annotations_are_enforced():
	good = "import frappe\n@frappe.whitelist(methods=['POST'])\ndef place(items: list, note: str | None = None, **kwargs: object) -> dict:\n\treturn {}\n"
	assert checks.check_whitelist_annotations("x.py", good) == []
	missing_arg = good.replace("note: str | None = None", "note=None")
	missing_ret = good.replace(" -> dict", "")
	missing_kwargs = good.replace("**kwargs: object", "**kwargs")
	bare = "from frappe import whitelist\n@whitelist\ndef f(a):\n\tpass\n"
	for src in (missing_arg, missing_ret, missing_kwargs, bare):
		assert checks.check_whitelist_annotations("x.py", src), src


def test_written_fields_are_checked(v15):
	good = 'd = {"doctype": "Sales Order", "customer": c, "items": [{"item_code": "X", "qty": 1}]}\n'
	assert checks.check_written_fields("x.py", good, v15) == []
	assert checks.check_written_fields("x.py", good.replace('"customer"', '"customr"'), v15)
	assert checks.check_written_fields("x.py", good.replace('"qty"', '"quantity"'), v15)
	assert checks.check_written_fields("x.py", 'd = {"doctype": "Sales Ordr"}\n', v15)


def test_workspace_checks(v15):
	ws = {
		"name": "W",
		"content": '[{"type":"shortcut","data":{"shortcut_name":"SO"}},{"type":"card","data":{"card_name":"C"}}]',
		"shortcuts": [{"label": "SO", "type": "DocType", "link_to": "Sales Order"}],
		"links": [
			{"type": "Card Break", "label": "C"},
			{"type": "Link", "link_type": "DocType", "link_to": "Item", "label": "Item"},
		],
	}
	assert checks.check_workspace(ws, v15) == []
	assert checks.check_workspace(
		{**ws, "shortcuts": [{"label": "SO", "type": "DocType", "link_to": "Nope"}]}, v15
	)
	assert checks.check_workspace({**ws, "links": ws["links"][1:]}, v15)
	assert checks.check_workspace({**ws, "shortcuts": []}, v15)


def test_frappe_attributes_are_checked(v15):
	ok = "import frappe\nfrappe.throw('x', frappe.PermissionError)\nfrappe.db.commit()\nfrappe.utils.flt(1)\n"
	assert checks.check_frappe_attributes("x.py", ok, v15) == []
	assert checks.check_frappe_attributes(
		"x.py", "import frappe\n@frappe.rate_limit(limit=1)\ndef f(): pass\n", v15
	)


PKG = "sample_app/sample_app"
MODULES, HOOKS, INSTALL, ROLES = (
	f"{PKG}/{f}" for f in ("modules.txt", "hooks.py", "install.py", "fixtures/role.json")
)
DT, REPORT, PAGE, WS = (
	f"{PKG}/sample_shop/{kind}/{name}/{name}.json"
	for kind, name in (
		("doctype", "sample_wave"),
		("report", "sample_sales"),
		("page", "sample_board"),
		("workspace", "sample_shop"),
	)
)


def _sample_app() -> dict[str, object]:
	"""A sound app tree (path → JSON value or text) whose every name is its own."""
	return {
		MODULES: "Sample Shop\n",
		DT: {
			"doctype": "DocType",
			"name": "Sample Wave",
			"module": "Sample Shop",
			"permissions": [{"role": "Sales User", "read": 1}, {"role": "Sample Picker", "read": 1}],
		},
		REPORT: {"doctype": "Report", "name": "Sample Sales", "roles": [{"role": "Stock User"}]},
		PAGE: {
			"doctype": "Page",
			"name": "sample-board",
			"page_name": "sample-board",
			"roles": [{"role": "Customer"}],
		},
		WS: {"doctype": "Workspace", "name": "Sample Shop", "label": "Sample Shop"},
		ROLES: [{"doctype": "Role", "role_name": "Sample Picker"}],
		HOOKS: (
			'fixtures = [{"dt": "Role", "filters": [["name", "in", ["Sample Picker"]]]}]\n'
			'portal_menu_items = [{"title": "Shop", "route": "/shop", "role": "Customer"}]\n'
		),
		INSTALL: 'import frappe\n\n\ndef after_install():\n\tfrappe.get_doc({"doctype": "Role", "role_name": "Sample Driver"}).insert()\n',
	}


def _names_in(tmp_path, tree):
	for rel, content in tree.items():
		path = tmp_path / rel
		path.parent.mkdir(parents=True, exist_ok=True)
		path.write_text(content if isinstance(content, str) else json.dumps(content))
	return checks.defined_names(tmp_path, ["sample_app"])


def test_sound_names_pass(tmp_path, v15):
	names = _names_in(tmp_path, _sample_app())
	assert {(n.kind, n.name) for n in names if not n.referenced} == {
		("Module", "Sample Shop"),
		("DocType", "Sample Wave"),
		("Report", "Sample Sales"),
		("Page", "sample-board"),
		("Workspace", "Sample Shop"),
		("Role", "Sample Picker"),
		("Role", "Sample Driver"),
	}
	assert checks.check_names_are_ours(names, v15) == []


@pytest.mark.parametrize(
	"breakage, expected",
	[
		(lambda t: t[DT].update(name="Sales Order"), "DocType 'Sales Order' is already erpnext DocType"),
		(lambda t: t[DT].update(name="CRM Settings"), "DocType 'CRM Settings'"),
		(lambda t: t[DT].update(name="crm_settings"), "DocType 'crm_settings'"),
		(lambda t: t.update({MODULES: "CRM\n"}), "Module 'CRM' is already erpnext module"),
		(lambda t: t[WS].update(name="Selling", label="Selling"), "Workspace 'Selling'"),
		(lambda t: t[REPORT].update(name="Stock Ledger Entry"), "Report 'Stock Ledger Entry'"),
		(lambda t: t[PAGE].update(name="user", page_name="user"), "Page 'user'"),
		(lambda t: t[ROLES][0].update(role_name="Sales Manager"), "Role 'Sales Manager'"),
		(
			lambda t: t.update({INSTALL: 'r = frappe.new_doc("Role")\nr.role_name = "Stock User"\n'}),
			"install.py:2",
		),
		(
			lambda t: t.update(
				{HOOKS: 'fixtures = [{"dt": "Role", "filters": [["role_name", "=", "Accounts User"]]}]'}
			),
			"Role 'Accounts User'",
		),
		(
			lambda t: t[DT]["permissions"].append({"role": "Sales Order", "read": 1}),
			"Role 'Sales Order' is already erpnext DocType",
		),
	],
)
def test_a_name_of_frappe_or_erpnext_is_reported(tmp_path, v15, breakage, expected):
	tree = copy.deepcopy(_sample_app())
	breakage(tree)
	problems = checks.check_names_are_ours(_names_in(tmp_path, tree), v15)
	assert any(expected in p for p in problems), problems
