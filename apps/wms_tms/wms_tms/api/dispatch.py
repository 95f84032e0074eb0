"""The desk page Dispatch a Day (wms-dispatch-day) calls these: what a store's day holds, plan or
re-plan it over the chosen vehicles, dispatch the planned trips.

Each checks the caller's rights on Delivery Trip (create to plan, submit to dispatch) and their
read right on the store's Warehouse (user permissions by warehouse apply)."""

import frappe
from frappe import _

from wms_tms.erp import dispatch


def _dispatcher(store: str, ptype: str = "create") -> None:
	if frappe.session.user == "Guest":
		frappe.throw(_("Please log in."), frappe.PermissionError)
	frappe.has_permission("Delivery Trip", ptype, throw=True)
	if not store or not frappe.db.exists("Warehouse", store):
		frappe.throw(_("Choose a store that has a Warehouse Layout (its dispatch point)."))
	frappe.has_permission("Warehouse", "read", store, throw=True)


@frappe.whitelist()
def day(store: str, day: str) -> dict:
	_dispatcher(store, "read")
	return dispatch.day_setup(store, day)


@frappe.whitelist(methods=["POST"])
def plan(store: str, day: str, vehicles: str | list) -> dict:
	_dispatcher(store, "create")
	return dispatch.plan_day(store, day, vehicles)


@frappe.whitelist(methods=["POST"])
def send(store: str, day: str) -> list[str]:
	_dispatcher(store, "submit")
	return dispatch.dispatch_day(store, day)
