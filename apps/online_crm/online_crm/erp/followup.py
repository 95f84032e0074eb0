"""Churn follow-up on the site: a Medium or High churn warning becomes one ToDo for the customer's
Account Manager (or Online CRM Settings' churn owner), with the party's history and a suggested
action. The warning's key is kept on the Customer, so recomputing the scores never opens a second
task for the same warning; a new warning supersedes (cancels) the earlier open task.
"""

from datetime import date

import frappe
from frappe import _
from frappe.utils import add_days, escape_html, fmt_money

from online_crm.core import followup


def open_follow_ups(warned: list[tuple[str, object, object]], as_of: date) -> list[str]:
	"""warned: (customer, Score, ChurnWarning or None) for each scored customer; answers the new ToDos."""
	candidates = [(c, sc, w) for c, sc, w in warned if w is not None and w.level in followup.FOLLOW_UP_LEVELS]
	if not candidates:
		return []
	state = {
		r.name: r
		for r in frappe.get_all(
			"Customer",
			filters={"name": ("in", [c for c, _sc, _w in candidates])},
			fields=["name", "customer_name", "account_manager", "th_crm_churn_key", "th_crm_churn_todo"],
		)
	}
	fallback = frappe.db.get_single_value("Online CRM Settings", "churn_owner")
	made = []
	for customer, sc, warning in candidates:
		row = state.get(customer)
		if row is None:
			continue
		todo = followup.follow_up(
			customer, warning.level, sc.measures.last_purchase, sc.m, row.th_crm_churn_key
		)
		owner = row.account_manager or fallback
		if todo is None or not owner:
			continue
		made.append(_make_todo(row, sc, warning, todo, owner, as_of))
	return made


def _make_todo(row, sc, warning, todo: followup.FollowUp, owner: str, as_of: date) -> str:
	if row.th_crm_churn_todo and frappe.db.get_value("ToDo", row.th_crm_churn_todo, "status") == "Open":
		old = frappe.get_doc("ToDo", row.th_crm_churn_todo)
		old.status = "Cancelled"
		old.save(ignore_permissions=True)
	doc = frappe.get_doc(
		{
			"doctype": "ToDo",
			"allocated_to": owner,
			"assigned_by": "Administrator",
			"reference_type": "Customer",
			"reference_name": row.name,
			"priority": todo.priority,
			"date": add_days(as_of, 2 if todo.priority == "High" else 7),
			"description": description(row, sc, warning, todo),
		}
	)
	doc.insert(ignore_permissions=True)
	frappe.db.set_value(
		"Customer",
		row.name,
		{"th_crm_churn_key": todo.key, "th_crm_churn_todo": doc.name},
		update_modified=False,
	)
	return doc.name


def description(row, sc, warning, todo: followup.FollowUp) -> str:
	currency = frappe.db.get_default("currency")
	m = sc.measures
	invoices = frappe.get_all(
		"Sales Invoice",
		filters={"customer": row.name, "docstatus": 1},
		fields=["name", "posting_date", "base_grand_total", "th_channel", "is_return"],
		order_by="posting_date desc, name desc",
		limit=5,
	)
	lines = "".join(
		"<li>{} {} · {} · {}{}</li>".format(
			escape_html(str(i.posting_date)),
			escape_html(i.name),
			escape_html(fmt_money(i.base_grand_total, currency=currency)),
			escape_html(i.th_channel or _("Desk")),
			" · " + escape_html(_("return")) if i.is_return else "",
		)
		for i in invoices
	)
	return (
		"<p><b>{title}</b></p><p>{reason}</p><p><b>{suggest}:</b> {action}</p>"
		"<p>{segment}: {seg} · R{r} F{f} M{mm} · {purchases}: {n} · {spend}: {money} · {last}: {day}</p>"
		"<p>{recent}:</p><ul>{lines}</ul>"
	).format(
		title=escape_html(
			_("Churn warning ({0}) for {1}").format(_(warning.level), row.customer_name or row.name)
		),
		reason=escape_html(warning.reason),
		suggest=escape_html(_("Suggested action")),
		action=escape_html(_(followup.ACTIONS[todo.action])),
		segment=escape_html(_("Segment")),
		seg=escape_html(_(sc.segment)),
		r=sc.r,
		f=sc.f,
		mm=sc.m,
		purchases=escape_html(_("Purchases")),
		n=m.frequency,
		spend=escape_html(_("Net spend")),
		money=escape_html(fmt_money(m.monetary, currency=currency)),
		last=escape_html(_("Last purchase")),
		day=escape_html(str(m.last_purchase)),
		recent=escape_html(_("Latest invoices")),
		lines=lines,
	)
