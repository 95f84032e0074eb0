// "Plan Waves": the store's open orders proposed as a round of waves for its carts (page wms-wave-planning).
frappe.listview_settings["Pick Wave"] = {
	onload(listview) {
		if (!frappe.model.can_create("Pick Wave")) return;
		listview.page.add_inner_button(__("Plan Waves"), () => frappe.set_route("wms-wave-planning"));
	},
};
