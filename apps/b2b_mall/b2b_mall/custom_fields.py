"""Custom fields b2b_mall adds to ERPNext doctypes (see install.py)."""

from b2b_mall.channel_field import CHANNEL_FIELDS, SHARED_FIELDNAMES, SHARED_WITH

__all__ = ["CUSTOM_FIELDS", "SHARED_FIELDNAMES", "SHARED_WITH"]

CUSTOM_FIELDS: dict[str, list[dict]] = {
	**CHANNEL_FIELDS,
	"Sales Order": [
		*CHANNEL_FIELDS["Sales Order"],
		{
			"fieldname": "th_b2b_buyer_note",
			"label": "Note from the Buyer",
			"fieldtype": "Small Text",
			"read_only": 1,
			"insert_after": "th_cod",
			"description": "What the buyer wrote to the seller when ordering on the B2B Mall (kept as text).",
		},
	],
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
			"fieldname": "th_b2b_pack_qty",
			"label": "B2B Pack Size",
			"fieldtype": "Float",
			"insert_after": "th_b2b_moq",
			"non_negative": 1,
			"description": "Portal customers order whole packs of this many (0 = any quantity).",
		},
		{
			"fieldname": "th_b2b_show_in_mall",
			"label": "Show in B2B Mall",
			"fieldtype": "Check",
			"default": "1",
			"insert_after": "th_b2b_pack_qty",
		},
	],
}
