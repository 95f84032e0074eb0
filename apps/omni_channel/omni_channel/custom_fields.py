"""Custom fields omni_channel adds to ERPNext doctypes (see install.py)."""

from omni_channel.channel_field import CHANNEL_FIELDS, SHARED_FIELDNAMES, SHARED_WITH

__all__ = ["CUSTOM_FIELDS", "SHARED_FIELDNAMES", "SHARED_WITH"]

CUSTOM_FIELDS: dict[str, list[dict]] = {
	**CHANNEL_FIELDS,
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
