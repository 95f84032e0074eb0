"""Whitelisted endpoints of Online CRM."""
