"""The one field every suite app reads to know where an order came from.

`th_channel` sits on Sales Order, and on Delivery Note and Sales Invoice so that ERPNext's
own document mapping carries it forward. Values: "Desk" (typed in the desk, the default),
"B2B Portal", or "<platform>:<shop>" for a marketplace shop. Beside it, `th_cod` marks an order the buyer
pays in cash on delivery, which the driver collects (wms_tms reads it on the Delivery Note).
b2b_mall and omni_channel both write these, so both declare them; they are removed only
when the last of those apps is uninstalled.
"""

SHARED_WITH = ("b2b_mall", "omni_channel")
SHARED_FIELDNAMES = frozenset({"th_channel", "th_cod"})

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

_COD = {
	"fieldname": "th_cod",
	"label": "Cash on Delivery",
	"fieldtype": "Check",
	"default": "0",
	"read_only": 1,
	"insert_after": "th_channel",
	"description": "The buyer pays the driver on delivery.",
}

CHANNEL_FIELDS: dict[str, list[dict]] = {
	"Sales Order": [{**_CHANNEL, "insert_after": "order_type"}, _COD],
	"Delivery Note": [{**_CHANNEL, "insert_after": "customer_name"}, _COD],
	"Sales Invoice": [{**_CHANNEL, "insert_after": "customer_name"}, _COD],
}
