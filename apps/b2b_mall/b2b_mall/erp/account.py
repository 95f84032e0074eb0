"""ERPNext side of the buyer's account: their orders from every channel with each line's progress,
deliveries (trip ETA, proof of delivery), invoices and payments; balance, overdue and the statement
with its confirmation; loyalty points and their redemption on Sales Invoices.

Every read starts from the buyer's own customer (orders.customer_of); a document of another customer
is answered as not found."""

import frappe
from erpnext.accounts.doctype.loyalty_program.loyalty_program import (
	get_loyalty_program_details_with_points,
)
from frappe import _
from frappe.utils import cint, escape_html, flt, getdate, now_datetime, nowdate

from b2b_mall.core import account as rules
from b2b_mall.core.cart import CartRejected
from b2b_mall.erp import orders

PAGE_SIZE = 20
# submitted orders, and drafts the portal keeps for an approver (a staff member's draft is not shown)
VISIBLE = {"docstatus": 1, "th_b2b_approval": ("in", ["Awaiting Approval", "Rejected"])}


def not_found(doctype: str, name: str):
	frappe.flags.disable_traceback = True
	# the name is not repeated: the answer is the same whether it exists for another customer or not at all
	raise frappe.DoesNotExistError(_("{0} not found").format(_(doctype)))


def channel_label(channel: str | None) -> str:
	if not channel or channel == "Desk":
		return _("By phone or with our staff")
	if channel == orders.CHANNEL:
		return _("Online")
	return channel.split(":", 1)[0]


# ---------------------------------------------------------------- my orders


def my_orders(user: str, page: int = 1, page_size: int = PAGE_SIZE) -> frappe._dict:
	"""All submitted Sales Orders of the buyer's customer, whatever channel made them (and the
	portal's orders waiting for an approver), newest first."""
	customer = orders.customer_of(user)
	page = max(1, cint(page))
	rows = frappe.get_all(
		"Sales Order",
		filters={"customer": customer, "docstatus": ("<", 2)},
		or_filters=VISIBLE,
		fields=[
			"name",
			"transaction_date",
			"delivery_date",
			"grand_total",
			"currency",
			"status",
			"per_delivered",
			"per_billed",
			"docstatus",
			"th_channel",
			"th_b2b_approval",
		],
		order_by="transaction_date desc, creation desc",
		limit_start=(page - 1) * page_size,
		limit_page_length=page_size + 1,
	)
	for r in rows:
		r.channel = channel_label(r.th_channel)
		r.status_label = _(r.th_b2b_approval) if r.docstatus == 0 else _(r.status)
	return frappe._dict(customer=customer, orders=rows[:page_size], page=page, has_next=len(rows) > page_size)


def own_order(user: str, name: str) -> frappe._dict:
	customer = orders.customer_of(user)
	found = frappe.get_all(
		"Sales Order",
		filters={"name": name or "", "customer": customer, "docstatus": ("<", 2)},
		or_filters=VISIBLE,
		fields=[
			"name",
			"customer",
			"customer_name",
			"company",
			"transaction_date",
			"delivery_date",
			"grand_total",
			"currency",
			"status",
			"per_delivered",
			"per_billed",
			"docstatus",
			"th_channel",
			"th_b2b_approval",
			"th_b2b_redeem_points",
		],
	)
	if not found:
		not_found("Sales Order", name)
	so = found[0]
	so.status_label = _(so.th_b2b_approval) if so.docstatus == 0 else _(so.status)
	return so


