frappe.query_reports["RFM Segments"] = { filters: [] };
