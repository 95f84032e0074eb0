"""Checks that hold our four apps against the real Frappe v15 / ERPNext v15 metadata.

Each check takes plain data (doctype dicts, source text, hook dicts …) plus a `Meta` and
returns a list of problems, one readable sentence each; an empty list means the check
passed. The tests in this folder run every check over our apps and feed each check a
deliberately broken sample to see it fail.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
APPS = ("b2b_mall", "omni_channel", "wms_tms", "online_crm")
SUITE_PREFIX = "th_"

# Fields every document has without declaring them (frappe/model/__init__.py default_fields
# and child_table_fields), which a dict written to a doctype may carry.
STANDARD_FIELDS = frozenset(
	{
		"doctype",
		"name",
		"owner",
		"creation",
		"modified",
		"modified_by",
		"docstatus",
		"idx",
		"parent",
		"parentfield",
		"parenttype",
		"__newname",
		"__islocal",
	}
)
NO_VALUE_TYPES = frozenset(
	{
		"Section Break",
		"Column Break",
		"Tab Break",
		"HTML",
		"Button",
		"Heading",
		"Fold",
		"Image",
		"Table",
		"Table MultiSelect",
	}
)
LINKISH = ("Link", "Table", "Table MultiSelect")

# `from x import *` re-exports in Frappe v15 that symbols.json (top-level names only) cannot show.
STAR_REEXPORTS = {
	"frappe": ("frappe.exceptions",),
	"frappe.utils": ("frappe.utils.data",),
	"frappe.modules": ("frappe.modules.utils",),
	"frappe.core.doctype.file": ("frappe.core.doctype.file.exceptions", "frappe.core.doctype.file.utils"),
}


def shared_dir() -> Path:
	return Path(os.environ.get("SHARED_DIR", REPO.parent / "shared"))


@dataclass
class Meta:
	"""The doctypes, symbols and hook names of Frappe v15 + ERPNext v15, plus our own doctypes."""

	doctypes: dict[str, dict]
	symbols: dict[str, dict]
	hook_names: frozenset[str]
	custom_fields: dict[str, list[dict]] = field(default_factory=dict)

	@classmethod
	def load(cls, base: Path | None = None) -> Meta:
		base = base or shared_dir() / "erpnext-meta"
		doctypes: dict[str, dict] = {}
		for app in ("frappe", "erpnext"):
			doctypes.update(json.loads((base / f"{app}.json").read_text()))
		symbols = json.loads((base / "symbols.json").read_text())
		hooks = frozenset(
			line.strip() for line in (base / "hook_names.txt").read_text().splitlines() if line.strip()
		)
		return cls(doctypes=doctypes, symbols=symbols, hook_names=hooks)

	def with_ours(self, ours: dict[str, dict], custom_fields: dict[str, list[dict]]) -> Meta:
		return Meta({**self.doctypes, **ours}, self.symbols, self.hook_names, custom_fields)

	def fields_of(self, doctype: str) -> list[dict]:
		return list(self.doctypes.get(doctype, {}).get("fields", [])) + list(
			self.custom_fields.get(doctype, [])
		)

	def fieldnames(self, doctype: str) -> set[str]:
		return {f["fieldname"] for f in self.fields_of(doctype) if f.get("fieldname")}

	def field(self, doctype: str, fieldname: str) -> dict | None:
		return next((f for f in self.fields_of(doctype) if f.get("fieldname") == fieldname), None)

	def module_has(self, module: str, name: str) -> bool:
		"""`from module import name` works in v15: a top-level name, a submodule or a star re-export."""
		if name in self.symbols.get(module, {}) or f"{module}.{name}" in self.symbols:
			return True
		return any(self.module_has(m, name) for m in STAR_REEXPORTS.get(module, ()))

	@property
	def fieldtypes(self) -> frozenset[str]:
		df = next(f for f in self.doctypes["DocField"]["fields"] if f["fieldname"] == "fieldtype")
		return frozenset(x for x in df["options"].split("\n") if x)


# --------------------------------------------------------------------------- our apps on disk


def app_package(app: str) -> Path:
	return REPO / "apps" / app / app


def iter_doctype_files(app: str) -> Iterator[Path]:
	yield from sorted(app_package(app).glob("*/doctype/*/*.json"))


def load_our_doctypes() -> dict[str, dict]:
	out = {}
	for app in APPS:
		for path in iter_doctype_files(app):
			doc = json.loads(path.read_text())
			if doc.get("doctype") == "DocType":
				out[doc["name"]] = doc
	return out


def load_custom_fields() -> dict[str, list[dict]]:
	"""Our apps' CUSTOM_FIELDS merged per target doctype (read by importing custom_fields.py)."""
	merged: dict[str, list[dict]] = {}
	for app in APPS:
		path = app_package(app) / "custom_fields.py"
		spec = importlib.util.spec_from_file_location(f"{app}.custom_fields", path)
		module = importlib.util.module_from_spec(spec)
		spec.loader.exec_module(module)
		for doctype, fields in module.CUSTOM_FIELDS.items():
			have = {f["fieldname"] for f in merged.setdefault(doctype, [])}
			merged[doctype].extend(f for f in fields if f["fieldname"] not in have)
	return merged


