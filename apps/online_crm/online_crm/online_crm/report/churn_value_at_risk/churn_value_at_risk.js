frappe.query_reports["Churn Value at Risk"] = {
	filters: [
		{
			fieldname: "risk",
			label: __("Churn Risk"),
			fieldtype: "Select",
			options: ["Medium and High", "High"],
			default: "Medium and High",
		},
		{ fieldname: "account_manager", label: __("Account Manager"), fieldtype: "Link", options: "User" },
		{ fieldname: "tag", label: __("Tag"), fieldtype: "Link", options: "Tag" },
	],
};