def order_detail(user: str, name: str) -> frappe._dict:
	"""One of the buyer's orders: lines with their progress, deliveries, invoices, payments."""
	so = own_order(user, name)
	so.channel = channel_label(so.th_channel)
	items = frappe.get_all(
		"Sales Order Item",
		filters={"parent": so.name, "parenttype": "Sales Order"},
		fields=[
			"name",
			"item_code",
			"item_name",
			"qty",
			"uom",
			"conversion_factor",
			"rate",
			"amount",
			"delivered_qty",
			"billed_amt",
			"is_free_item",
		],
		order_by="idx",
	)
	picked = {
		r.sales_order_item: flt(r.picked)
		for r in frappe.get_all(
			"Pick List Item",
			filters={"sales_order": so.name, "docstatus": ("<", 2)},
			fields=["sales_order_item", "sum(picked_qty) as picked"],
			group_by="sales_order_item",
		)
	}
	for i in items:
		progress = rules.LineProgress(
			ordered=flt(i.qty),
			picked=min(flt(i.qty), picked.get(i.name, 0) / (flt(i.conversion_factor) or 1)),
			delivered=flt(i.delivered_qty),
			invoiced=rules.invoiced_qty(flt(i.qty), flt(i.amount), flt(i.billed_amt)),
		)
		i.update(
			picked=progress.picked,
			invoiced=progress.invoiced,
			stage=progress.stage,
			stage_label=_(progress.stage),
		)
	so.lines = items
	so.deliveries = deliveries_of(so.name)
	so.invoices = invoices_of(so.name, [d.name for d in so.deliveries])
	so.payments = payments_of([so.name, *[i.name for i in so.invoices]])
	return so


def deliveries_of(sales_order: str) -> list[frappe._dict]:
	names = frappe.get_all(
		"Delivery Note Item",
		filters={"against_sales_order": sales_order, "docstatus": 1},
		pluck="parent",
		distinct=True,
	)
	notes = frappe.get_all(
		"Delivery Note",
		filters={"name": ("in", names or [""]), "docstatus": 1},
		fields=["name", "posting_date", "status"],
		order_by="posting_date, name",
	)
	stops = frappe.get_all(
		"Delivery Stop",
		filters={"delivery_note": ("in", names or [""]), "parenttype": "Delivery Trip"},
		fields=[
			"name",
			"parent",
			"delivery_note",
			"estimated_arrival",
			"visited",
			"th_wms_pod_file",
			"th_wms_delivered_at",
			"th_wms_outcome",
		],
		order_by="creation",
	)
	trips = {
		t.name: t
		for t in frappe.get_all(
			"Delivery Trip",
			filters={"name": ("in", [s.parent for s in stops] or [""])},
			fields=["name", "status", "docstatus"],
		)
	}
	by_note = {}
	for s in stops:
		trip = trips.get(s.parent)
		if trip and trip.docstatus == 1:
			by_note[s.delivery_note] = (s, trip)  # the latest trip of the note wins
	for dn in notes:
		stop, trip = by_note.get(dn.name, (None, None))
		dn.on_the_road = bool(stop and not stop.visited and trip.status in ("Scheduled", "In Transit"))
		dn.eta = stop.estimated_arrival if dn.on_the_road else None
		dn.delivered_at = stop.th_wms_delivered_at if stop and stop.visited else None
		dn.outcome = _(stop.th_wms_outcome) if stop and stop.th_wms_outcome else None
		dn.has_proof = bool(stop and stop.th_wms_pod_file)
		dn.trip_status = _(trip.status) if trip else None
	return notes


def invoices_of(sales_order: str, delivery_notes: list[str]) -> list[frappe._dict]:
	names = set(
		frappe.get_all(
			"Sales Invoice Item",
			filters={"sales_order": sales_order, "docstatus": 1},
			pluck="parent",
			distinct=True,
		)
	)
	if delivery_notes:
		names |= set(
			frappe.get_all(
				"Sales Invoice Item",
				filters={"delivery_note": ("in", delivery_notes), "docstatus": 1},
				pluck="parent",
				distinct=True,
			)
		)
	return frappe.get_all(
		"Sales Invoice",
		filters={"name": ("in", list(names) or [""]), "docstatus": 1},
		fields=[
			"name",
			"posting_date",
			"due_date",
			"grand_total",
			"outstanding_amount",
			"currency",
			"status",
			"loyalty_points",
			"loyalty_amount",
			"redeem_loyalty_points",
		],
		order_by="posting_date, name",
	)


