"""Orders that wait for an approver of the customer (B2B Mall Settings' amount).

A waiting order is a draft Sales Order (`th_b2b_approval` = "Awaiting Approval"): a draft reserves
no stock and counts against no credit. Approving it re-runs the checkout's stock and credit checks
under the checkout's own locks (the cart's Bin rows, then the Customer row), then submits it;
rejecting leaves the draft with the approver's note. Approvers hear of a new waiting order by a
Notification Log and an email (Frappe's Email Queue); the orderer hears of the decision the same way.
"""

import html

import frappe
from frappe import _
from frappe.utils import escape_html, flt, get_url

from b2b_mall.core.approval import APPROVER, needs_approval
from b2b_mall.core.cart import CartLine, PricedLine, check_order
from b2b_mall.erp import buyers, orders

AWAITING, APPROVED, REJECTED = "Awaiting Approval", "Approved", "Rejected"
PAGE = "/mall-approvals"
MAX_NOTE = 500


def threshold() -> float:
	return flt(frappe.get_cached_doc("B2B Mall Settings").get("approval_amount"))


def must_wait(user: str, customer: str, so) -> bool:
	"""Does this priced, unsaved Sales Order of `user` wait for an approver?"""
	limit = threshold()
	if limit <= 0:
		return False
	return needs_approval(
		flt(so.grand_total), limit, buyers.role_in(customer, user) or "", len(buyers.approvers_of(customer))
	)


def hold(so, user: str, customer: str) -> frappe._dict:
	"""Save the order as a draft waiting for approval and tell the customer's approvers."""
	so.th_b2b_approval = AWAITING
	so.th_b2b_ordered_by = user
	so.insert()
	orders.keep_party_texts_plain(so)
	subject = _("Order {0} of {1} ({2}) waits for your approval").format(
		so.name, so.customer_name, frappe.utils.fmt_money(so.grand_total, currency=so.currency)
	)
	tell(buyers.approvers_of(customer), so.name, subject)
	return frappe._dict(
		sales_order=so.name,
		grand_total=so.grand_total,
		currency=so.currency,
		customer=customer,
		approval=AWAITING,
	)


def tell(users: list[str], so_name: str, subject: str) -> None:
	"""A Notification Log (Alert) per user, and one email each through Frappe's Email Queue."""
	subject = escape_html(frappe.utils.strip_html(subject))
	link = get_url(PAGE)
	for user in users:
		frappe.get_doc(
			{
				"doctype": "Notification Log",
				"for_user": user,
				"from_user": frappe.session.user,
				"type": "Alert",
				"subject": subject,
				"document_type": "Sales Order",
				"document_name": so_name,
				"link": PAGE,
			}
		).insert(ignore_permissions=True)
		try:
			frappe.sendmail(
				recipients=[user],
				subject=subject,
				message=f'<p>{subject}</p><p><a href="{escape_html(link)}">{escape_html(link)}</a></p>',
				reference_doctype="Sales Order",
				reference_name=so_name,
				delayed=True,
			)
		except frappe.OutgoingEmailError:  # no outgoing Email Account set up: the Notification Log stays
			frappe.clear_last_message()


def _approver_of(user: str) -> str:
	customer = orders.customer_of(user)
	if buyers.role_in(customer, user) != APPROVER:
		frappe.throw(_("Only an approver of your company can decide on orders."), frappe.PermissionError)
	return customer


def _waiting(name: str, customer: str, lock: bool = False) -> frappe._dict:
	if lock:
		frappe.db.sql("select name from `tabSales Order` where name = %s for update", name)
	so = frappe.db.get_value(
		"Sales Order",
		name,
		["name", "customer", "docstatus", "th_b2b_approval", "th_b2b_ordered_by"],
		as_dict=True,
	)
	if not so or so.customer != customer:  # another customer's order: as if it did not exist
		raise frappe.DoesNotExistError(_("Order {0} not found.").format(name))
	if so.docstatus != 0 or so.th_b2b_approval != AWAITING:
		frappe.throw(_("Order {0} has already been decided.").format(name), frappe.ValidationError)
	return so


