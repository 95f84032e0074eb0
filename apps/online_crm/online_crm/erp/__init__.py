"""The only writer of ERPNext documents for Online CRM."""
