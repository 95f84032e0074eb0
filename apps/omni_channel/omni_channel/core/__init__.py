"""Business logic of Omni Channel: plain Python, no frappe import."""
