"""Our four apps, held against the real Frappe v15 / ERPNext v15 metadata."""

import json

import pytest
import tomllib

from tests.contract import checks
from tests.contract.checks import APPS, REPO


def _py_files():
	return [p for app in APPS for p in checks.iter_python_files(app)]


def _rel(p):
	return str(p.relative_to(REPO))


@pytest.mark.parametrize("app", APPS)
def test_app_is_a_standard_frappe_v15_app(app):
	root = REPO / "apps" / app
	project = tomllib.loads((root / "pyproject.toml").read_text())
	assert project["project"]["name"] == app
	assert project["build-system"]["build-backend"] == "flit_core.buildapi"
	deps = project["tool"]["bench"]["frappe-dependencies"]
	assert deps["frappe"] == ">=15.0.0,<16.0.0" and deps["erpnext"] == ">=15.0.0,<16.0.0"
	pkg = root / app
	modules = (pkg / "modules.txt").read_text().strip().splitlines()
	assert len(modules) == 1, "modules.txt names the one module"
	module_dir = pkg / modules[0].lower().replace(" ", "_")
	assert module_dir.is_dir(), f"module folder {module_dir} exists"
	assert (pkg / "patches.txt").exists()
	for layer in ("core", "erp", "api"):
		assert (pkg / layer / "__init__.py").exists(), f"{app}/{layer} is a package"
	workspaces = list(module_dir.glob("workspace/*/*.json"))
	assert workspaces, f"{app} ships a desk Workspace"
	assert '__version__ = "' in (pkg / "__init__.py").read_text()


@pytest.mark.parametrize("app", APPS)
def test_doctypes_belong_to_the_apps_module(app):
	modules = (checks.app_package(app) / "modules.txt").read_text().strip().splitlines()
	for path in checks.iter_doctype_files(app):
		doc = json.loads(path.read_text())
		assert doc["module"] in modules, f"{path.name} is in module {doc['module']!r}"
		assert path.stem == doc["name"].lower().replace(" ", "_")


def test_every_doctype_is_well_formed(meta):
	ours = checks.load_our_doctypes()
	assert ours, "the apps ship doctypes"
	assert checks.all_problems(checks.check_doctype(d, meta) for d in ours.values()) == []


def test_custom_fields_target_real_doctypes_and_fields(v15):
	assert (
		checks.check_custom_fields(checks.load_custom_fields(), v15.with_ours(checks.load_our_doctypes(), {}))
		== []
	)


def test_every_app_declares_the_shared_channel_field_the_same_way():
	from b2b_mall.channel_field import CHANNEL_FIELDS as mall
	from omni_channel.channel_field import CHANNEL_FIELDS as omni

	assert mall == omni
	assert {f["fieldname"] for fs in mall.values() for f in fs} == {"th_channel", "th_cod"}


@pytest.mark.parametrize("app", APPS)
def test_hooks_are_known_and_resolve(app, meta):
	assert checks.check_hooks(app, checks.load_hooks(app), meta) == []


def test_core_never_imports_frappe_or_erpnext():
	files = [p for p in _py_files() if "core" in p.relative_to(REPO / "apps").parts[2:3]]
	assert files, "there are core modules"
	assert checks.all_problems(checks.check_core_is_pure(_rel(p), p.read_text()) for p in files) == []


def test_framework_imports_exist_in_v15(meta):
	assert (
		checks.all_problems(checks.check_framework_imports(_rel(p), p.read_text(), meta) for p in _py_files())
		== []
	)


def test_frappe_attributes_exist_in_v15(meta):
	files = (
		_py_files()
		+ sorted((REPO / "fixtures").rglob("*.py"))
		+ sorted((REPO / "tests" / "bench").glob("*.py"))
	)
	assert (
		checks.all_problems(checks.check_frappe_attributes(_rel(p), p.read_text(), meta) for p in files) == []
	)


def test_whitelisted_functions_are_fully_annotated():
	assert (
		checks.all_problems(checks.check_whitelist_annotations(_rel(p), p.read_text()) for p in _py_files())
		== []
	)


def test_fields_our_code_writes_exist(meta):
	assert (
		checks.all_problems(checks.check_written_fields(_rel(p), p.read_text(), meta) for p in _py_files())
		== []
	)


def test_workspaces_point_at_real_doctypes(meta):
	paths = [p for app in APPS for p in checks.app_package(app).glob("*/workspace/*/*.json")]
	assert len(paths) == len(APPS)
	assert checks.all_problems(checks.check_workspace(json.loads(p.read_text()), meta) for p in paths) == []


def test_no_name_of_ours_is_a_frappe_or_erpnext_name(v15):
	names = checks.defined_names()
	assert {n.kind for n in names} >= {"DocType", "Report", "Workspace", "Module", "Role"}
	assert checks.check_names_are_ours(names, v15) == []
