frappe.ui.form.on("Channel Refund", {
	refresh(frm) {
		if (frm.doc.status !== "Booked" && !frm.is_dirty()) {
			frm.add_custom_button(__("Book Refund"), () =>
				frappe.xcall("omni_channel.api.refunds.book", { name: frm.doc.name }).then(() => frm.reload_doc())
			).addClass("btn-primary");
		}
	},
});