def payments_of(references: list[str]) -> list[frappe._dict]:
	"""Submitted Payment Entries allocated to the order (advances) or its invoices."""
	return frappe.db.sql(
		"""select pe.name, pe.posting_date, pe.mode_of_payment, pe.paid_from_account_currency as currency,
			ref.reference_doctype, ref.reference_name, ref.allocated_amount
		from `tabPayment Entry Reference` ref join `tabPayment Entry` pe on pe.name = ref.parent
		where ref.reference_name in %(refs)s and pe.docstatus = 1
			and ref.reference_doctype in ('Sales Order', 'Sales Invoice')
		order by pe.posting_date, pe.name""",
		{"refs": tuple(references) or ("",)},
		as_dict=True,
	)


def proof_of_delivery(user: str, delivery_note: str) -> tuple[str, bytes]:
	"""The driver's photo of the buyer's own delivery (a File on the Delivery Note, named on its stop)."""
	customer = orders.customer_of(user)
	if not frappe.db.get_value(
		"Delivery Note", {"name": delivery_note or "", "customer": customer, "docstatus": 1}
	):
		not_found("Delivery Note", delivery_note)
	url = frappe.db.get_value(
		"Delivery Stop",
		{"delivery_note": delivery_note, "th_wms_pod_file": ("is", "set")},
		"th_wms_pod_file",
		order_by="creation desc",
	)
	name = url and frappe.db.get_value(
		"File",
		{"file_url": url, "attached_to_doctype": "Delivery Note", "attached_to_name": delivery_note},
		"name",
	)
	if not name:
		not_found("File", delivery_note)
	f = frappe.get_doc("File", name)
	return f.file_name, f.get_content()


# ---------------------------------------------------------------- balance and statement


def balance(user: str) -> frappe._dict:
	"""Balance due, credit limit and what is overdue, by age."""
	acc = orders.account(user)
	cfg = orders.settings()
	open_invoices = [
		rules.OpenInvoice(r.name, getdate(r.due_date or r.posting_date), flt(r.outstanding_amount))
		for r in frappe.get_all(
			"Sales Invoice",
			filters={
				"customer": acc.customer,
				"company": cfg.company,
				"docstatus": 1,
				"outstanding_amount": (">", 0),
			},
			fields=["name", "due_date", "posting_date", "outstanding_amount"],
		)
	]
	late = rules.overdue(open_invoices, getdate(nowdate()))
	return frappe._dict(
		acc,
		overdue=late.overdue,
		buckets=[frappe._dict(label=k, amount=v) for k, v in late.buckets],
		overdue_invoices=[
			frappe._dict(name=i.name, due_date=i.due_date, outstanding=i.outstanding) for i in late.invoices
		],
		available_credit=max(0.0, acc.credit_limit - acc.outstanding) if acc.credit_limit else None,
	)


def confirmations(customer: str, limit: int = 10) -> list[frappe._dict]:
	return frappe.get_all(
		"Mall Statement Confirmation",
		filters={"customer": customer},
		fields=["name", "from_date", "to_date", "status", "closing_balance", "creation"],
		order_by="creation desc",
		limit_page_length=limit,
	)


