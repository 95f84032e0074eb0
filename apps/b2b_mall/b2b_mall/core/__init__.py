"""Business logic of B2B Mall: plain Python, no frappe import."""
