frappe.query_reports["CRM Outreach Effect"] = {
	filters: [
		{ fieldname: "outreach", label: __("Outreach"), fieldtype: "Link", options: "CRM Outreach" },
		{ fieldname: "window_days", label: __("Days After Sending"), fieldtype: "Int", default: 30 },
	],
};