def iter_python_files(app: str) -> Iterator[Path]:
	yield from sorted(p for p in app_package(app).rglob("*.py") if "fixtures" not in p.parts)


def module_name_of(path: Path) -> str:
	rel = path.relative_to(REPO / "apps").with_suffix("")
	parts = list(rel.parts[1:])
	if parts[-1] == "__init__":
		parts.pop()
	return ".".join(parts)


def load_hooks(app: str) -> dict[str, object]:
	return hooks_from_source((app_package(app) / "hooks.py").read_text())


def hooks_from_source(source: str) -> dict[str, object]:
	tree = ast.parse(source)
	hooks: dict[str, object] = {}
	for node in tree.body:
		if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
			hooks[node.targets[0].id] = ast.literal_eval(node.value)
	return hooks


# --------------------------------------------------------------------------- the checks


def check_doctype(doc: dict, meta: Meta) -> list[str]:
	"""A doctype JSON is well-formed for Frappe v15."""
	name = doc.get("name", "<unnamed>")
	problems = []
	for key in ("name", "module", "fields", "permissions"):
		if key not in doc:
			problems.append(f"{name}: missing '{key}'")
	if doc.get("doctype") != "DocType":
		problems.append(f"{name}: 'doctype' must be 'DocType'")
	seen: set[str] = set()
	fields = doc.get("fields", [])
	for f in fields:
		fn, ft = f.get("fieldname"), f.get("fieldtype")
		if not fn:
			problems.append(f"{name}: a field has no fieldname")
			continue
		if fn in seen:
			problems.append(f"{name}.{fn}: fieldname used twice")
		seen.add(fn)
		if ft not in meta.fieldtypes:
			problems.append(f"{name}.{fn}: unknown fieldtype {ft!r}")
		problems += _check_link_options(f"{name}.{fn}", f, meta)
		if f.get("fetch_from"):
			problems += _check_fetch_from(f"{name}.{fn}", f["fetch_from"], fields, meta)
	order = doc.get("field_order")
	if order is not None and order != [f.get("fieldname") for f in fields]:
		problems.append(f"{name}: field_order does not list the fields in order")
	if doc.get("istable") and doc.get("permissions"):
		problems.append(f"{name}: a child table carries no permissions of its own")
	if not doc.get("istable") and not doc.get("permissions"):
		problems.append(f"{name}: no role may read it (no permissions)")
	return problems


def _check_link_options(where: str, f: dict, meta: Meta) -> list[str]:
	ft, target = f.get("fieldtype"), f.get("options")
	if ft not in LINKISH:
		return []
	if not target or target not in meta.doctypes:
		return [f"{where}: {ft} options {target!r} is not a doctype"]
	is_child = bool(meta.doctypes[target].get("istable"))
	if ft == "Link" and is_child:
		return [f"{where}: links to child table {target!r}"]
	if ft != "Link" and not is_child:
		return [f"{where}: {ft} options {target!r} is not a child table (istable)"]
	return []


