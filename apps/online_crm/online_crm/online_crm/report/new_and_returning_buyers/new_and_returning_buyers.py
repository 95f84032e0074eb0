"""New against returning buyers per month (or quarter, ISO week, year), over every channel: a buyer
is new in the period of their first purchase ever (the whole invoice history is read, so a buyer
from years ago is never taken for new) and returning in every later period they buy in; credit
notes make nobody a buyer. The counting is online_crm.core.audiences.new_vs_returning; the periods
shown are those of the chosen dates. Counts of customers only, like ERPNext's Customer Acquisition
and Loyalty report, with a stacked chart."""

import frappe
from frappe import _
from frappe.utils import add_months, getdate, nowdate

from online_crm.core.audiences import PERIODS, new_vs_returning, period_of
from online_crm.core.facts import facts_from_rows


def execute(filters=None):
	filters = frappe._dict(filters or {})
	frappe.has_permission("Customer", "read", throw=True)
	period = (filters.period or "Month").lower()
	if period not in PERIODS:
		frappe.throw(_("Period must be Month, Quarter, Week or Year."))
	to_date = getdate(filters.to_date or nowdate())
	from_date = getdate(filters.from_date or add_months(to_date, -12))
	if from_date > to_date:
		frappe.throw(_("From Date must be before To Date."))
	rows = frappe.db.sql(
		"""select customer, name as invoice, posting_date, base_net_total as net_amount, is_return
		from `tabSales Invoice` where docstatus = 1 and posting_date <= %s""",
		to_date,
		as_dict=True,
	)
	facts, _rejects = facts_from_rows(rows)
	shown = {period_of(f.posting_date, period) for f in facts if from_date <= f.posting_date <= to_date}
	counts = {k: v for k, v in new_vs_returning(facts, period).items() if k in shown}
	data = [
		{
			"period": key,
			"new": new,
			"returning": returning,
			"buyers": new + returning,
			"new_share": round(100 * new / (new + returning), 1) if new + returning else 0,
		}
		for key, (new, returning) in sorted(counts.items())
	]
	columns = [
		{"fieldname": "period", "label": _("Period"), "fieldtype": "Data", "width": 120},
		{"fieldname": "new", "label": _("New Buyers"), "fieldtype": "Int", "width": 120},
		{"fieldname": "returning", "label": _("Returning Buyers"), "fieldtype": "Int", "width": 140},
		{"fieldname": "buyers", "label": _("Buyers"), "fieldtype": "Int", "width": 100},
		{"fieldname": "new_share", "label": _("New %"), "fieldtype": "Percent", "width": 100},
	]
	chart = {
		"data": {
			"labels": [d["period"] for d in data],
			"datasets": [
				{"name": _("New Buyers"), "values": [d["new"] for d in data]},
				{"name": _("Returning Buyers"), "values": [d["returning"] for d in data]},
			],
		},
		"type": "bar",
		"barOptions": {"stacked": 1},
		"colors": ["#2e7d32", "#1d4ed8"],
	}
	summary = [
		{
			"value": sum(d["new"] for d in data),
			"label": _("New Buyers"),
			"datatype": "Int",
			"indicator": "Green",
		},
		{
			"value": len(
				{f.customer for f in facts if from_date <= f.posting_date <= to_date and not f.is_return}
			),
			"label": _("Buyers"),
			"datatype": "Int",
			"indicator": "Blue",
		},
	]
	return columns, data, None, chart, summary
