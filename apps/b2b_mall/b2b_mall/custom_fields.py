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
		{
			"fieldname": "th_b2b_approval",
			"label": "Buyer Approval",
			"fieldtype": "Select",
			"options": "\nAwaiting Approval\nApproved\nRejected",
			"read_only": 1,
			"in_standard_filter": 1,
			"no_copy": 1,
			"allow_on_submit": 1,
			"insert_after": "th_b2b_buyer_note",
			"description": "A portal order above B2B Mall Settings' amount stays a draft until an approver of the customer decides.",
		},
		{
			"fieldname": "th_b2b_ordered_by",
			"label": "Ordered By (Portal)",
			"fieldtype": "Link",
			"options": "User",
			"read_only": 1,
			"no_copy": 1,
			"insert_after": "th_b2b_approval",
		},
		{
			"fieldname": "th_b2b_decided_by",
			"label": "Approved or Rejected By",
			"fieldtype": "Link",
			"options": "User",
			"read_only": 1,
			"no_copy": 1,
			"allow_on_submit": 1,
			"insert_after": "th_b2b_ordered_by",
		},
		{
			"fieldname": "th_b2b_decision_note",
			"label": "Approver's Note",
			"fieldtype": "Small Text",
			"read_only": 1,
			"no_copy": 1,
			"allow_on_submit": 1,
			"insert_after": "th_b2b_decided_by",
			"description": "What the approver wrote (kept as text).",
		},
		{
			"fieldname": "th_b2b_redeem_points",
			"label": "Loyalty Points to Redeem (Portal)",
			"fieldtype": "Int",
			"read_only": 1,
			"no_copy": 1,
			"non_negative": 1,
			"insert_after": "th_b2b_decision_note",
			"description": "Points the buyer asked to redeem at checkout on the B2B Mall; the order's Sales Invoices redeem them (ERPNext's Redeem Loyalty Points).",
		},
	],
	"Portal User": [
		{
			"fieldname": "th_b2b_role",
			"label": "Buyer Role",
			"fieldtype": "Select",
			"options": "Orderer\nApprover",
			"default": "Orderer",
			"in_list_view": 1,
			"insert_after": "user",
			"description": "On the B2B Mall: an Orderer orders; an Approver also approves the customer's orders above B2B Mall Settings' amount.",
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
