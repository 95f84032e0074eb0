frappe.query_reports["RFM Segments"] = {
	filters: [
		{
			fieldname: "tag",
			label: __("Tag"),
			fieldtype: "Link",
			options: "Tag",
		},
	],
};
