"""催付 and logistics reminders on the site: the scheduler runs every enabled CRM Reminder Rule.

Candidates per kind (core.reminders has the rules):

* unpaid marketplace orders — omni_channel's Channel Order Logs whose latest payload says the
  order is unpaid (the platform's payment state), with a Sales Order not cancelled; the buyer's
  e-mail and phone come from the payload. Logged on the Sales Order.
* overdue invoices — submitted Sales Invoices with money outstanding past their due date;
  the invoice's contact, else the customer's. Logged on the Sales Invoice.
* shipped, not delivered — submitted Delivery Notes whose stop on a Delivery Trip is not
  visited (or that are on no trip); logged on the Sales Order they deliver (else the note).

A reminder is claimed by inserting its CRM Reminder Log (unique key rule|doctype|name) before
anything is sent, so two runs never send the same reminder; the order gets a Comment.
"""

import json
from datetime import datetime, time
from zoneinfo import ZoneInfo

import frappe
from frappe import _
from frappe.utils import (
	add_days,
	cint,
	flt,
	fmt_money,
	get_datetime,
	get_system_timezone,
	getdate,
	now_datetime,
	nowdate,
)

from online_crm.core import reminders as R
from online_crm.core.outreach import MessageError, render
from online_crm.erp.messaging import SendError, customer_contact, html_body, note_on, send_email, send_sms

LOG = "CRM Reminder Log"
LOOK_BACK_DAYS = 60  # orders older than this are not reminded any more
SAMPLE = {
	"customer_name": "Ada Lovelace",
	"order": "SO-0001",
	"amount": "¥ 128.00",
	"currency": "CNY",
	"due_date": "2026-11-30",
	"days": 3,
}


def _has_channel(doctype: str) -> bool:
	return frappe.get_meta(doctype).has_field("th_channel")


def _local(dt: datetime) -> datetime:
	if dt.tzinfo is None:
		return dt
	return dt.astimezone(ZoneInfo(get_system_timezone())).replace(tzinfo=None)


def _buyer_of(order_log: str):
	"""The canonical marketplace order of a Channel Order Log (omni_channel), or None."""
	if "omni_channel" not in frappe.get_installed_apps():
		return None
	from omni_channel import channels

	log = frappe.db.get_value("Channel Order Log", order_log, ["shop", "payload"], as_dict=True)
	if not log or not log.payload:
		return None
	platform = frappe.db.get_value("Channel Shop", log.shop, "platform")
	try:
		return channels.to_canonical(platform.lower(), json.loads(log.payload), log.shop)
	except Exception:  # a payload the mapper refuses: omni_channel shows that on the log itself
		return None


def unpaid_orders() -> list[R.Candidate]:
	if "omni_channel" not in frappe.get_installed_apps():
		return []
	out = []
	logs = frappe.get_all(
		"Channel Order Log",
		filters={
			"status": ("in", ("Created", "Held", "Review")),
			"creation": (">", add_days(now_datetime(), -LOOK_BACK_DAYS)),
		},
		fields=["name", "sales_order", "platform", "shop"],
	)
	for log in logs:
		# an unpaid order is usually held before its Sales Order exists: the reminder is then
		# about (and noted on) the order log
		doctype, name = "Channel Order Log", log.name
		if log.sales_order:
			if frappe.db.get_value("Sales Order", log.sales_order, "docstatus") == 2:
				continue
			doctype, name = "Sales Order", log.sales_order
		order = _buyer_of(log.name)
		if order is None or order.payment_state != "unpaid" or order.status == "cancelled":
			continue
		if order.cash_on_delivery:
			continue  # the buyer pays the driver: nothing to remind them of before delivery
		out.append(
			R.Candidate(
				doctype,
				name,
				_local(order.created_at),
				f"{log.platform}:{log.shop}",
				order.buyer.email or "",
				order.buyer.phone or order.ship_to.phone or "",
				{
					"customer_name": order.buyer.name or order.buyer.nick or order.ship_to.name or "",
					"order": order.name,
					"amount": fmt_money(flt(order.grand_total), currency=order.currency),
					"currency": order.currency,
					"due_date": "",
				},
			)
		)
	return out


def overdue_invoices() -> list[R.Candidate]:
	fields = [
		"name",
		"customer",
		"customer_name",
		"due_date",
		"outstanding_amount",
		"currency",
		"contact_email",
		"contact_mobile",
	]
	if _has_channel("Sales Invoice"):
		fields.append("th_channel")
	out = []
	for inv in frappe.get_all(
		"Sales Invoice",
		filters={
			"docstatus": 1,
			"is_return": 0,
			"outstanding_amount": (">", 0),
			"due_date": ("between", (add_days(nowdate(), -LOOK_BACK_DAYS), add_days(nowdate(), -1))),
		},
		fields=fields,
	):
		email, mobile = inv.contact_email or "", inv.contact_mobile or ""
		if not (email and mobile):
			e, m = customer_contact(inv.customer)
			email, mobile = email or e, mobile or m
		out.append(
			R.Candidate(
				"Sales Invoice",
				inv.name,
				datetime.combine(getdate(inv.due_date), time()),
				inv.get("th_channel") or "",
				email,
				mobile,
				{
					"customer_name": inv.customer_name,
					"order": inv.name,
					"amount": fmt_money(inv.outstanding_amount, currency=inv.currency),
					"currency": inv.currency,
					"due_date": str(inv.due_date),
				},
			)
		)
	return out


