"""RFM from the desk: a full recompute started by a Sales Manager or System Manager."""

import frappe
from frappe import _

from online_crm.erp import rfm

MAY_RECOMPUTE = ("System Manager", "Sales Manager")


@frappe.whitelist(methods=["POST"])
def recompute() -> dict:
	"""Queue a full RFM run (every customer, new score boundaries) on the long queue. Its progress
	comes to the caller as Frappe's progress bar, and "online_crm_rfm_done" when it is written.
	Answers {"queued": true}, or {"queued": false} when a run is already queued or running.
	Anyone without the Sales Manager or System Manager role: 403."""
	if frappe.session.user == "Guest" or not set(MAY_RECOMPUTE) & set(frappe.get_roles()):
		frappe.throw(_("Only a Sales Manager or a System Manager may recompute RFM."), frappe.PermissionError)
	queued = rfm.start_full_run()
	return {
		"queued": queued,
		"message": _("RFM is being recomputed for every customer; the report refreshes when it is done.")
		if queued
		else _("A full RFM run is already under way."),
	}
