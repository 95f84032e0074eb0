frappe.query_reports["RFM Segments"] = {
	filters: [
		{
			fieldname: "tag",
			label: __("Tag"),
			fieldtype: "Link",
			options: "Tag",
		},
	],
	onload(report) {
		// a full recompute (every customer, new boundaries) runs in the background; Frappe shows its
		// progress bar, and the report is read again when the scores are written
		if (!frappe.user.has_role(["System Manager", "Sales Manager"])) return;
		report.page.add_inner_button(__("Recompute RFM now"), () => {
			frappe.call({ method: "online_crm.api.rfm.recompute", type: "POST" }).then((r) => {
				if (r.message) frappe.show_alert({ message: r.message.message, indicator: r.message.queued ? "blue" : "orange" });
			});
		});
		if (!frappe.query_reports["RFM Segments"]._listening) {
			frappe.query_reports["RFM Segments"]._listening = true;
			frappe.realtime.on("online_crm_rfm_done", (data) => {
				frappe.hide_progress();
				frappe.show_alert({ message: __("RFM recomputed: {0} customers scored", [data.customers]), indicator: "green" });
				if (frappe.query_report && frappe.query_report.report_name === "RFM Segments") frappe.query_report.refresh();
			});
		}
	},
};
