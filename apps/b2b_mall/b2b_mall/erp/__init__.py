"""The only writer of ERPNext documents for B2B Mall."""