def _check_fetch_from(where: str, fetch_from: str, fields: list[dict], meta: Meta) -> list[str]:
	link_field, _, target_field = fetch_from.partition(".")
	link = next((f for f in fields if f.get("fieldname") == link_field), None)
	if not link or link.get("fieldtype") != "Link":
		return [f"{where}: fetch_from {fetch_from!r}: {link_field!r} is not a Link field here"]
	target = link.get("options")
	if target_field not in meta.fieldnames(target) | {"name"}:
		return [f"{where}: fetch_from {fetch_from!r}: {target!r} has no field {target_field!r}"]
	return []


CUSTOM_FIELD_KEYS_EXTRA = frozenset({"fieldname", "insert_after"})


def check_custom_fields(custom_fields: dict[str, list[dict]], meta: Meta) -> list[str]:
	"""Every custom field targets a real doctype, follows a real field, and carries our prefix."""
	problems = []
	allowed_keys = meta.fieldnames("Custom Field")
	for doctype, fields in custom_fields.items():
		if doctype not in meta.doctypes:
			problems.append(f"custom field on unknown doctype {doctype!r}")
			continue
		known = meta.fieldnames(doctype) - {f["fieldname"] for f in fields}
		for f in fields:
			fn = f.get("fieldname", "")
			where = f"{doctype}.{fn}"
			if not fn.startswith(SUITE_PREFIX):
				problems.append(f"{where}: custom fieldname lacks the suite prefix {SUITE_PREFIX!r}")
			if f.get("insert_after") not in known:
				problems.append(
					f"{where}: insert_after {f.get('insert_after')!r} is not a field of {doctype}"
				)
			if f.get("fieldtype") not in meta.fieldtypes:
				problems.append(f"{where}: unknown fieldtype {f.get('fieldtype')!r}")
			for key in f:
				if key not in allowed_keys:
					problems.append(f"{where}: {key!r} is not a Custom Field property")
			problems += _check_link_options(where, f, meta)
			known.add(fn)
	return problems


def check_hooks(app: str, hooks: dict[str, object], meta: Meta) -> list[str]:
	"""Every hooks.py key is a known hook and every dotted path in it resolves."""
	problems = []
	for key, value in hooks.items():
		if key not in meta.hook_names:
			problems.append(f"{app}.hooks: unknown hook {key!r}")
		for path in _dotted_paths(key, value):
			if not resolves(path, meta):
				problems.append(f"{app}.hooks.{key}: {path!r} does not resolve")
	# "frappe/erpnext", not "erpnext": for a bare name v15's installer asks api.github.com which
	# organisation owns it (frappe/installer.py find_org), so an offline install fails.
	if hooks.get("required_apps") != ["frappe/erpnext"]:
		problems.append(f"{app}.hooks: required_apps must be ['frappe/erpnext']")
	return problems


# Hooks whose values name python callables; everything else holds plain data (routes, titles …).
CALLABLE_HOOKS = frozenset(
	{
		"after_install",
		"after_migrate",
		"before_install",
		"before_migrate",
		"before_uninstall",
		"after_uninstall",
		"doc_events",
		"scheduler_events",
		"has_permission",
		"has_website_permission",
		"permission_query_conditions",
		"override_whitelisted_methods",
		"override_doctype_class",
		"before_tests",
		"boot_session",
		"get_website_user_home_page",
		"on_session_creation",
		"auth_hooks",
		"before_request",
		"after_request",
		"extend_bootinfo",
	}
)


def _dotted_paths(key: str, value: object) -> Iterator[str]:
	if key not in CALLABLE_HOOKS:
		return
	if isinstance(value, str):
		yield value
	elif isinstance(value, list | tuple):
		for v in value:
			yield from _dotted_paths(key, v)
	elif isinstance(value, dict):
		for v in value.values():
			yield from _dotted_paths(key, v)


