// Parcels (电子面单) on the Delivery Note: "Get Waybill" asks the carrier for a tracking number,
// "Print Label" opens the label (print format "Parcel Label"). A carrier's refusal comes back as
// a message with what to do; the note then shows the reason and the same button asks again.
frappe.ui.form.on("Delivery Note", {
	refresh(frm) {
		if (frm.is_new() || frm.doc.docstatus === 2) return;
		const has_waybill = frm.doc.lr_no && frm.doc.th_wms_waybill_status === "Requested";
		if (has_waybill) {
			frm.dashboard.set_headline(
				`<span class="text-success th-waybill-tracking">${frappe.utils.escape_html(
					__("Tracking number {0}", [frm.doc.lr_no])
				)}</span>`
			);
			frm.add_custom_button(__("Print Label"), () => open_label(frm));
			frm.add_custom_button(__("Label PDF"), () => open_label(frm, true));
		} else {
			frm.add_custom_button(__("Get Waybill"), () => get_waybill(frm));
			if (frm.doc.th_wms_waybill_status === "Failed" && frm.doc.th_wms_waybill_error) {
				frm.dashboard.set_headline(
					`<span class="text-danger th-waybill-error">${frappe.utils.escape_html(
						__("Waybill failed: {0}", [frm.doc.th_wms_waybill_error])
					)}</span>`
				);
			}
		}
	},
});

function get_waybill(frm) {
	if (frm.is_dirty()) {
		frappe.msgprint(__("Save the Delivery Note first."));
		return;
	}
	const dialog = new frappe.ui.Dialog({
		title: __("Get Waybill"),
		fields: [
			{
				fieldname: "carrier",
				fieldtype: "Link",
				options: "Parcel Carrier",
				label: __("Parcel Carrier"),
				reqd: 1,
				default: frm.doc.th_wms_carrier,
				get_query: () => ({ filters: { disabled: 0 } }),
			},
			{
				fieldname: "weight",
				fieldtype: "Float",
				label: __("Parcel Weight (kg)"),
				reqd: 1,
				default: frm.doc.th_wms_parcel_weight || frm.doc.total_net_weight || null,
			},
		],
		primary_action_label: __("Get Waybill"),
		primary_action(values) {
			dialog.hide();
			frappe.call({
				method: "wms_tms.api.parcels.get_waybill",
				args: { delivery_note: frm.doc.name, carrier: values.carrier, weight: values.weight },
				freeze: true,
				freeze_message: __("Asking the carrier…"),
				callback(r) {
					if (!r.message) return;
					frappe.show_alert({
						message: __("Tracking number {0}", [frappe.utils.escape_html(r.message.tracking_no)]),
						indicator: "green",
					});
					frm.reload_doc();
				},
				error() {
					frm.reload_doc();
				},
			});
		},
	});
	dialog.show();
}

function open_label(frm, pdf) {
	const params = new URLSearchParams({
		doctype: frm.doctype,
		name: frm.doc.name,
		format: "Parcel Label",
		no_letterhead: 1,
	});
	const path = pdf ? "/api/method/frappe.utils.print_format.download_pdf" : "/printview";
	window.open(`${path}?${params.toString()}`, "_blank");
}
