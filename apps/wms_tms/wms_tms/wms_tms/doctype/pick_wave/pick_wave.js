frappe.ui.form.on("Pick Wave", {
	refresh(frm) {
		if (frm.is_new()) return;
		if (!frm.doc.pick_list) {
			frm.add_custom_button(__("Make Pick List"), () =>
				frappe.xcall("wms_tms.api.waves.make_pick_list", { wave: frm.doc.name }).then(() => frm.reload_doc())
			).addClass("btn-primary");
		} else if (frm.doc.status === "Picking") {
			frm.add_custom_button(__("Record short pick"), () =>
				frappe.db.get_doc("Pick List", frm.doc.pick_list).then((pl) => {
					const done = new Set((frm.doc.shorts || []).map((s) => s.pick_list_item));
					const rows = pl.locations.filter((l) => !done.has(l.name));
					frappe.prompt(
						[
							{
								fieldname: "row",
								fieldtype: "Select",
								label: __("Line"),
								reqd: 1,
								options: rows.map((l) => ({
									value: l.name,
									label: `${l.idx}. ${l.item_code} @ ${l.warehouse} (${l.stock_qty})`,
								})),
							},
							{ fieldname: "picked_qty", fieldtype: "Float", label: __("Picked"), default: 0 },
							{
								fieldname: "reason",
								fieldtype: "Select",
								label: __("Reason"),
								reqd: 1,
								options: ["Not found", "Not enough in bin", "Damaged", "Other"].map((r) => ({ value: r, label: __(r) })),
							},
						],
						(v) =>
							frappe
								.xcall("wms_tms.api.waves.record_short", { wave: frm.doc.name, ...v })
								.then(() => frm.reload_doc()),
						__("Record short pick")
					);
				})
			);
			frm.add_custom_button(__("Picked: make Delivery Notes"), () =>
				frappe.xcall("wms_tms.api.waves.confirm_picked", { wave: frm.doc.name }).then((dns) => {
					frappe.show_alert({ message: __("Delivery Notes: {0}", [dns.join(", ")]), indicator: "green" });
					frm.reload_doc();
				})
			);
		} else if (frm.doc.status === "Picked") {
			frm.add_custom_button(__("Plan Delivery Trip"), () =>
				frappe.prompt(
					[
						{ fieldname: "vehicle", fieldtype: "Link", options: "Vehicle", label: __("Vehicle"), reqd: 1 },
						{ fieldname: "driver", fieldtype: "Link", options: "Driver", label: __("Driver"), reqd: 1 },
						{
							fieldname: "departure",
							fieldtype: "Datetime",
							label: __("Departure"),
							reqd: 1,
							default: frappe.datetime.add_days(frappe.datetime.get_today(), 1) + " 08:00:00",
						},
					],
					(v) =>
						frappe
							.xcall("wms_tms.api.trips.plan_for_wave", {
								wave: frm.doc.name,
								vehicle: v.vehicle,
								driver: v.driver,
								departure: v.departure,
							})
							.then((trip) => frappe.set_route("Form", "Delivery Trip", trip)),
					__("Plan Delivery Trip")
				)
			);
		}
	},
});
