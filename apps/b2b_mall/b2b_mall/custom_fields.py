"""Custom fields b2b_mall adds to ERPNext doctypes (see install.py)."""

from b2b_mall.channel_field import CHANNEL_FIELDS, SHARED_FIELDNAMES, SHARED_WITH

__all__ = ["CUSTOM_FIELDS", "SHARED_FIELDNAMES", "SHARED_WITH"]

CUSTOM_FIELDS: dict[str, list[dict]] = {
	**CHANNEL_FIELDS,
	"Item": [
		{
			"fieldname": "th_b2b_moq",
			"label": "B2B Minimum Order Qty",
			"fieldtype": "Float",
			"insert_after": "is_sales_item",
			"non_negative": 1,
			"description": "Smallest quantity a portal customer may order in one line (0 = no minimum).",
		},
		{
			"fieldname": "th_b2b_show_in_mall",
			"label": "Show in B2B Mall",
			"fieldtype": "Check",
			"default": "1",
			"insert_after": "th_b2b_moq",
		},
	],
}
