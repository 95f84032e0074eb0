"""Business logic of Online CRM: plain Python, no frappe import."""
