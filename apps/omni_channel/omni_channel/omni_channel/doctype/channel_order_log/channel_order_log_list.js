frappe.listview_settings["Channel Order Log"] = {
	get_indicator(doc) {
		const colour = {
			Received: "blue",
			Created: "green",
			Held: "orange",
			Failed: "red",
			Ignored: "gray",
			Cancelled: "gray",
			// cancelled on the platform after picking or shipping: a person must act
			Review: "red",
		}[doc.status];
		return [__(doc.status), colour || "gray", "status,=," + doc.status];
	},
};
