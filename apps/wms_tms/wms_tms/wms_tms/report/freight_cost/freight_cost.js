// Freight per order: a parcel's expected carrier charge (and what the courier billed), or the
// order's share of its Delivery Trip's cost (distance × rate + driver time, shared by weight).
frappe.query_reports["Freight Cost"] = {
	filters: [
		{ fieldname: "from_date", label: __("From Date"), fieldtype: "Date", default: frappe.datetime.add_days(frappe.datetime.get_today(), -30) },
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.add_days(frappe.datetime.get_today(), 7) },
		{ fieldname: "delivery_trip", label: __("Delivery Trip"), fieldtype: "Link", options: "Delivery Trip" },
		{ fieldname: "carrier", label: __("Parcel Carrier"), fieldtype: "Link", options: "Parcel Carrier" },
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (data && column.fieldname === "difference" && data.difference) {
			value = `<span class="text-danger">${value}</span>`;
		}
		return value;
	},
};
