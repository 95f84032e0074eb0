"""The desk page Plan Waves (wms-wave-planning) calls these: propose a round of waves for the
store's carts, measure the waves after the lead moved orders, accept them as Pick Waves with
their Pick Lists.

Each checks the caller's rights: create on Pick Wave (and Pick List to accept), read on the store's
Warehouse; the orders are read through `frappe.get_list`, so User Permissions apply."""

import json

import frappe
from frappe import _

from wms_tms.erp import wave_planning


def _planner(store: str, accept: bool = False) -> None:
	if frappe.session.user == "Guest":
		frappe.throw(_("Please log in."), frappe.PermissionError)
	frappe.has_permission("Pick Wave", "create", throw=True)
	if accept:
		frappe.has_permission("Pick List", "create", throw=True)
	if not store or not frappe.db.exists("Warehouse", store):
		frappe.throw(_("Choose a store that has a Warehouse Layout."))
	frappe.has_permission("Warehouse", "read", store, throw=True)


def _json(value, default):
	if value in (None, ""):
		return default
	if isinstance(value, str):
		try:
			return json.loads(value)
		except ValueError:
			frappe.throw(_("Waves must be sent as JSON."))
	return value


@frappe.whitelist(methods=["POST"])
def propose(
	store: str,
	carts: int = 1,
	units: float = 0,
	weight: float = 0,
	volume: float = 0,
	cutoff: str | None = None,
	channel: str | None = None,
	territory: str | None = None,
	due_by: str | None = None,
) -> dict:
	_planner(store)
	cart = wave_planning.cart_of(units, weight, volume)
	filters = {"channel": channel, "territory": territory, "due_by": due_by}
	return wave_planning.propose(store, cart, carts, cutoff, filters)


@frappe.whitelist(methods=["POST"])
def evaluate(store: str, waves: str | list, units: float = 0, weight: float = 0, volume: float = 0) -> dict:
	"""The waves as the lead grouped them (lists of Sales Orders), measured again from the site."""
	_planner(store)
	cart = wave_planning.cart_of(units, weight, volume)
	return wave_planning.evaluate(store, cart, _json(waves, []))


@frappe.whitelist(methods=["POST"])
def accept(
	store: str, waves: str | list, units: float = 0, weight: float = 0, volume: float = 0
) -> list[dict]:
	_planner(store, accept=True)
	cart = wave_planning.cart_of(units, weight, volume)
	return wave_planning.accept(store, cart, _json(waves, []))
