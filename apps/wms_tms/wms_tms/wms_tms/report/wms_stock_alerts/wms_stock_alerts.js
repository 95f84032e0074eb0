// Stock alerts per bin and per store; "Make Material Request" turns the chosen suggestions (ticked
// rows, or every row with a suggestion) into a draft Material Request. The server works out the
// quantities again: the page only says which lines.
frappe.query_reports["WMS Stock Alerts"] = {
	filters: [
		{ fieldname: "company", label: __("Company"), fieldtype: "Link", options: "Company", default: frappe.defaults.get_user_default("Company") },
		{ fieldname: "store", label: __("Store"), fieldtype: "Link", options: "Warehouse", get_query: () => ({ filters: { is_group: 1 } }) },
		{ fieldname: "item", label: __("Item"), fieldtype: "Link", options: "Item" },
		{
			fieldname: "level",
			label: __("Level"),
			fieldtype: "Select",
			options: [
				{ value: "", label: __("Bins and warehouses") },
				{ value: "bin", label: __("Bin") },
				{ value: "warehouse", label: __("Warehouse") },
			],
		},
		{
			fieldname: "kind",
			label: __("Alert"),
			fieldtype: "Select",
			options: [
				{ value: "", label: __("All alerts") },
				{ value: "below_safety", label: __("Below safety stock") },
				{ value: "slow_moving", label: __("Slow-moving") },
				{ value: "overstock", label: __("Overstock") },
			],
		},
		{ fieldname: "cover_days", label: __("Order for (days of demand)"), fieldtype: "Int", default: 30 },
		{ fieldname: "slow_days", label: __("Slow after (days without issue)"), fieldtype: "Int", default: 90 },
		{ fieldname: "overstock_days", label: __("Overstock above (days of demand)"), fieldtype: "Int", default: 180 },
	],
	get_datatable_options(options) {
		return Object.assign(options, { checkboxColumn: true });
	},
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (data && column.fieldname === "alert") {
			const colour = data.kind === "below_safety" ? "text-danger" : "text-warning";
			value = `<span class="${colour}">${value}</span>`;
		}
		return value;
	},
	onload(report) {
		report.page.add_inner_button(__("Make Material Request"), () => {
			const rows = report.data || [];
			const checked = report.datatable ? report.datatable.rowmanager.getCheckedRows().map((i) => rows[Number(i)]) : [];
			const chosen = (checked.length ? checked : rows).filter((r) => r && r.kind === "below_safety" && r.suggested_qty);
			if (!chosen.length) {
				frappe.msgprint(__("No alert here suggests an order."));
				return;
			}
			const lines = chosen.map((r) => ({ item: r.item, warehouse: r.location }));
			frappe.call({
				method: "wms_tms.api.stock_alerts.make_material_request",
				args: { lines: JSON.stringify(lines), cover_days: report.get_filter_value("cover_days") || 30 },
				freeze: true,
				callback: (r) => {
					const names = r.message || [];
					const links = names.map((n) => `<a href="/app/material-request/${encodeURIComponent(n)}">${frappe.utils.escape_html(n)}</a>`);
					frappe.msgprint({
						title: __("Material Request made"),
						indicator: "green",
						message: __("Draft Material Request: {0}", [links.join(", ")]),
					});
				},
			});
		});
	},
};
