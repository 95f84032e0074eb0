app_name = "online_crm"
app_title = "Online CRM"
app_publisher = "Trading Suite"
app_description = "RFM scores, segments, churn warnings, campaigns and loyalty across all channels"
app_email = "dev@example.com"
app_license = "mit"

required_apps = ["frappe/erpnext"]  # org/repo: Frappe resolves a bare name through api.github.com at install

add_to_apps_screen = [
	{
		"name": "online_crm",
		"logo": "/assets/erpnext/images/erpnext-logo.svg",
		"title": "Online CRM",
		"route": "/app/online-crm",
		"has_permission": "erpnext.check_app_permission",  # not for website users (they would land on /app: 403)
	}
]

after_install = "online_crm.install.after_install"
after_migrate = "online_crm.install.after_migrate"
before_uninstall = "online_crm.install.before_uninstall"

export_python_type_annotations = True

doc_events = {
	"Sales Order": {"validate": "online_crm.erp.blacklist.refuse_blacklisted_order"},
	"Sales Invoice": {
		"on_submit": "online_crm.erp.rfm.on_invoice_change",
		"on_cancel": "online_crm.erp.rfm.on_invoice_change",
	},
}

scheduler_events = {
	"daily_long": ["online_crm.erp.rfm.full_run"],
	"cron": {"*/10 * * * *": ["online_crm.erp.reminders.scheduled"]},
}
