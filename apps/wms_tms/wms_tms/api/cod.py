"""The cashier's side of cash on delivery (the COD Cash Sheet report calls these)."""

import frappe

from wms_tms.erp import cod


def _cashier() -> None:
	"""A desk user who may record a hand-over and post its Journal Entry (Accounts User or above)."""
	if frappe.session.user == "Guest":
		frappe.throw(frappe._("Please log in."), frappe.PermissionError)
	frappe.has_permission("COD Handover", "create", throw=True)
	frappe.has_permission("Journal Entry", "create", throw=True)


@frappe.whitelist(methods=["GET", "POST"])
def trip_cash(trip: str) -> dict:
	"""What the trip's driver should have and has collected, for the hand-over dialog."""
	_cashier()
	t = frappe.db.get_value(
		"Delivery Trip", {"name": trip, "docstatus": 1}, ["name", "driver", "company"], as_dict=True
	)
	if not t:
		frappe.throw(frappe._("Delivery Trip {0} is not submitted.").format(trip), frappe.DoesNotExistError)
	totals = cod.trip_totals(t.name)
	return {
		"trip": t.name,
		"driver": t.driver,
		"company": t.company,
		"expected": totals.expected,
		"collected": totals.collected,
		"driver_account": frappe.db.get_value("Driver", t.driver, "th_wms_cash_account"),
		"default_account": cod.cashier_account(t.company),
		"handed_over": frappe.db.get_value("COD Handover", {"delivery_trip": t.name}, "handed_over"),
	}


@frappe.whitelist(methods=["POST"])
def hand_over(trip: str, counted: str | float, to_account: str) -> dict:
	"""The cashier counted the trip's cash: post it from the driver's account to `to_account`."""
	_cashier()
	return cod.hand_over(trip, counted, to_account)
