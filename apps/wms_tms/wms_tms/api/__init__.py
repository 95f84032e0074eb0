"""Whitelisted endpoints of WMS TMS."""
