frappe.ui.form.on("Channel Settlement", {
	refresh(frm) {
		if (!frm.is_new() && frm.doc.status !== "Posted" && !frm.is_dirty()) {
			frm.add_custom_button(__("Post to Ledger"), () =>
				frappe.xcall("omni_channel.api.settlements.post", { name: frm.doc.name }).then(() => frm.reload_doc())
			).addClass("btn-primary");
		}
	},
});
