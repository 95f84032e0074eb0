"""Custom fields omni_channel adds to ERPNext doctypes (see install.py)."""

from omni_channel.channel_field import CHANNEL_FIELDS, SHARED_FIELDNAMES, SHARED_WITH

__all__ = ["CUSTOM_FIELDS", "SHARED_FIELDNAMES", "SHARED_WITH"]

_LINE_ID = {
	"fieldname": "th_omni_line_id",
	"label": "Marketplace Line ID",
	"fieldtype": "Data",
	"insert_after": "item_code",
	"read_only": 1,
	"print_hide": 1,
	"description": "The platform's id of this order line; ERPNext's mapping carries it to the Delivery Note "
	"so that a shipment is reported back line by line.",
}

_GIFT_RULE = {
	"fieldname": "th_gift_rule",
	"label": "Gift Rule",
	"fieldtype": "Link",
	"options": "Order Gift Rule",
	"insert_after": "is_free_item",
	"read_only": 1,
	"print_hide": 1,
	"depends_on": "th_gift_rule",
	"description": "A free gift this rule added; ERPNext's mapping carries it to the note and the invoice.",
}

CUSTOM_FIELDS: dict[str, list[dict]] = {
	**CHANNEL_FIELDS,
	"Sales Order Item": [_LINE_ID, _GIFT_RULE],
	"Delivery Note Item": [_LINE_ID, _GIFT_RULE],
	"Sales Invoice Item": [_GIFT_RULE],
	"Sales Order": [
		*CHANNEL_FIELDS["Sales Order"],
		{
			"fieldname": "th_gift_note",
			"label": "Gifts",
			"fieldtype": "Small Text",
			"insert_after": "items",
			"read_only": 1,
			"no_copy": 1,
			"print_hide": 1,
			"depends_on": "th_gift_note",
			"description": "Gift rules this order met: what they added, and why a rule gave nothing.",
		},
		{
			"fieldname": "th_gift_buyer",
			"label": "Gift Buyer",
			"fieldtype": "Data",
			"insert_after": "po_date",
			"read_only": 1,
			"hidden": 1,
			"no_copy": 1,
			"description": "Who the gift rules counted as the buyer: the customer, or the marketplace buyer's id.",
		},
		{
			"fieldname": "th_omni_order_log",
			"label": "Channel Order Log",
			"fieldtype": "Link",
			"options": "Channel Order Log",
			"insert_after": "th_channel",
			"read_only": 1,
			"no_copy": 1,
			"unique": 1,
			"description": "The marketplace order this Sales Order was made from; unique, so one order makes one Sales Order.",
		},
	],
}
