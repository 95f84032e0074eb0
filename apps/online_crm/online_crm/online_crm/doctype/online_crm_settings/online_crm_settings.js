frappe.ui.form.on("Online CRM Settings", {
	refresh(frm) {
		frm.set_intro(
			frm.doc.last_full_run
				? __("Last full RFM run {0}: {1} customers scored.", [
						frappe.datetime.str_to_user(frm.doc.last_full_run),
						frm.doc.customers_scored || 0,
					])
				: __("No full RFM run yet: every customer is scored by the nightly job."),
			"blue"
		);
	},
});
