"""Custom fields wms_tms adds to ERPNext doctypes (see install.py).

Bins are leaf Warehouses: their place in the layout (block, aisle, position, side, level) is
held on the Warehouse itself, so ERPNext's stock ledger knows stock per bin.
Proof of delivery and cash on delivery are noted on the Delivery Stop. Routes need a place
for each stop (Address latitude / longitude), a capacity per Vehicle, and the login of each
Driver for the phone page.
"""

SHARED_WITH: tuple[str, ...] = ()
SHARED_FIELDNAMES: frozenset[str] = frozenset()

CUSTOM_FIELDS: dict[str, list[dict]] = {
	"Warehouse": [
		{
			"fieldname": "th_wms_layout_section",
			"label": "Bin Location",
			"fieldtype": "Section Break",
			"insert_after": "default_in_transit_warehouse",
			"collapsible": 1,
			"depends_on": "eval:!doc.is_group",
		},
		{
			"fieldname": "th_wms_block",
			"label": "Block",
			"fieldtype": "Int",
			"insert_after": "th_wms_layout_section",
		},
		{"fieldname": "th_wms_aisle", "label": "Aisle", "fieldtype": "Int", "insert_after": "th_wms_block"},
		{
			"fieldname": "th_wms_position",
			"label": "Position",
			"fieldtype": "Int",
			"insert_after": "th_wms_aisle",
		},
		{"fieldname": "th_wms_column_break", "fieldtype": "Column Break", "insert_after": "th_wms_position"},
		{
			"fieldname": "th_wms_side",
			"label": "Side",
			"fieldtype": "Select",
			"options": "\nL\nR",
			"insert_after": "th_wms_column_break",
		},
		{"fieldname": "th_wms_level", "label": "Level", "fieldtype": "Int", "insert_after": "th_wms_side"},
	],
	"Delivery Stop": [
		{
			"fieldname": "th_wms_pod_section",
			"label": "Proof of Delivery",
			"fieldtype": "Section Break",
			"insert_after": "details",
		},
		{
			"fieldname": "th_wms_delivered_at",
			"label": "Delivered At",
			"fieldtype": "Datetime",
			"insert_after": "th_wms_pod_section",
			"allow_on_submit": 1,
			"read_only": 1,
		},
		{
			"fieldname": "th_wms_recipient",
			"label": "Received By",
			"fieldtype": "Data",
			"insert_after": "th_wms_delivered_at",
			"allow_on_submit": 1,
		},
		{
			"fieldname": "th_wms_pod_file",
			"label": "Proof File",
			"fieldtype": "Attach",
			"insert_after": "th_wms_recipient",
			"allow_on_submit": 1,
		},
		{
			"fieldname": "th_wms_cod_amount",
			"label": "Cash Collected",
			"fieldtype": "Currency",
			"insert_after": "th_wms_pod_file",
			"allow_on_submit": 1,
			"read_only": 1,
		},
		{
			"fieldname": "th_wms_payment_entry",
			"label": "COD Payment Entry",
			"fieldtype": "Link",
			"options": "Payment Entry",
			"insert_after": "th_wms_cod_amount",
			"allow_on_submit": 1,
			"read_only": 1,
		},
		{
			"fieldname": "th_wms_cod_expected",
			"label": "Cash Expected",
			"fieldtype": "Currency",
			"insert_after": "th_wms_payment_entry",
			"allow_on_submit": 1,
			"read_only": 1,
		},
		{
			"fieldname": "th_wms_signature_file",
			"label": "Signature",
			"fieldtype": "Attach",
			"insert_after": "th_wms_cod_expected",
			"allow_on_submit": 1,
			"read_only": 1,
		},
		{
			"fieldname": "th_wms_outcome",
			"label": "Outcome",
			"fieldtype": "Select",
			"options": "\nDelivered\nFailed",
			"insert_after": "th_wms_signature_file",
			"allow_on_submit": 1,
			"read_only": 1,
			"in_list_view": 1,
		},
		{
			"fieldname": "th_wms_fail_reason",
			"label": "Failure Reason",
			"fieldtype": "Select",
			"options": "\nNot home\nRefused\nWrong address",
			"insert_after": "th_wms_outcome",
			"allow_on_submit": 1,
			"read_only": 1,
		},
		{
			"fieldname": "th_wms_fail_note",
			"label": "Driver's Note",
			"fieldtype": "Small Text",
			"insert_after": "th_wms_fail_reason",
			"allow_on_submit": 1,
			"read_only": 1,
		},
		{
			"fieldname": "th_wms_reschedule_on",
			"label": "Rescheduled To",
			"fieldtype": "Date",
			"insert_after": "th_wms_fail_note",
			"allow_on_submit": 1,
			"read_only": 1,
		},
	],
	"Delivery Note": [
		{
			"fieldname": "th_wms_redeliver_on",
			"label": "Deliver Again On",
			"fieldtype": "Date",
			"insert_after": "lr_date",
			"allow_on_submit": 1,
			"read_only": 1,
			"description": "Set when a delivery failed: the note is off its trip and waits for the next dispatch.",
		},
		{
			"fieldname": "th_wms_failed_attempts",
			"label": "Failed Delivery Attempts",
			"fieldtype": "Int",
			"insert_after": "th_wms_redeliver_on",
			"allow_on_submit": 1,
			"read_only": 1,
		},
	],
	"Address": [
		{
			"fieldname": "th_wms_geo_section",
			"label": "Map Position",
			"fieldtype": "Section Break",
			"insert_after": "links",
			"collapsible": 1,
		},
		{
			"fieldname": "th_wms_lat",
			"label": "Latitude",
			"fieldtype": "Float",
			"precision": "6",
			"insert_after": "th_wms_geo_section",
		},
		{
			"fieldname": "th_wms_lng",
			"label": "Longitude",
			"fieldtype": "Float",
			"precision": "6",
			"insert_after": "th_wms_lat",
		},
		{
			"fieldname": "th_wms_window_start",
			"label": "Receiving From",
			"fieldtype": "Data",
			"length": 5,
			"description": "HH:MM, e.g. 09:00 (empty: any time). Not a Time field: Frappe fills those with the current time.",
			"insert_after": "th_wms_lng",
		},
		{
			"fieldname": "th_wms_window_end",
			"label": "Receiving Until",
			"fieldtype": "Data",
			"length": 5,
			"description": "HH:MM, e.g. 18:00",
			"insert_after": "th_wms_window_start",
		},
	],
	"Driver": [
		{
			"fieldname": "th_wms_user",
			"label": "Login (for the driver page)",
			"fieldtype": "Link",
			"options": "User",
			"insert_after": "cell_number",
			"unique": 1,
		},
		{
			"fieldname": "th_wms_cash_account",
			"label": "Cash on Delivery Account",
			"fieldtype": "Link",
			"options": "Account",
			"insert_after": "th_wms_user",
			"description": "Cash the driver collects is posted here until it is handed over (made on the first collection).",
		},
	],
	"Vehicle": [
		{
			"fieldname": "th_wms_capacity_section",
			"label": "Capacity",
			"fieldtype": "Section Break",
			"insert_after": "doors",
		},
		{
			"fieldname": "th_wms_max_weight",
			"label": "Max Load (kg)",
			"fieldtype": "Float",
			"insert_after": "th_wms_capacity_section",
		},
		{
			"fieldname": "th_wms_max_volume",
			"label": "Max Volume (m³)",
			"fieldtype": "Float",
			"insert_after": "th_wms_max_weight",
		},
	],
}
