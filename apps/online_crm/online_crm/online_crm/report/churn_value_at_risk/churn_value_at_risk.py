"""Value at risk: customers with a Medium or High churn warning, by segment and account manager —
how many, how many High, their net spend in the RFM window (what stands to be lost), and how many
churn follow-ups are still open. Read through frappe.get_list: the user's permissions apply."""

import frappe
from frappe import _
from frappe.utils import cint, flt

from online_crm.core.rfm import SEGMENTS
from online_crm.online_crm.report.rfm_segments.rfm_segments import tag_filters


def execute(filters=None):
	filters = frappe._dict(filters or {})
	columns = [
		{"fieldname": "segment", "label": _("Segment"), "fieldtype": "Data", "width": 170},
		{
			"fieldname": "account_manager",
			"label": _("Account Manager"),
			"fieldtype": "Link",
			"options": "User",
			"width": 200,
		},
		{"fieldname": "customers", "label": _("Customers at Risk"), "fieldtype": "Int", "width": 130},
		{"fieldname": "high", "label": _("High Risk"), "fieldtype": "Int", "width": 100},
		{"fieldname": "value_at_risk", "label": _("Value at Risk"), "fieldtype": "Currency", "width": 150},
		{"fieldname": "open_follow_ups", "label": _("Open Follow-ups"), "fieldtype": "Int", "width": 130},
	]
	levels = ["High"] if filters.risk == "High" else ["Medium", "High"]
	conditions = {"th_crm_segment": ("is", "set"), "th_crm_churn_risk": ("in", levels)}
	if filters.account_manager:
		conditions["account_manager"] = filters.account_manager
	customers = frappe.get_list(
		"Customer",
		filters=conditions,
		or_filters=tag_filters(filters.tag),
		fields=[
			"name",
			"th_crm_segment",
			"account_manager",
			"th_crm_churn_risk",
			"th_crm_monetary",
			"th_crm_churn_todo",
		],
		limit_page_length=0,
	)
	todos = [c.th_crm_churn_todo for c in customers if c.th_crm_churn_todo]
	open_todos = set(
		frappe.get_all("ToDo", filters={"name": ("in", todos), "status": "Open"}, pluck="name")
		if todos
		else []
	)
	groups: dict[tuple[str, str], frappe._dict] = {}
	for c in customers:
		g = groups.setdefault(
			(c.th_crm_segment, c.account_manager or ""),
			frappe._dict(
				segment=c.th_crm_segment,
				account_manager=c.account_manager,
				customers=0,
				high=0,
				value_at_risk=0.0,
				open_follow_ups=0,
			),
		)
		g.customers += 1
		g.high += cint(c.th_crm_churn_risk == "High")
		g.value_at_risk += flt(c.th_crm_monetary)
		g.open_follow_ups += cint(c.th_crm_churn_todo in open_todos)
	order = {rule.name: i for i, rule in enumerate(SEGMENTS)}
	data = sorted(groups.values(), key=lambda g: (order.get(g.segment, len(order)), g.account_manager or "~"))
	by_segment: dict[str, float] = {}
	for g in data:
		by_segment[g.segment] = by_segment.get(g.segment, 0.0) + g.value_at_risk
	chart = {
		"data": {
			"labels": [_(s) for s in by_segment],
			"datasets": [{"name": _("Value at Risk"), "values": [round(v, 2) for v in by_segment.values()]}],
		},
		"type": "bar",
		"fieldtype": "Currency",
	}
	summary = [
		{
			"value": sum(g.customers for g in data),
			"label": _("Customers at Risk"),
			"datatype": "Int",
			"indicator": "Orange",
		},
		{
			"value": sum(g.value_at_risk for g in data),
			"label": _("Value at Risk"),
			"datatype": "Currency",
			"indicator": "Red",
		},
		{
			"value": sum(g.open_follow_ups for g in data),
			"label": _("Open Follow-ups"),
			"datatype": "Int",
			"indicator": "Blue",
		},
	]
	return columns, data, None, chart, summary
