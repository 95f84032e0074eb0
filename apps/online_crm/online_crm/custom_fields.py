"""Custom fields online_crm adds to ERPNext doctypes (see install.py).

The RFM figures, segment and churn warning live on the Customer, in their own tab, where a
desk user sees them; they are recomputed from submitted Sales Invoices of every channel.
"""

SHARED_WITH: tuple[str, ...] = ()
SHARED_FIELDNAMES: frozenset[str] = frozenset()


def _ro(fieldname: str, label: str, fieldtype: str, after: str, **extra) -> dict:
	return {
		"fieldname": fieldname,
		"label": label,
		"fieldtype": fieldtype,
		"insert_after": after,
		"read_only": 1,
		"no_copy": 1,
		**extra,
	}


CUSTOM_FIELDS: dict[str, list[dict]] = {
	"Customer": [
		{"fieldname": "th_crm_tab", "label": "RFM", "fieldtype": "Tab Break", "insert_after": "portal_users"},
		_ro("th_crm_segment", "Segment", "Data", "th_crm_tab", in_standard_filter=1),
		_ro("th_crm_churn_risk", "Churn Risk", "Select", "th_crm_segment", options="\nLow\nMedium\nHigh"),
		_ro("th_crm_churn_reason", "Churn Reason", "Small Text", "th_crm_churn_risk"),
		_ro("th_crm_churn_todo", "Churn Follow-up", "Link", "th_crm_churn_reason", options="ToDo"),
		_ro("th_crm_churn_key", "Churn Warning Followed Up", "Data", "th_crm_churn_todo", hidden=1),
		_ro("th_crm_scored_on", "Scored On", "Date", "th_crm_churn_key"),
		{"fieldname": "th_crm_cb1", "fieldtype": "Column Break", "insert_after": "th_crm_scored_on"},
		_ro("th_crm_recency_days", "Recency (days)", "Int", "th_crm_cb1"),
		_ro("th_crm_frequency", "Frequency (invoices)", "Int", "th_crm_recency_days"),
		_ro("th_crm_monetary", "Monetary (net)", "Currency", "th_crm_frequency"),
		{"fieldname": "th_crm_cb2", "fieldtype": "Column Break", "insert_after": "th_crm_monetary"},
		_ro("th_crm_r_score", "R Score", "Int", "th_crm_cb2"),
		_ro("th_crm_f_score", "F Score", "Int", "th_crm_r_score"),
		_ro("th_crm_m_score", "M Score", "Int", "th_crm_f_score"),
		{
			"fieldname": "th_crm_platform_id",
			"label": "Platform Buyer",
			"fieldtype": "Data",
			"insert_after": "th_crm_m_score",
			"no_copy": 1,
			"search_index": 1,
			"description": "The member's platform and buyer id, e.g. Taobao:tea_lover (set by a Member Import).",
		},
	],
}
