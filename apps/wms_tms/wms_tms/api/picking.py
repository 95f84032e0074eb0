"""The picker's phone page /pick calls these: the wave's lines, a scan, a short pick, finish, pack.

Each checks who calls (a WMS Picker, Stock User or Stock Manager login) and that the wave is theirs
(its `picker`); writes are POST with the page's CSRF token."""

import json

import frappe
from frappe import _

from wms_tms.erp import floor
from wms_tms.web_guard import csrf_protected


def _retrying(fn, *args):
	"""Submitting stock documents can meet another transaction's stock rows in a deadlock: the
	database undid ours whole, so it is run again (at most three times) before giving up."""
	for attempt in range(3):
		try:
			return fn(*args)
		except frappe.QueryDeadlockError:
			frappe.db.rollback()
			if attempt == 2:
				frappe.throw(_("The warehouse is busy: please try again."))


@frappe.whitelist()
def wave_lines(wave: str) -> dict:
	return floor.lines(wave)


@frappe.whitelist(methods=["POST"])
@csrf_protected
def scan(wave: str, row: str, bin: str, code: str, qty: float = 1) -> dict:
	"""One scan of an item at a bin for one line (qty units, default one)."""
	return floor.record_pick(wave, row, bin, code, qty)


@frappe.whitelist(methods=["POST"])
@csrf_protected
def short(wave: str, row: str, reason: str) -> dict:
	return floor.record_short(wave, row, reason)


@frappe.whitelist(methods=["POST"])
@csrf_protected
def finish(wave: str) -> list[str]:
	return _retrying(floor.finish, wave)


@frappe.whitelist(methods=["POST"])
@csrf_protected
def pack(delivery_note: str, scanned: str | dict) -> dict:
	"""scanned: {code: count} (JSON) of what went into the parcel."""
	if isinstance(scanned, str):
		try:
			scanned = json.loads(scanned)
		except ValueError:
			scanned = None
	if not isinstance(scanned, dict):
		frappe.throw(_("The scanned items could not be read."))
	return _retrying(floor.pack, delivery_note, scanned)
