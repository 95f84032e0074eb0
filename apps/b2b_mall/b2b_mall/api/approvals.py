"""An approver of a customer approves or rejects its orders waiting on /mall-approvals."""

import frappe
from frappe import _

from b2b_mall.core.cart import CartRejected
from b2b_mall.erp import approvals
from b2b_mall.web_guard import csrf_protected

REFUSED = 422
BUSY = 409


@frappe.whitelist(methods=["POST"])
@csrf_protected
def decide(sales_order: str, decision: str, note: str | None = None) -> dict:
	"""decision: "approve" (stock and credit checked again, then the Sales Order is submitted; 422
	with {"problems": [...]} when they fail, the order keeps waiting) or "reject" (with a note).
	Only an approver of the order's own customer (403); another customer's order: 404."""
	if frappe.session.user == "Guest":
		frappe.throw(_("Please log in."), frappe.PermissionError)
	if decision == "reject":
		return approvals.reject(frappe.session.user, sales_order, note)
	if decision != "approve":
		frappe.throw(_("Approve or reject."), frappe.ValidationError)
	try:
		return approvals.approve(frappe.session.user, sales_order)
	except (frappe.QueryDeadlockError, frappe.QueryTimeoutError):
		frappe.db.rollback()
		frappe.clear_messages()
		frappe.local.response.http_status_code = BUSY
		return {"problems": [{"code": "try_again", "message": _("The order is busy; please try again.")}]}
	except CartRejected as e:  # raised before anything is written: the order keeps waiting
		frappe.local.response.http_status_code = REFUSED
		return {
			"problems": [
				{"code": p.code, "item_code": p.item_code, "message": p.render(_(p.template))}
				for p in e.problems
			]
		}
