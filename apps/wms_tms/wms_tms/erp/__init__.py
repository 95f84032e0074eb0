"""The only writer of ERPNext documents for WMS TMS."""
