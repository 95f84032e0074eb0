frappe.ui.form.on("Stock Take", {
	refresh(frm) {
		if (frm.is_new()) return;
		if (frm.doc.status === "Draft") {
			frm.add_custom_button(__("Make count lines"), () =>
				frm.save().then(() =>
					frappe.xcall("wms_tms.api.stocktake.make_lines", { take: frm.doc.name }).then(() => frm.reload_doc())
				)
			).addClass("btn-primary");
		}
		if (frm.doc.status === "Review") {
			frm.set_intro(__("Review the differences and their value, then approve."), "orange");
			frm.add_custom_button(__("Approve: make Stock Reconciliation"), () =>
				frappe.confirm(__("Set the stock of every counted line with a difference to its count?"), () =>
					frappe.xcall("wms_tms.api.stocktake.approve", { take: frm.doc.name }).then(() => frm.reload_doc())
				)
			).addClass("btn-primary");
		}
	},
});
