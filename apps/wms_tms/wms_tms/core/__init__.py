"""Business logic of WMS TMS: plain Python, no frappe import."""
