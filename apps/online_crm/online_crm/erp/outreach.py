"""Sending a CRM Outreach: the audience frozen into one recipient row per customer, then each row
sent once, in a background job that can be started again after an interruption.

1. `freeze`: the audience (segments, tags, channel) minus the Party Blacklist (rows "Skipped" with
   the reason) and minus the hold-out (rows "Held Out": core.audiences.holdout_split, a hash of
   campaign and customer). Rows carry a unique key (outreach|customer): a customer has one row.
2. `run`: every "Pending" row, locked, gets its coupon, its rendered message and is sent.
   An e-mail is put in the Email Queue in the same transaction that marks the row "Sent": both
   commit or neither does. An SMS leaves the building before the commit, so the row is marked
   "Sending" and committed first; a row found "Sending" after an interruption is marked
   "Failed" and never sent again — a missed text rather than a double one.
3. Progress goes to the open form (`frappe.publish_progress`) and into the Progress field.
"""

import frappe
from frappe import _
from frappe.utils import cint, flt, getdate, now_datetime, nowdate

from online_crm.core import reminders as means_rules
from online_crm.core.audiences import audience, contactables, holdout_split
from online_crm.core.outreach import MessageError, render
from online_crm.erp.audiences import tags_of
from online_crm.erp.blacklist import blocked_customers
from online_crm.erp.messaging import SendError, customer_contact, html_body, send_email, send_sms

RECIPIENT = "CRM Outreach Recipient"
MEANS = {
	"E-mail": means_rules.EMAIL_ONLY,
	"SMS": means_rules.SMS_ONLY,
	"SMS, else e-mail": means_rules.SMS_FIRST,
	"E-mail, else SMS": means_rules.EMAIL_FIRST,
}
BATCH = 20  # rows between progress reports and commits


def lines(text: str | None) -> list[str]:
	return [t.strip() for t in (text or "").replace(",", "\n").split("\n") if t.strip()]


def recipient_key(outreach: str, customer: str) -> str:
	return f"{outreach}|{customer}"


def audience_of(doc) -> tuple[list[tuple[str, str]], dict[str, str]]:
	"""([(customer, segment)] chosen, {customer: blacklist reason}) — before the hold-out."""
	rows = frappe.get_all(
		"Customer",
		filters={"th_crm_segment": ("is", "set"), "disabled": 0},
		fields=["name", "th_crm_segment", "_user_tags"],
	)
	segment_of = {r.name: r.th_crm_segment for r in rows}
	need = lines(doc.tags)
	if (doc.sales_channel or "").strip():
		need.append(f"channel:{doc.sales_channel.strip()}")
	chosen = audience(
		contactables(segment_of, tags={r.name: tags_of(r._user_tags) for r in rows}),
		getdate(nowdate()),
		segments=lines(doc.segments) or None,
		tags_all=need,
	).customers
	blocked = blocked_customers()
	return [(c, segment_of[c]) for c in chosen], {c: blocked[c] for c in chosen if c in blocked}


def freeze(doc) -> None:
	"""One recipient row per customer of the audience; nothing happens when rows exist already."""
	if frappe.db.exists(RECIPIENT, {"outreach": doc.name}):
		return
	chosen, blocked = audience_of(doc)
	open_ = [c for c, _seg in chosen if c not in blocked]
	contacted, held = holdout_split(open_, doc.name, flt(doc.holdout_percent) / 100)
	status = {**dict.fromkeys(contacted, "Pending"), **dict.fromkeys(held, "Held Out")}
	status.update(dict.fromkeys(blocked, "Skipped"))
	for customer, segment in chosen:
		frappe.get_doc(
			{
				"doctype": RECIPIENT,
				"outreach": doc.name,
				"customer": customer,
				"segment": segment,
				"status": status[customer],
				"reason": _("Blacklisted: {0}").format(blocked[customer]) if customer in blocked else None,
				"recipient_key": recipient_key(doc.name, customer),
			}
		).insert(ignore_permissions=True)
	doc.db_set(
		{
			"audience_size": len(chosen),
			"contacted_count": len(contacted),
			"holdout_count": len(held),
			"blacklisted_count": len(blocked),
			"sent_on": now_datetime(),
		}
	)


def no_address_reason(send_by: str) -> str:
	if send_by == "SMS":
		return _("No mobile number")
	if send_by == "E-mail":
		return _("No e-mail address")
	return _("No mobile number or e-mail address")


def _shared_coupon(doc) -> str:
	if doc.shared_coupon:
		return doc.shared_coupon
	name = _coupon(doc, f"{doc.name}-ALL", customer=None)
	doc.db_set("shared_coupon", name)
	return name


def _coupon(doc, coupon_name: str, customer: str | None) -> str:
	"""An ERPNext Coupon Code on the outreach's Pricing Rule: a one-use Gift Card for one customer,
	or a Promotional code for everyone. Found again by its name after an interruption."""
	if frappe.db.exists("Coupon Code", coupon_name):
		return coupon_name
	c = frappe.get_doc(
		{
			"doctype": "Coupon Code",
			"coupon_name": coupon_name,
			"coupon_type": "Gift Card" if customer else "Promotional",
			"customer": customer,
			"coupon_code": frappe.generate_hash(length=10).upper(),
			"pricing_rule": doc.pricing_rule,
			"valid_from": nowdate(),
			"valid_upto": doc.coupon_valid_upto,
			"maximum_use": 1 if customer else 0,
			"description": doc.title,
		}
	)
	c.insert(ignore_permissions=True)
	return c.name


