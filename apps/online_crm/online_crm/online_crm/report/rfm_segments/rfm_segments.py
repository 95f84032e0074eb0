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
	rows = frappe.db.sql(
		"""select th_crm_segment as segment, count(*) as customers,
			avg(th_crm_recency_days) as recency, avg(th_crm_frequency) as frequency,
			sum(th_crm_monetary) as monetary, sum(th_crm_churn_risk = 'High') as high_risk
		from `tabCustomer` where ifnull(th_crm_segment, '') != '' group by th_crm_segment""",
		as_dict=True,
	)
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
