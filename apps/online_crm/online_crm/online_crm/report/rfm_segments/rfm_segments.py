"""Customers per RFM segment, with their average recency, frequency and spend, and churn risk."""

import frappe
from frappe import _

from online_crm.core.rfm import SEGMENTS


def execute(filters=None):
	columns = [
		{"fieldname": "segment", "label": _("Segment"), "fieldtype": "Data", "width": 180},
		{"fieldname": "customers", "label": _("Customers"), "fieldtype": "Int", "width": 110},
		{"fieldname": "recency", "label": _("Avg. Recency (days)"), "fieldtype": "Float", "width": 150},
		{"fieldname": "frequency", "label": _("Avg. Frequency"), "fieldtype": "Float", "width": 130},
		{"fieldname": "monetary", "label": _("Total Monetary"), "fieldtype": "Currency", "width": 150},
		{"fieldname": "high_risk", "label": _("High Churn Risk"), "fieldtype": "Int", "width": 130},
	]
	# frappe.get_list applies the user's role and User Permissions on Customer (company, group,
	# territory …): a user restricted to some customers sees only their figures
	segmented = {"th_crm_segment": ("is", "set")}
	rows = frappe.get_list(
		"Customer",
		filters=segmented,
		fields=[
			"th_crm_segment as segment",
			"count(name) as customers",
			"avg(th_crm_recency_days) as recency",
			"avg(th_crm_frequency) as frequency",
			"sum(th_crm_monetary) as monetary",
		],
		group_by="th_crm_segment",
		order_by="th_crm_segment",
	)
	high = dict(
		frappe.get_list(
			"Customer",
			filters={**segmented, "th_crm_churn_risk": "High"},
			fields=["th_crm_segment", "count(name) as n"],
			group_by="th_crm_segment",
			order_by="th_crm_segment",
			as_list=True,
		)
	)
	for r in rows:
		r.high_risk = high.get(r.segment, 0)
	order = {rule.name: i for i, rule in enumerate(SEGMENTS)}
	data = sorted(rows, key=lambda r: order.get(r.segment, len(order)))
	chart = {
		"data": {
			"labels": [_(r.segment) for r in data],
			"datasets": [{"name": _("Customers"), "values": [r.customers for r in data]}],
		},
		"type": "bar",
	}
	return columns, data, None, chart
