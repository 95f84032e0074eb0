"""The desk as staff meet it: every screen of ours opens with no server error and no console error.

Administrator opens /app, our four workspaces, the list view and the new form of every doctype of
ours and every report of ours. A user who only has Sales User opens /app, the workspaces and the
screens that role may read. (The desk once answered 500 for everyone, because a doctype of ours
replaced one of ERPNext's; nothing had loaded it.)
"""

import importlib
import json
from pathlib import Path

import frappe

from tests.browser.conftest import PASSWORD, desk_user

APPS = ("b2b_mall", "omni_channel", "wms_tms", "online_crm")


def _jsons(kind: str) -> list[dict]:
	out = []
	for app in APPS:
		root = Path(importlib.import_module(app).__file__).parent
		out += [json.loads(p.read_text()) for p in sorted(root.glob(f"*/{kind}/*/*.json"))]
	return out


def slug(name: str) -> str:
	return name.lower().replace(" ", "-")


DOCTYPES = [d for d in _jsons("doctype") if not d.get("istable")]
WORKSPACES = [w["label"] for w in _jsons("workspace")]
REPORT_DOCS = _jsons("report")
REPORTS = [r["name"] for r in REPORT_DOCS]
PAGES = [p["name"] for p in _jsons("page")]


def screens(doctypes=DOCTYPES, reports=REPORTS, pages=PAGES) -> list[tuple[str, str]]:
	"""(what, route) for each screen of ours."""
	out = [("desk home", "/app")]
	out += [(f"workspace {w}", f"/app/{slug(w)}") for w in WORKSPACES]
	for d in doctypes:
		if d.get("issingle"):
			out.append((f"settings {d['name']}", f"/app/{slug(d['name'])}"))
		else:
			out.append((f"list {d['name']}", f"/app/{slug(d['name'])}"))
			out.append((f"new {d['name']}", f"/app/{slug(d['name'])}/new"))
	out += [(f"report {r}", f"/app/query-report/{r}") for r in reports]
	out += [(f"page {p}", f"/app/{p}") for p in pages]
	return out


def open_screen(desk, what: str, route: str):
	desk.route(route)
	page = desk.page
	# what the screen shows once drawn, looked for in the page now shown (the desk keeps earlier
	# pages in the document, hidden)
	if route.startswith("/app/query-report/"):
		# the report ran: its table, or ERPNext's empty state on a site with no data yet
		report = json.dumps(route.removeprefix("/app/query-report/"))
		ready = (
			f"frappe.query_report && frappe.query_report.report_name === {report}"
			" && !frappe.query_report.$loading.is(':visible')"
			" && (frappe.query_report.$report.find('.dt-scrollable').length"
			" || frappe.query_report.$message.is(':visible'))"
		)
	elif route.endswith("/new") or what.startswith("settings"):
		doctype = what.split(" ", 1)[1]
		ready = (
			f"window.cur_frm && cur_frm.doctype === {json.dumps(doctype)} && cur_frm.doc && cur_frm.layout"
		)
		if route.endswith("/new"):
			ready += " && cur_frm.is_new()"
	elif what.startswith("list"):
		ready = "$(frappe.container.page).find('.frappe-list .result, .frappe-list .no-result').length"
	else:
		ready = "$(frappe.container.page).find('.layout-main-section').length"
	try:
		page.wait_for_function(f"() => {ready}")
	except Exception as e:
		raise AssertionError(f"{what} ({route}) was not drawn; now at {page.url}") from e
	if route.startswith("/app/query-report/") and page.evaluate("() => !!frappe.query_report.chart"):
		# Frappe's chart draws again 700 ms after it is made (its entry animation); a page left
		# before that redraws hidden, at a negative width. A person reads the chart first.
		page.wait_for_timeout(1_000)
	# a server exception in the desk comes up as an error dialog
	errors = page.locator(".modal.show .msgprint").all_inner_texts()
	assert not errors, f"{what}: error dialog {errors}"
	message = page.evaluate("() => $(frappe.container.page).find('.message-page .lead').text()")
	assert not message, f"{what}: the desk says {message!r}"  # not found / not permitted
	desk.assert_clean(what)


def test_administrator_opens_every_screen_of_ours(desk):
	desk.login("Administrator", frappe.conf.get("admin_password") or "admin")
	assert desk.page.url.endswith("/app/home") or "/app" in desk.page.url
	seen = []
	for what, route in screens():
		open_screen(desk, what, route)
		seen.append(what)
	assert len(seen) == 1 + len(WORKSPACES) + len(REPORTS) + len(PAGES) + sum(
		1 if d.get("issingle") else 2 for d in DOCTYPES
	)
	assert len(WORKSPACES) == 4


def _readable_by(role: str) -> list[dict]:
	return [
		d
		for d in DOCTYPES
		if any(p.get("role") == role and p.get("read", 1) for p in d.get("permissions", []))
	]


def test_a_sales_user_opens_the_desk_and_the_screens_the_role_reads(desk):
	user = desk_user("Sales User")
	desk.login(user, PASSWORD)
	desk.desk_ready()
	assert "/app" in desk.page.url
	readable = _readable_by("Sales User")
	assert {d["name"] for d in readable} >= {"Channel Order Log", "Channel Shop"}
	reports = [
		r["name"] for r in REPORT_DOCS if any(x.get("role") == "Sales User" for x in r.get("roles", []))
	]
	pages = [
		p["name"] for p in _jsons("page") if any(x.get("role") == "Sales User" for x in p.get("roles", []))
	]
	for what, route in screens(readable, reports, pages):
		open_screen(desk, what, route)
