frappe.ui.form.on("Pick Wave", {
	refresh(frm) {
		if (frm.is_new()) return;
		if (!frm.doc.pick_list) {
			frm.add_custom_button(__("Make Pick List"), () =>
				frappe.xcall("wms_tms.api.waves.make_pick_list", { wave: frm.doc.name }).then(() => frm.reload_doc())
			).addClass("btn-primary");
		} else if (frm.doc.status === "Picking") {
			frm.add_custom_button(__("Picked: make Delivery Notes"), () =>
				frappe.xcall("wms_tms.api.waves.confirm_picked", { wave: frm.doc.name }).then((dns) => {
					frappe.show_alert({ message: __("Delivery Notes: {0}", [dns.join(", ")]), indicator: "green" });
					frm.reload_doc();
				})
			);
		}
	},
});
