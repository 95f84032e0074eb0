"""Whitelisted endpoints of B2B Mall."""
