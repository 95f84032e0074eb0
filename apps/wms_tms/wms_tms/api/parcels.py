"""Parcels: a desk user asks a carrier for a Delivery Note's electronic waybill (电子面单).

The caller needs write permission on that Delivery Note (and read on the carrier). A carrier's
refusal or failure is answered 417 with the reason and what to do, and stays on the note as
'Failed' (committed before the answer) so the same button can ask again."""

import frappe
from frappe import _

from wms_tms.erp import parcels


@frappe.whitelist(methods=["POST"])
def get_waybill(delivery_note: str, carrier: str | None = None, weight: float | None = None) -> dict:
	frappe.has_permission("Delivery Note", "write", delivery_note, throw=True)
	if carrier:
		frappe.has_permission("Parcel Carrier", "read", carrier, throw=True)
	result = parcels.request_waybill(delivery_note, carrier or None, weight or None)
	if not result["ok"]:
		frappe.db.commit()  # the failed state and its reason stay on the note for the retry
		frappe.throw(result["message"], parcels.WaybillError, title=_("No waybill"))
	return result
