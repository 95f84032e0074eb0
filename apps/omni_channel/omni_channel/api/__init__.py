"""Whitelisted endpoints of Omni Channel."""
