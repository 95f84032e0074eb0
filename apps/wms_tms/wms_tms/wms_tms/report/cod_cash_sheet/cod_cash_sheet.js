// Cash on delivery per trip: expected against collected per stop and driver, and the hand-over.
frappe.query_reports["COD Cash Sheet"] = {
	filters: [
		// Data, not Link: a cashier may not read Delivery Trips or Drivers
		{ fieldname: "delivery_trip", label: __("Delivery Trip"), fieldtype: "Data" },
		{ fieldname: "driver", label: __("Driver (ID)"), fieldtype: "Data" },
		{ fieldname: "from_date", label: __("From Date"), fieldtype: "Date", default: frappe.datetime.add_days(frappe.datetime.get_today(), -7) },
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today() },
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (data && data.is_total) value = `<b>${value}</b>`;
		if (data && column.fieldname === "flag" && ["Short", "Over", "Variance"].includes(data.flag_key || "")) {
			value = `<span class="text-danger">${value}</span>`;
		}
		if (data && column.fieldname === "difference" && data.difference) {
			value = `<span class="text-danger">${value}</span>`;
		}
		return value;
	},
	onload(report) {
		report.page.add_inner_button(__("Hand over cash"), () => {
			const trip = report.get_filter_value("delivery_trip");
			if (!trip) {
				frappe.msgprint(__("Choose a Delivery Trip first."));
				return;
			}
			frappe.xcall("wms_tms.api.cod.trip_cash", { trip }).then((cash) => {
				const d = new frappe.ui.Dialog({
					title: __("Hand over the cash of {0}", [trip]),
					fields: [
						{ fieldname: "expected", label: __("Expected"), fieldtype: "Currency", read_only: 1, default: cash.expected },
						{ fieldname: "collected", label: __("Collected by the driver"), fieldtype: "Currency", read_only: 1, default: cash.collected },
						{ fieldname: "counted", label: __("Counted by the cashier"), fieldtype: "Currency", reqd: 1, default: cash.collected },
						{
							fieldname: "to_account",
							label: __("Into account"),
							fieldtype: "Link",
							options: "Account",
							reqd: 1,
							default: cash.default_account,
							get_query: () => ({
								filters: { company: cash.company, is_group: 0, account_type: ["in", ["Cash", "Bank"]], name: ["!=", cash.driver_account || ""] },
							}),
						},
					],
					primary_action_label: __("Hand over"),
					primary_action(values) {
						frappe
							.xcall("wms_tms.api.cod.hand_over", { trip, counted: values.counted, to_account: values.to_account })
							.then((r) => {
								d.hide();
								const msg =
									r.status === "Variance"
										? __("Handed over with a difference of {0}: flagged for the accounts manager.", [format_currency(r.handover_variance)])
										: __("Handed over: {0}", [r.journal_entry || __("nothing to post")]);
								frappe.msgprint({ message: frappe.utils.escape_html(msg), title: __("Cash handed over"), indicator: r.status === "Variance" ? "orange" : "green" });
								report.refresh();
							});
					},
				});
				d.show();
			});
		});
	},
};
