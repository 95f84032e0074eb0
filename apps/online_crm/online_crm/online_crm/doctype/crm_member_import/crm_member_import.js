frappe.ui.form.on("CRM Member Import", {
	refresh(frm) {
		if (frm.is_new() || frm.doc.status === "Imported" || !frm.doc.import_file) return;
		frm.add_custom_button(__("Import"), () => {
			frappe.dom.freeze(__("Importing members…"));
			// frm.call answers with a jQuery promise: no finally, so both outcomes unfreeze
			frm.call("run_import").then(
				(r) => {
					frappe.dom.unfreeze();
					const c = r.message || {};
					frappe.show_alert({
						message: __("{0} created, {1} duplicates, {2} rejected", [c.created, c.duplicates, c.rejected]),
						indicator: c.rejected ? "orange" : "green",
					});
					frm.reload_doc();
				},
				() => frappe.dom.unfreeze()
			);
		}).addClass("btn-primary crm-member-import");
	},
});
