frappe.ui.form.on("CRM Outreach", {
	setup(frm) {
		frappe.realtime.on("crm_outreach_done", (data) => {
			if (data && data.name === frm.doc.name) frm.reload_doc();
		});
	},
	refresh(frm) {
		if (frm.is_new()) return;
		if (frm.doc.status !== "Sent") {
			const label = frm.doc.status === "Draft" ? __("Send") : __("Resume Sending");
			frm.add_custom_button(label, () => {
				frappe.confirm(
					__("Send this outreach to its audience now? Each customer receives it once."),
					() =>
						frm.call("send").then(() => {
							frappe.show_alert({ message: __("Sending in the background"), indicator: "blue" });
							frm.reload_doc();
						})
				);
			}).addClass("btn-primary crm-outreach-send");
		}
		if (frm.doc.status === "Sent" || frm.doc.status === "Sending") {
			frm.add_custom_button(__("Effect Report"), () =>
				frappe.set_route("query-report", "CRM Outreach Effect", { outreach: frm.doc.name })
			);
			frm.add_custom_button(__("Recipients"), () =>
				frappe.set_route("List", "CRM Outreach Recipient", { outreach: frm.doc.name })
			);
		}
		if (frm.doc.status === "Queued" || frm.doc.status === "Sending") {
			frm.dashboard.set_headline(
				__("Sending: {0}", [frappe.utils.escape_html(frm.doc.progress || __("starting"))])
			);
			setTimeout(() => {
				if (frm.doc.name && !frm.is_dirty() && ["Queued", "Sending"].includes(frm.doc.status)) frm.reload_doc();
			}, 3000);
		}
	},
});
