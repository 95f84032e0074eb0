// The list of conditions reads as a sentence; nothing to compute in the form.
frappe.ui.form.on("Order Gift Rule", {
	applies_to(frm) {
		if (frm.doc.applies_to === "B2B Portal") frm.set_value("shop", null);
	},
});