def undelivered_shipments() -> list[R.Candidate]:
	fields = [
		"name",
		"customer",
		"customer_name",
		"posting_date",
		"posting_time",
		"contact_email",
		"contact_mobile",
		"grand_total",
		"currency",
	]
	if _has_channel("Delivery Note"):
		fields.append("th_channel")
	notes = frappe.get_all(
		"Delivery Note",
		filters={
			"docstatus": 1,
			"is_return": 0,
			"status": ("!=", "Closed"),
			"posting_date": (">", add_days(nowdate(), -LOOK_BACK_DAYS)),
		},
		fields=fields,
	)
	if not notes:
		return []
	delivered = set(
		frappe.get_all(
			"Delivery Stop",
			filters={"delivery_note": ("in", [n.name for n in notes]), "visited": 1, "docstatus": ("<", 2)},
			pluck="delivery_note",
		)
	)
	out = []
	for dn in notes:
		if dn.name in delivered:
			continue
		so = frappe.db.get_value(
			"Delivery Note Item",
			{"parent": dn.name, "against_sales_order": ("is", "set")},
			"against_sales_order",
		)
		email, mobile, name = dn.contact_email or "", dn.contact_mobile or "", dn.customer_name
		log = (
			so
			and frappe.get_meta("Sales Order").has_field("th_omni_order_log")
			and frappe.db.get_value("Sales Order", so, "th_omni_order_log")
		)
		if log:
			order = _buyer_of(log)
			if order is not None:  # a marketplace order: the buyer, not the shop's customer
				email, mobile = order.buyer.email or "", order.buyer.phone or order.ship_to.phone or ""
				name = order.buyer.name or order.buyer.nick or order.ship_to.name or name
		elif not (email and mobile):
			e, m = customer_contact(dn.customer)
			email, mobile = email or e, mobile or m
		shipped = get_datetime(f"{dn.posting_date} {dn.posting_time or '00:00:00'}")
		out.append(
			R.Candidate(
				"Sales Order" if so else "Delivery Note",
				so or dn.name,
				shipped,
				dn.get("th_channel") or "",
				email,
				mobile,
				{
					"customer_name": name,
					"order": so or dn.name,
					"amount": fmt_money(dn.grand_total, currency=dn.currency),
					"currency": dn.currency,
					"due_date": "",
					"shipment": dn.name,
				},
			)
		)
	return out


FINDERS = {R.UNPAID: unpaid_orders, R.OVERDUE: overdue_invoices, R.UNDELIVERED: undelivered_shipments}
WHAT = {
	R.UNPAID: "Payment reminder",
	R.OVERDUE: "Overdue invoice reminder",
	R.UNDELIVERED: "Delivery follow-up",
}


def _send(rule, c: R.Candidate, now: datetime) -> str:
	"""Claim the reminder (its log row), send it, note it on the order; answer the log's status."""
	key = R.log_key(rule.name, c.doctype, c.name)
	if frappe.db.exists(LOG, {"reminder_key": key}):
		return ""
	log = frappe.get_doc(
		{
			"doctype": LOG,
			"rule": rule.name,
			"reference_doctype": c.doctype,
			"reference_name": c.name,
			"reminder_key": key,
		}
	)
	means, address = R.route(rule.send_by, c.email, c.phone)
	context = {**c.context, "days": max((now - c.since).days, 0)}
	what = _(WHAT[rule.kind])
	try:
		if means is None:
			log.status, log.reason = "No Contact", address
		elif means == "email":
			subject = render(rule.subject or what, context)
			send_email(
				address, subject, html_body(render(rule.message, context, html=True)), c.doctype, c.name
			)
			log.status, log.means, log.recipient = "Sent", "E-mail", address
		else:
			text = render(rule.message, context)
			log.insert(ignore_permissions=True)  # claimed before the text leaves
			send_sms(address, text)
			log.status, log.means, log.recipient = "Sent", "SMS", address
	except (MessageError, SendError) as e:
		log.status, log.reason, log.means = "Failed", str(e)[:500], "SMS" if means == "sms" else "E-mail"
	if log.is_new():
		log.insert(ignore_permissions=True)
	else:
		log.save(ignore_permissions=True)
	if log.status == "Sent":
		note = _("{0} sent by {1} to {2} (rule {3}).").format(what, log.means, address, rule.name)
	else:
		note = _("{0} not sent (rule {1}): {2}").format(what, rule.name, log.reason)
	note_on(c.doctype, c.name, note)
	return log.status


def run_rules(
	rules: list[str] | None = None, now: datetime | None = None, commit: bool = True
) -> dict[str, int]:
	"""Run the enabled rules (or these); answer how many reminders ended in each status."""
	now = now or now_datetime()
	filters = {"enabled": 1}
	if rules is not None:
		filters["name"] = ("in", rules)
	found: dict[str, list[R.Candidate]] = {}
	tally: dict[str, int] = {}
	for doc in frappe.get_all("CRM Reminder Rule", filters=filters, fields=["*"], order_by="name"):
		rule = R.Rule(doc.name, doc.kind, cint(doc.wait), doc.sales_channel or "")
		if doc.kind not in found:
			found[doc.kind] = FINDERS[doc.kind]()
		for c in R.due(rule, found[doc.kind], now):
			try:
				status = _send(doc, c, now)
			except frappe.DuplicateEntryError:
				status = ""  # another run claimed it first
			if status:
				tally[status] = tally.get(status, 0) + 1
			if commit:
				frappe.db.commit()
	return tally


def scheduled() -> None:
	"""scheduler_events: every ten minutes."""
	run_rules()
