frappe.listview_settings["Mall Statement Confirmation"] = {
	get_indicator(doc) {
		const colour = { Confirmed: "green", Disputed: "red", Resolved: "blue" }[doc.status] || "gray";
		return [__(doc.status), colour, "status,=," + doc.status];
	},
};
