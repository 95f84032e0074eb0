"""What a CRM Outreach did: purchase rate and spend per customer of the contacted group against
the hold-out, in the days after it was sent, from submitted Sales Invoices (returns subtract);
the lifts with 95% confidence intervals (core.outreach)."""

import frappe
from frappe import _
from frappe.utils import add_days, cint, flt, getdate, nowdate

from online_crm.core.facts import facts_from_rows
from online_crm.core.outreach import buyers, conversion_lift, spend_lift, spend_per_customer


def _pct(x):
	return None if x is None else round(100 * x, 2)


def execute(filters=None):
	filters = frappe._dict(filters or {})
	if not filters.outreach:
		return [], [], _("Choose an outreach.")
	frappe.has_permission("CRM Outreach", "read", filters.outreach, throw=True)
	doc = frappe.get_doc("CRM Outreach", filters.outreach)
	columns = [
		{"fieldname": "group", "label": _("Group"), "fieldtype": "Data", "width": 140},
		{"fieldname": "customers", "label": _("Customers"), "fieldtype": "Int", "width": 110},
		{"fieldname": "buyers", "label": _("Bought"), "fieldtype": "Int", "width": 100},
		{"fieldname": "conversion", "label": _("Conversion %"), "fieldtype": "Percent", "width": 120},
		{"fieldname": "spend", "label": _("Spend per Customer"), "fieldtype": "Currency", "width": 160},
		{"fieldname": "total", "label": _("Net Spend"), "fieldtype": "Currency", "width": 140},
	]
	if not doc.sent_on:
		return columns, [], _("This outreach has not been sent yet.")
	groups = {
		status: frappe.get_list(  # User Permissions on Customer apply
			"CRM Outreach Recipient",
			filters={"outreach": doc.name, "status": status},
			pluck="customer",
			limit_page_length=0,
		)
		for status in ("Sent", "Held Out")
	}
	start = getdate(doc.sent_on)
	end = min(add_days(start, cint(filters.window_days) or 30), getdate(nowdate()))
	everyone = groups["Sent"] + groups["Held Out"]
	rows = (
		frappe.get_all(
			"Sales Invoice",
			filters={"docstatus": 1, "customer": ("in", everyone), "posting_date": ("between", (start, end))},
			fields=[
				"customer",
				"name as invoice",
				"posting_date",
				"base_net_total as net_amount",
				"is_return",
			],
		)
		if everyone
		else []
	)
	facts, _rejects = facts_from_rows(rows)
	data, stats = [], {}
	for status, label in (("Sent", _("Contacted")), ("Held Out", _("Hold-out"))):
		members = groups[status]
		spend = spend_per_customer(facts, members, start, end)
		bought = buyers(facts, members, start, end)
		total = sum(spend.values())
		stats[status] = (len(bought), len(members), list(spend.values()))
		data.append(
			{
				"group": label,
				"customers": len(members),
				"buyers": len(bought),
				"conversion": _pct(len(bought) / len(members)) if members else None,
				"spend": flt(total / len(members), 2) if members else None,
				"total": flt(total, 2),
			}
		)
	conv = conversion_lift(stats["Sent"][0], stats["Sent"][1], stats["Held Out"][0], stats["Held Out"][1])
	spend = spend_lift(stats["Sent"][2], stats["Held Out"][2])

	def ci(low, high, percent):
		if low is None:
			return _("not enough customers in a group")
		return f"{_pct(low)}% … {_pct(high)}%" if percent else f"{flt(low, 2)} … {flt(high, 2)}"

	summary = [
		{
			"label": _("Conversion Lift (points)"),
			"value": _pct(conv.difference),
			"datatype": "Float",
			"indicator": "Green" if conv.significant and conv.difference > 0 else "Grey",
		},
		{"label": _("Conversion Lift 95% CI"), "value": ci(conv.low, conv.high, True), "datatype": "Data"},
		{
			"label": _("Spend Lift per Customer"),
			"value": flt(spend.difference, 2),
			"datatype": "Float",
			"indicator": "Green" if spend.significant and spend.difference > 0 else "Grey",
		},
		{"label": _("Spend Lift 95% CI"), "value": ci(spend.low, spend.high, False), "datatype": "Data"},
	]
	chart = {
		"data": {
			"labels": [d["group"] for d in data],
			"datasets": [{"name": _("Conversion %"), "values": [d["conversion"] or 0 for d in data]}],
		},
		"type": "bar",
		"colors": ["#2563eb"],
	}
	message = _("Invoices from {0} to {1}; the interval is the difference ± 1.96 standard errors.").format(
		start, end
	)
	return columns, data, message, chart, summary
