// "Import Settlement File": a platform's payout file (Alipay bill, Stripe payout CSV, Shopify payout)
// becomes one draft Channel Settlement, its lines matched to the shop's invoices.
frappe.listview_settings["Channel Settlement"] = {
	onload(listview) {
		if (!frappe.model.can_create("Channel Settlement")) return;
		listview.page.add_inner_button(__("Import Settlement File"), () => omni_import_settlement_file());
	},
};

const OMNI_FORMAT_OF_PLATFORM = { Taobao: "alipay", WooCommerce: "stripe", Shopify: "shopify" };

function omni_import_settlement_file() {
	const dialog = new frappe.ui.Dialog({
		title: __("Import Settlement File"),
		fields: [
			{
				fieldname: "shop",
				fieldtype: "Link",
				options: "Channel Shop",
				label: __("Shop"),
				reqd: 1,
				onchange() {
					const shop = dialog.get_value("shop");
					if (!shop) return;
					frappe.db.get_value("Channel Shop", shop, "platform").then((r) => {
						const fmt = OMNI_FORMAT_OF_PLATFORM[(r.message || {}).platform];
						if (fmt && !dialog.get_value("file_format")) dialog.set_value("file_format", fmt);
					});
				},
			},
			{
				fieldname: "file_format",
				fieldtype: "Select",
				label: __("File Format"),
				reqd: 1,
				options: [
					{ value: "", label: "" },
					{ value: "alipay", label: __("Alipay / Taobao bill (账务明细 CSV)") },
					{ value: "stripe", label: __("Stripe payout CSV (WooCommerce)") },
					{ value: "shopify", label: __("Shopify Payments payout (JSON)") },
				],
			},
			{ fieldname: "file_url", fieldtype: "Attach", label: __("Settlement File"), reqd: 1 },
		],
		primary_action_label: __("Import"),
		primary_action(values) {
			dialog.disable_primary_action();
			frappe
				.xcall("omni_channel.api.settlements.import_file", values)
				.then((r) => {
					dialog.hide();
					frappe.show_alert({
						message: __("Imported {0} lines", [r.lines]),
						indicator: r.variances ? "orange" : "green",
					});
					frappe.set_route("Form", "Channel Settlement", r.name);
				})
				.finally(() => dialog.enable_primary_action());
		},
	});
	dialog.show();
}