def resolves(path: str, meta: Meta) -> bool:
	"""`a.b.c` names a top-level symbol `c` of module `a.b` — ours on disk, or frappe/erpnext in v15."""
	module, _, name = path.rpartition(".")
	root = path.split(".", 1)[0]
	if root in ("frappe", "erpnext"):
		return meta.module_has(module, name)
	if root in APPS:
		return name in _top_level_names(root, module) or _our_module_path(path) is not None
	return False


def _our_module_path(module: str) -> Path | None:
	root = module.split(".", 1)[0]
	base = REPO / "apps" / root / Path(*module.split("."))
	for candidate in (base.with_suffix(".py"), base / "__init__.py"):
		if candidate.exists():
			return candidate
	return None


def _top_level_names(app: str, module: str) -> set[str]:
	path = _our_module_path(module)
	if path is None:
		return set()
	return top_level_names(path.read_text())


def top_level_names(source: str) -> set[str]:
	names = set()
	for node in ast.parse(source).body:
		if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
			names.add(node.name)
		elif isinstance(node, ast.Assign):
			names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
		elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
			names.add(node.target.id)
		elif isinstance(node, ast.Import | ast.ImportFrom):
			names |= {(a.asname or a.name).split(".")[0] for a in node.names}
	return names


def check_core_is_pure(where: str, source: str) -> list[str]:
	"""No module under core/ imports frappe or erpnext (directly or by importlib)."""
	problems = []
	for node in ast.walk(ast.parse(source)):
		mods: list[str] = []
		if isinstance(node, ast.Import):
			mods = [a.name for a in node.names]
		elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
			mods = [node.module]
		elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
			"import_module",
			"__import__",
		):
			mods = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
		for m in mods:
			if m.split(".")[0] in ("frappe", "erpnext"):
				problems.append(f"{where}:{node.lineno}: core imports {m}")
	return problems


def check_framework_imports(where: str, source: str, meta: Meta) -> list[str]:
	"""Every `from frappe…/erpnext… import x` and `import frappe.x` names something that exists in v15."""
	problems = []
	for node in ast.walk(ast.parse(source)):
		if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
			if node.module.split(".")[0] not in ("frappe", "erpnext"):
				continue
			if node.module not in meta.symbols:
				problems.append(f"{where}:{node.lineno}: no module {node.module} in v15")
				continue
			for alias in node.names:
				if not meta.module_has(node.module, alias.name):
					problems.append(f"{where}:{node.lineno}: {node.module} has no {alias.name} in v15")
		elif isinstance(node, ast.Import):
			for alias in node.names:
				if alias.name.split(".")[0] in ("frappe", "erpnext") and alias.name not in meta.symbols:
					problems.append(f"{where}:{node.lineno}: no module {alias.name} in v15")
	return problems


def check_frappe_attributes(where: str, source: str, meta: Meta) -> list[str]:
	"""Every `frappe.x` used exists on the v15 frappe module (a name, a submodule or a re-export)."""
	problems = []
	for node in ast.walk(ast.parse(source)):
		if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "frappe":
			if not node.attr.startswith("__") and not meta.module_has("frappe", node.attr):
				problems.append(f"{where}:{node.lineno}: frappe.{node.attr} does not exist in v15")
	return problems


def _is_whitelist(dec: ast.expr) -> bool:
	target = dec.func if isinstance(dec, ast.Call) else dec
	return (isinstance(target, ast.Attribute) and target.attr == "whitelist") or (
		isinstance(target, ast.Name) and target.id == "whitelist"
	)


def check_whitelist_annotations(where: str, source: str) -> list[str]:
	"""Every whitelisted function annotates each argument and its return value."""
	problems = []
	for node in ast.walk(ast.parse(source)):
		if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
			continue
		if not any(_is_whitelist(d) for d in node.decorator_list):
			continue
		a = node.args
		params = [*a.posonlyargs, *a.args, *a.kwonlyargs, *(x for x in (a.vararg, a.kwarg) if x)]
		for p in params:
			if p.arg in ("self", "cls"):
				continue
			if p.annotation is None:
				problems.append(
					f"{where}:{node.lineno}: {node.name}() argument {p.arg!r} has no type annotation"
				)
		if node.returns is None:
			problems.append(f"{where}:{node.lineno}: {node.name}() has no return annotation")
	return problems


