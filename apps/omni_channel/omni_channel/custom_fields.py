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

CUSTOM_FIELDS: dict[str, list[dict]] = {
	**CHANNEL_FIELDS,
	"Sales Order Item": [_LINE_ID],
	"Delivery Note Item": [_LINE_ID],
	"Sales Order": [
		*CHANNEL_FIELDS["Sales Order"],
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
