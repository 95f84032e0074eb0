"""The only writer of ERPNext documents for Omni Channel."""
