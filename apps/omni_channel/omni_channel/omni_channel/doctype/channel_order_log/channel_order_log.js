frappe.ui.form.on("Channel Order Log", {
	refresh(frm) {
		if (["Held", "Failed", "Received"].includes(frm.doc.status)) {
			frm.add_custom_button(__("Retry now"), () =>
				frappe
					.xcall("omni_channel.api.orders.retry", { log_name: frm.doc.name })
					.then((r) => {
						frappe.show_alert({
							message: r.sales_order
								? __("Sales Order {0} created", [frappe.utils.escape_html(r.sales_order)])
								: __("Still {0}", [__(r.status)]),
							indicator: r.sales_order ? "green" : "orange",
						});
						frm.reload_doc();
					})
			);
		}
		// the reason quotes what the buyer typed (note, name, phone, SKU title): plain text, so it
		// is escaped here; set_intro inserts HTML
		const reason = frappe.utils.escape_html(frm.doc.hold_reason || "").replace(/\n/g, "<br>");
		// Review: cancelled on the platform after picking or shipping; Cancelled: nothing to ship
		const colour = { Review: "red", Cancelled: "blue" }[frm.doc.status] || "orange";
		if (frm.doc.status === "Review") {
			frm.dashboard.set_headline_alert(
				__(
					"Changed or cancelled on the platform after picking or shipping: see the reason below and the order's history of versions."
				),
				"red"
			);
		}
		frm.set_intro(reason, colour);
	},
});