def check_written_fields(where: str, source: str, meta: Meta) -> list[str]:
	"""A dict literal with a constant "doctype" key only carries fields of that doctype.

	This is how the erp/ adapters write ERPNext documents (`frappe.get_doc({"doctype": …})`),
	so a misspelt or v16-only field is caught without a bench. Child rows in a list under a
	Table field are checked against the child doctype.
	"""
	problems = []
	for node in ast.walk(ast.parse(source)):
		if isinstance(node, ast.Dict):
			doctype = _const_key(node, "doctype")
			if doctype:
				problems += _check_dict_fields(where, node, doctype, meta)
	return problems


def _const_key(node: ast.Dict, key: str) -> str | None:
	for k, v in zip(node.keys, node.values, strict=True):
		if (
			isinstance(k, ast.Constant)
			and k.value == key
			and isinstance(v, ast.Constant)
			and isinstance(v.value, str)
		):
			return v.value
	return None


def _check_dict_fields(where: str, node: ast.Dict, doctype: str, meta: Meta) -> list[str]:
	if doctype not in meta.doctypes:
		return [f"{where}:{node.lineno}: writes unknown doctype {doctype!r}"]
	problems = []
	names = meta.fieldnames(doctype) | STANDARD_FIELDS
	for k, v in zip(node.keys, node.values, strict=True):
		if not (isinstance(k, ast.Constant) and isinstance(k.value, str)):
			continue
		if k.value not in names:
			problems.append(f"{where}:{node.lineno}: {doctype} has no field {k.value!r}")
			continue
		f = meta.field(doctype, k.value)
		if f and f.get("fieldtype") in ("Table", "Table MultiSelect") and isinstance(v, ast.List):
			for row in v.elts:
				if isinstance(row, ast.Dict) and not _const_key(row, "doctype"):
					problems += _check_dict_fields(where, row, f["options"], meta)
	return problems


def check_workspace(doc: dict, meta: Meta) -> list[str]:
	"""A Workspace's shortcuts, cards and links point at real doctypes and appear in its content."""
	name = doc.get("name")
	problems = []
	content = json.loads(doc.get("content") or "[]")
	shortcut_names = {b["data"]["shortcut_name"] for b in content if b["type"] == "shortcut"}
	card_names = {b["data"]["card_name"] for b in content if b["type"] == "card"}
	for s in doc.get("shortcuts", []):
		if s.get("type") == "DocType" and s.get("link_to") not in meta.doctypes:
			problems.append(f"{name}: shortcut to unknown doctype {s.get('link_to')!r}")
	if shortcut_names - {s["label"] for s in doc.get("shortcuts", [])}:
		problems.append(f"{name}: content shows shortcuts missing from the shortcuts table")
	if card_names - {lk["label"] for lk in doc.get("links", []) if lk["type"] == "Card Break"}:
		problems.append(f"{name}: content shows cards missing from the links table")
	for lk in doc.get("links", []):
		if (
			lk["type"] == "Link"
			and lk.get("link_type") == "DocType"
			and lk.get("link_to") not in meta.doctypes
		):
			problems.append(f"{name}: link to unknown doctype {lk.get('link_to')!r}")
	return problems


# --------------------------------------------------------------------------- names we put into a site

FRAMEWORK_APPS = ("frappe", "erpnext")
# Roles every v15 site has whether or not a permission row names them (frappe/permissions.py).
AUTOMATIC_ROLES = ("Administrator", "Guest", "All", "Desk User")
# Documents an app ships as `<module>/<folder>/<name>/<name>.json`.
NAMED_FOLDERS = {"doctype": "DocType", "report": "Report", "page": "Page", "workspace": "Workspace"}