def confirm_statement(user: str, from_date, to_date, status: str, comment: str | None) -> frappe._dict:
	"""The buyer confirms or disputes the statement of a period: a Mall Statement Confirmation
	with the ledger's opening and closing balance, for the accountant in the desk."""
	try:
		start, end = getdate(from_date), getdate(to_date)
	except Exception:
		start = end = None
	if not start or not end:
		frappe.throw(_("Choose the statement's first and last day."), frappe.ValidationError)
	problems = rules.check_confirmation(status, comment or "", start, end, getdate(nowdate()))
	if problems:
		raise CartRejected(problems)
	s = orders.statement(user, start, end)
	cfg = orders.settings()
	doc = frappe.get_doc(
		{
			"doctype": "Mall Statement Confirmation",
			"customer": s.customer,
			"company": cfg.company,
			"currency": frappe.get_cached_value("Company", cfg.company, "default_currency"),
			"from_date": start,
			"to_date": end,
			"opening_balance": s.opening,
			"closing_balance": s.closing,
			"status": status,
			# stored escaped: the desk shows a Small Text as HTML
			"buyer_comment": escape_html((comment or "").strip()) or None,
			"submitted_by": user,
			"submitted_on": now_datetime(),
		}
	)
	doc.insert(ignore_permissions=True)  # a buyer has no desk rights; their own customer, above
	return frappe._dict(name=doc.name, status=doc.status, closing_balance=doc.closing_balance)


def has_website_permission(doc, ptype=None, user=None, verbose=False) -> bool:
	"""A buyer reads (and prints) their own customer's statement confirmations."""
	user = user or frappe.session.user
	if user == "Guest" or ptype not in (None, "read", "print"):
		return False
	try:
		return doc.customer == orders.customer_of(user)
	except frappe.PermissionError:
		frappe.clear_last_message()
		return False


def b2b_mall_statement(doc) -> frappe._dict:
	"""Jinja (print format): the ledger lines of a confirmation's customer and period, as now."""
	customer, company = doc.customer, doc.company
	base = {"party_type": "Customer", "party": customer, "company": company, "is_cancelled": 0}
	rows = frappe.get_all(
		"GL Entry",
		filters={**base, "posting_date": ("between", [doc.from_date, doc.to_date])},
		fields=["posting_date", "voucher_type", "voucher_no", "sum(debit) as debit", "sum(credit) as credit"],
		group_by="posting_date, voucher_type, voucher_no",
		order_by="posting_date, creation",
	)
	after, closing = rules.running_balance(
		flt(doc.opening_balance), [(flt(r.debit), flt(r.credit)) for r in rows]
	)
	for r, b in zip(rows, after, strict=True):
		r.balance = b
	return frappe._dict(rows=rows, closing=closing, changed=abs(closing - flt(doc.closing_balance)) > 0.005)


# ---------------------------------------------------------------- loyalty points


DEFAULT_POINTS_SHARE = 20.0


def max_share() -> float:
	"""B2B Mall Settings' share of an order points may pay (percent); never saved: the default 20."""
	value = frappe.get_cached_doc("B2B Mall Settings").get("points_max_share")
	return DEFAULT_POINTS_SHARE if value is None else flt(value)


def redeemed_on(sales_order: str, exclude: str | None = None) -> int:
	"""Points already redeemed on the order's submitted invoices (other than `exclude`)."""
	return cint(
		frappe.db.sql(
			"""select coalesce(sum(si.loyalty_points), 0) from `tabSales Invoice` si
			where si.redeem_loyalty_points = 1 and si.docstatus = 1 and si.name != %(exclude)s
				and exists (select 1 from `tabSales Invoice Item` i
					where i.parent = si.name and i.sales_order = %(so)s)""",
			{"so": sales_order, "exclude": exclude or ""},
		)[0][0]
	)


def pending_points(customer: str) -> int:
	"""Points asked for on the customer's open orders and not yet redeemed on their invoices."""
	asked = frappe.get_all(
		"Sales Order",
		filters={
			"customer": customer,
			"docstatus": 1,
			"th_b2b_redeem_points": (">", 0),
			"status": ("not in", ["Closed", "Completed"]),
		},
		fields=["name", "th_b2b_redeem_points"],
	)
	return sum(max(0, cint(so.th_b2b_redeem_points) - redeemed_on(so.name)) for so in asked)


def program_of(customer: str) -> str | None:
	return frappe.db.get_value("Customer", customer, "loyalty_program")


