"""The one field every suite app reads to know where an order came from.

`th_channel` sits on Sales Order, and on Delivery Note and Sales Invoice so that ERPNext's
own document mapping carries it forward. Values: "Desk" (typed in the desk, the default),
"B2B Portal", or "<platform>:<shop>" for a marketplace shop. b2b_mall and omni_channel both
write it, so both declare it; it is removed only when the last of them is uninstalled.
"""

SHARED_WITH = ("b2b_mall", "omni_channel")
SHARED_FIELDNAMES = frozenset({"th_channel"})

_CHANNEL = {
	"fieldname": "th_channel",
	"label": "Sales Channel",
	"fieldtype": "Data",
	"default": "Desk",
	"in_standard_filter": 1,
	"in_list_view": 0,
	"read_only": 1,
	"allow_on_submit": 0,
	"no_copy": 0,
	"description": "Where the order came from: Desk, B2B Portal or <platform>:<shop>.",
}

CHANNEL_FIELDS: dict[str, list[dict]] = {
	"Sales Order": [{**_CHANNEL, "insert_after": "order_type"}],
	"Delivery Note": [{**_CHANNEL, "insert_after": "customer_name"}],
	"Sales Invoice": [{**_CHANNEL, "insert_after": "customer_name"}],
}