def _progress(doc, done: int, total: int) -> None:
	text = _("{0} of {1} sent").format(done, total)
	doc.db_set("progress", text, update_modified=False)
	frappe.publish_progress(
		done * 100 / total if total else 100,
		title=_("Sending {0}").format(doc.title),
		doctype=doc.doctype,
		docname=doc.name,
		description=text,
	)


def _send_one(doc, row: str, commit: bool) -> str:
	"""Send one recipient row if it is still Pending; answer its status afterwards."""
	r = frappe.db.sql(
		f"select name, customer, segment, status from `tab{RECIPIENT}` where name = %s for update",
		row,
		as_dict=True,
	)[0]
	if r.status != "Pending":
		return r.status
	email, mobile = customer_contact(r.customer)
	means, address = means_rules.route(MEANS[doc.send_by], email, mobile)
	if means is None:
		frappe.db.set_value(RECIPIENT, row, {"status": "Skipped", "reason": no_address_reason(doc.send_by)})
		return "Skipped"
	frappe.db.savepoint("crm_outreach_row")
	try:
		coupon = ""
		if doc.give_coupon:
			name = (
				_shared_coupon(doc)
				if doc.coupon_mode == "One shared code"
				else _coupon(doc, f"{doc.name}-{row}", r.customer)
			)
			coupon = frappe.db.get_value("Coupon Code", name, "coupon_code")
		context = {
			"customer": r.customer,
			"customer_name": frappe.db.get_value("Customer", r.customer, "customer_name") or r.customer,
			"segment": r.segment or "",
			"coupon_code": coupon,
			"campaign": doc.title,
		}
		values = {
			"means": "E-mail" if means == "email" else "SMS",
			"address": address,
			"sent_at": now_datetime(),
		}
		if coupon:
			values["coupon_code"] = name
		if means == "email":
			subject = render(doc.subject or doc.title, context)
			send_email(
				address, subject, html_body(render(doc.message, context, html=True)), doc.doctype, doc.name
			)
		else:
			text = render(doc.message, context)
			frappe.db.set_value(RECIPIENT, row, {**values, "status": "Sending"})
			if commit:
				frappe.db.commit()  # a crash after this point must not send it again
				frappe.db.savepoint("crm_outreach_row")  # the commit released the first one
			send_sms(address, text)
		frappe.db.set_value(RECIPIENT, row, {**values, "status": "Sent", "reason": None})
		return "Sent"
	except (MessageError, SendError) as e:
		frappe.db.rollback(save_point="crm_outreach_row")
		frappe.db.set_value(RECIPIENT, row, {"status": "Failed", "reason": str(e)[:500]})
		doc.db_set("last_error", f"{r.customer}: {e}"[:500], update_modified=False)
		return "Failed"
	except BaseException:
		frappe.db.rollback(save_point="crm_outreach_row")
		raise


def run(name: str, commit: bool = True) -> None:
	"""The background job: freeze the audience once, then send every Pending row."""
	doc = frappe.get_doc("CRM Outreach", name)
	doc.db_set("status", "Sending", update_modified=False)
	freeze(doc)
	interrupted = frappe.get_all(RECIPIENT, {"outreach": name, "status": "Sending"}, pluck="name")
	for row in interrupted:
		frappe.db.set_value(
			RECIPIENT,
			row,
			{"status": "Failed", "reason": _("interrupted while the SMS was being sent: not sent again")},
		)
	if commit:
		frappe.db.commit()
	rows = frappe.get_all(
		RECIPIENT, {"outreach": name, "status": "Pending"}, pluck="name", order_by="customer"
	)
	done_before = frappe.db.count(
		RECIPIENT, {"outreach": name, "status": ("in", ("Sent", "Failed", "Skipped"))}
	)
	total = done_before + len(rows)
	_progress(doc, done_before, total)
	for i, row in enumerate(rows, start=1):
		_send_one(doc, row, commit)
		if i % BATCH == 0 or i == len(rows):
			_progress(doc, done_before + i, total)
			if commit:
				frappe.db.commit()
	counts = dict(
		frappe.db.sql(
			f"select status, count(*) from `tab{RECIPIENT}` where outreach = %s group by status", name
		)
	)
	doc.db_set(
		{
			"status": "Sent",
			"sent_count": cint(counts.get("Sent")),
			"failed_count": cint(counts.get("Failed")),
			"no_address_count": cint(counts.get("Skipped")) - cint(doc.blacklisted_count),
		}
	)
	if commit:
		frappe.db.commit()
	frappe.publish_realtime(
		"crm_outreach_done", {"name": name}, doctype=doc.doctype, docname=name, after_commit=True
	)


def enqueue(doc) -> None:
	frappe.enqueue(
		"online_crm.erp.outreach.run",
		queue="long",
		timeout=3600,
		job_id=f"crm-outreach::{doc.name}",
		deduplicate=True,
		enqueue_after_commit=True,
		name=doc.name,
	)