def points_of(customer: str, company: str) -> rules.Points | None:
	program = program_of(customer)
	if not program:
		return None
	d = get_loyalty_program_details_with_points(customer, program, company=company, silent=True)
	return rules.Points(
		balance=cint(d.loyalty_points),
		pending=pending_points(customer),
		factor=flt(d.conversion_factor),
		max_share=max_share(),
	)


def points_summary(user: str) -> frappe._dict:
	customer = orders.customer_of(user)
	cfg = orders.settings()
	p = points_of(customer, cfg.company)
	if not p:
		return frappe._dict(enrolled=False, customer=customer)
	return frappe._dict(
		enrolled=True,
		customer=customer,
		program=program_of(customer),
		balance=p.balance,
		pending=p.pending,
		available=p.available,
		factor=p.factor,
		value=round(p.available * p.factor, 2),
		max_share=p.max_share,
		currency=frappe.get_cached_value("Company", cfg.company, "default_currency"),
	)


def points_history(user: str, limit: int = 100) -> list[frappe._dict]:
	"""ERPNext's Loyalty Point Entries of the buyer's customer: earned (+) and redeemed (−)."""
	customer = orders.customer_of(user)
	rows = frappe.get_all(
		"Loyalty Point Entry",
		filters={"customer": customer},
		fields=[
			"posting_date",
			"loyalty_points",
			"invoice_type",
			"invoice",
			"expiry_date",
			"purchase_amount",
		],
		order_by="posting_date desc, creation desc",
		limit_page_length=limit,
	)
	for r in rows:
		r.kind = _("Earned") if cint(r.loyalty_points) > 0 else _("Redeemed")
	return rows


def check_redemption(so, customer: str, company: str, points: int) -> None:
	"""At checkout (under the customer's lock): the points are the buyer's to spend and within the
	settings' share of the order; recorded on the Sales Order for its invoices to redeem."""
	if not points:
		return
	p = points_of(customer, company) or rules.Points(0, 0, 0, 0)
	problems = rules.check_redemption(points, p, flt(so.grand_total))
	if problems:
		raise CartRejected(problems)
	so.th_b2b_redeem_points = cint(points)


def redeem_on_invoice(doc, method=None) -> None:
	"""Sales Invoice before_validate: an invoice of an order whose buyer asked to redeem points at
	checkout redeems them the way ERPNext does (redeem_loyalty_points, loyalty_points,
	loyalty_amount; ERPNext validates them, books the redemption and its Loyalty Point Entry).
	Several invoices of one order redeem the request once between them; an invoice redeems at most
	what it is worth and what the customer still has."""
	if doc.is_return or doc.get("is_consolidated") or doc.docstatus == 2:
		return
	orders_ = sorted({i.sales_order for i in doc.items if i.get("sales_order")})
	if not orders_:
		return
	asked = frappe.get_all(
		"Sales Order",
		filters={"name": ("in", orders_), "th_b2b_redeem_points": (">", 0), "customer": doc.customer},
		fields=["name", "th_b2b_redeem_points"],
	)
	if not asked:
		return
	program = doc.loyalty_program or program_of(doc.customer)
	if not program:
		return
	d = get_loyalty_program_details_with_points(
		doc.customer, program, expiry_date=doc.posting_date, company=doc.company, silent=True
	)
	doc.calculate_taxes_and_totals()
	total = (
		flt(doc.grand_total) if doc.is_rounded_total_disabled() else flt(doc.rounded_total or doc.grand_total)
	)
	remaining = sum(max(0, cint(so.th_b2b_redeem_points) - redeemed_on(so.name, doc.name)) for so in asked)
	n = rules.points_for_invoice(remaining, 0, cint(d.loyalty_points), flt(d.conversion_factor), total)
	if n <= 0:
		return
	doc.loyalty_program = program
	doc.redeem_loyalty_points = 1
	doc.loyalty_points = n
	doc.loyalty_amount = flt(n * flt(d.conversion_factor), doc.precision("loyalty_amount"))
