"""Desk action: plan a Delivery Trip for a wave's Delivery Notes with the core's router."""

import frappe

from wms_tms.erp import delivery


@frappe.whitelist(methods=["POST"])
def plan_for_wave(wave: str, vehicle: str, driver: str, departure: str | None = None) -> str:
	"""Departure defaults to now; receiving hours of the stops are read for the departure's day."""
	frappe.has_permission("Delivery Trip", "create", throw=True)
	wave_doc = frappe.get_doc("Pick Wave", wave)
	wave_doc.check_permission("read")  # role and user permissions on this wave, not only on Delivery Trip
	pick_list = wave_doc.pick_list
	notes = frappe.get_all("Delivery Note", filters={"pick_list": pick_list, "docstatus": 1}, pluck="name")
	if not notes:
		frappe.throw(frappe._("The wave has no submitted Delivery Notes yet."))
	return delivery.plan_trip(notes, vehicle, driver, departure).name