def approve(user: str, name: str) -> frappe._dict:
	"""Submit a waiting order after the checkout's stock and credit checks, under its locks."""
	customer = _approver_of(user)
	_waiting(name, customer)
	cfg = orders.settings()
	codes = frappe.get_all("Sales Order Item", filters={"parent": name}, pluck="item_code")
	orders.fresh_transaction()
	free, _bins = orders.lock_free_stock(codes, orders.leaf_warehouses(cfg.warehouse))
	orders.lock_customer(customer)
	_waiting(name, customer, lock=True)  # decided meanwhile by another approver: refused here
	so = frappe.get_doc("Sales Order", name)
	lines = [CartLine(i.item_code, flt(i.qty)) for i in so.items]
	priced = [PricedLine(i.item_code, flt(i.qty), flt(i.rate), flt(i.base_net_amount)) for i in so.items]
	credit = orders.credit_of(customer, cfg.company) if cfg.enforce_credit_limit else orders.Credit(0, 0)
	check_order(lines, orders.item_facts(codes), free, priced, credit, cfg.allow_backorder)
	so.th_b2b_approval = APPROVED
	so.th_b2b_decided_by = user
	so.flags.ignore_permissions = True  # a buyer has no desk rights; checked: an approver of its customer
	so.submit()
	orders.keep_party_texts_plain(so)
	tell(
		[so.th_b2b_ordered_by] if so.th_b2b_ordered_by else [],
		so.name,
		_("Your order {0} was approved").format(so.name),
	)
	return frappe._dict(sales_order=so.name, approval=APPROVED, docstatus=1)


def reject(user: str, name: str, note: str | None = None) -> frappe._dict:
	customer = _approver_of(user)
	note = (note or "").strip()
	if len(note) > MAX_NOTE:
		frappe.throw(_("The note takes at most {0} characters.").format(MAX_NOTE))
	so = _waiting(name, customer, lock=True)
	frappe.db.set_value(
		"Sales Order",
		name,
		{
			"th_b2b_approval": REJECTED,
			"th_b2b_decided_by": user,
			"th_b2b_decision_note": escape_html(note) if note else None,
		},
	)
	tell(
		[so.th_b2b_ordered_by] if so.th_b2b_ordered_by else [],
		name,
		_("Your order {0} was rejected").format(name),
	)
	return frappe._dict(sales_order=name, approval=REJECTED)


def portal_list(user: str) -> frappe._dict:
	"""What /mall-approvals shows: the customer's orders that waited for approval (newest first),
	and whether this user may decide."""
	customer = orders.customer_of(user)
	rows = frappe.get_all(
		"Sales Order",
		filters={"customer": customer, "th_b2b_approval": ("in", [AWAITING, APPROVED, REJECTED])},
		fields=[
			"name",
			"transaction_date",
			"grand_total",
			"currency",
			"docstatus",
			"th_b2b_approval as approval",
			"th_b2b_ordered_by as ordered_by",
			"th_b2b_decided_by as decided_by",
			"th_b2b_decision_note as note",
		],
		order_by="creation desc",
		limit=100,
	)
	items = frappe.get_all(
		"Sales Order Item",
		filters={"parent": ("in", [r.name for r in rows] or [""])},
		fields=["parent", "item_code", "item_name", "qty"],
		order_by="idx",
	)
	for r in rows:
		r.lines = [i for i in items if i.parent == r.name]
		r.note = html.unescape(r.note or "")  # stored escaped for the desk; the page escapes it again
	return frappe._dict(
		customer=customer,
		customer_name=frappe.db.get_value("Customer", customer, "customer_name"),
		can_decide=buyers.role_in(customer, user) == APPROVER,
		rows=rows,
		threshold=threshold(),
	)