@dataclass(frozen=True)
class DefinedName:
	"""A name one of our apps puts into a site: a DocType, Report, Page, Workspace, Module or Role.

	`referenced` marks a role our files only name (a permission row, a report's roles, a hook):
	when it is a Frappe / ERPNext role we merely use it; otherwise Frappe creates it for us.
	"""

	kind: str
	name: str
	where: str
	referenced: bool = False


def normalised_name(name: str) -> str:
	"""A name as the site tells names apart: case-blind (the database collation) and with
	spaces, `_` and `-` alike (`frappe.scrub` folders and /app/<slug> routes)."""
	return " ".join(re.split(r"[\s_-]+", name.casefold())).strip()


def reserved_names(meta: Meta) -> dict[str, str]:
	"""Every DocType, module and role name of Frappe v15 / ERPNext v15 → what it is there.

	The metadata holds doctypes (with their module and permission rows), so reports, pages and
	workspaces of ERPNext are covered only where they share those names (most workspaces are
	named after their module).
	"""
	doctypes, modules, roles = {}, {}, {r: f"frappe role {r!r}" for r in AUTOMATIC_ROLES}
	for name, d in meta.doctypes.items():
		app = d.get("app")
		if app not in FRAMEWORK_APPS:  # one of ours, added by Meta.with_ours
			continue
		doctypes[name] = f"{app} DocType {name!r}"
		if d.get("module"):
			modules.setdefault(d["module"], f"{app} module {d['module']!r}")
		for p in d.get("permissions", []):
			if p.get("role"):
				roles.setdefault(p["role"], f"{app} role {p['role']!r}")
	out: dict[str, str] = {}
	for names in (doctypes, modules, roles):
		for name, what in names.items():
			out.setdefault(normalised_name(name), what)
	return out


def framework_roles(meta: Meta) -> set[str]:
	"""Normalised names of the roles Frappe / ERPNext v15 define (permission rows, automatic roles)."""
	return {
		normalised_name(p["role"])
		for d in meta.doctypes.values()
		if d.get("app") in FRAMEWORK_APPS
		for p in d.get("permissions", [])
		if p.get("role")
	} | {normalised_name(r) for r in AUTOMATIC_ROLES}


def defined_names(apps_root: Path | None = None, apps: Iterable[str] = APPS) -> list[DefinedName]:
	"""The names our apps define, read from their files: doctype/report/page/workspace JSON,
	modules.txt, Role fixtures, `role_name = "…"` in their Python (install code, patches), hooks."""
	apps_root = apps_root or REPO / "apps"
	out: list[DefinedName] = []
	for app in apps:
		pkg = apps_root / app / app

		def rel(path: Path) -> str:
			return str(path.relative_to(apps_root))

		modules = pkg / "modules.txt"
		if modules.exists():
			out += [
				DefinedName("Module", line.strip(), rel(modules))
				for line in modules.read_text().splitlines()
				if line.strip()
			]
		for folder, kind in NAMED_FOLDERS.items():
			for path in sorted(pkg.glob(f"*/{folder}/*/*.json")):
				doc = json.loads(path.read_text())
				if doc.get("doctype") == kind:
					out += _names_in_record(doc, rel(path))
		for path in sorted(pkg.glob("fixtures/*.json")):
			records = json.loads(path.read_text())
			for rec in records if isinstance(records, list) else [records]:
				if isinstance(rec, dict):
					out += _names_in_record(rec, rel(path))
		hooks_py = pkg / "hooks.py"
		if hooks_py.exists():
			out += _names_in_hooks(hooks_from_source(hooks_py.read_text()), rel(hooks_py))
		for path in sorted(pkg.rglob("*.py")):
			out += [
				DefinedName("Role", name, f"{rel(path)}:{line}")
				for name, line in _role_names_in_source(path.read_text())
			]
	return out


def _names_in_record(doc: dict, where: str) -> list[DefinedName]:
	kind = doc.get("doctype")
	names: list[DefinedName] = []
	if kind in NAMED_FOLDERS.values():
		keys = {"Page": ("name", "page_name"), "Workspace": ("name", "label")}.get(kind, ("name",))
		for value in dict.fromkeys(doc.get(k) for k in keys):
			if isinstance(value, str) and value:
				names.append(DefinedName(kind, value, where))
	elif kind == "Module Def" and doc.get("module_name"):
		names.append(DefinedName("Module", doc["module_name"], where))
	elif kind == "Role" and (doc.get("role_name") or doc.get("name")):
		names.append(DefinedName("Role", doc.get("role_name") or doc["name"], where))
	names += [DefinedName("Role", r, where, referenced=True) for r in _roles_named_in(doc)]
	return names


def _roles_named_in(value: object) -> Iterator[str]:
	"""Roles under a "role" or "roles" key anywhere in a JSON / hooks value (not a Role record's own name)."""
	if isinstance(value, dict):
		for k, v in value.items():
			if k in ("role", "roles"):
				for r in v if isinstance(v, list) else [v]:
					if isinstance(r, str) and r:
						yield r
					elif isinstance(r, dict) and isinstance(r.get("role"), str):
						yield r["role"]
			else:
				yield from _roles_named_in(v)
	elif isinstance(value, list):
		for v in value:
			yield from _roles_named_in(v)


def _names_in_hooks(hooks: dict[str, object], where: str) -> list[DefinedName]:
	names = [
		DefinedName("Role", r, where, referenced=True)
		for key, value in hooks.items()
		if key != "fixtures"
		for r in _roles_named_in(value)
	]
	# fixtures = ["Role"] exports every role; [{"dt": "Role", "filters": [["name", "in", [...]]]}] these.
	for entry in hooks.get("fixtures") or []:
		if isinstance(entry, dict) and (entry.get("dt") or entry.get("doctype")) == "Role":
			for f in entry.get("filters") or []:
				if isinstance(f, list | tuple) and len(f) == 3 and f[0] in ("name", "role_name"):
					values = f[2] if isinstance(f[2], list | tuple) else [f[2]]
					names += [DefinedName("Role", v, where) for v in values if isinstance(v, str)]
	return names


def _role_names_in_source(source: str) -> Iterator[tuple[str, int]]:
	"""`role_name` (a field only Role has) set to a constant: in a dict, a call's keyword or `x.role_name = …`."""
	for node in ast.walk(ast.parse(source)):
		pairs: list[tuple[object, ast.expr]] = []
		if isinstance(node, ast.Dict):
			pairs = [
				(k.value, v)
				for k, v in zip(node.keys, node.values, strict=True)
				if isinstance(k, ast.Constant)
			]
		elif isinstance(node, ast.Call):
			pairs = [(kw.arg, kw.value) for kw in node.keywords]
		elif isinstance(node, ast.Assign):
			pairs = [(t.attr, node.value) for t in node.targets if isinstance(t, ast.Attribute)]
		for key, value in pairs:
			if key == "role_name" and isinstance(value, ast.Constant) and isinstance(value.value, str):
				yield value.value, node.lineno


def check_names_are_ours(names: Iterable[DefinedName], meta: Meta) -> list[str]:
	"""No name our apps define is already a DocType, module or role name of Frappe v15 / ERPNext v15.

	Same-named records are one record on a site: our `CRM Settings` replaced ERPNext's DocType (its
	module became ours, ERPNext's boot failed, the desk answered 500) and uninstalling our app would
	have deleted it. A role we only name in a permission row, report or hook may be ERPNext's.
	"""
	reserved = reserved_names(meta)
	theirs = framework_roles(meta)
	problems = []
	for n in names:
		key = normalised_name(n.name)
		if n.referenced and key in theirs:
			continue
		if key in reserved:
			problems.append(
				f"{n.where}: {n.kind} {n.name!r} is already {reserved[key]} in v15; choose our own name"
			)
	return problems


def all_problems(checks: Iterable[list[str]]) -> list[str]:
	return [p for ps in checks for p in ps]
