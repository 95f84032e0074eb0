app_name = "omni_channel"
app_title = "Omni Channel"
app_publisher = "Trading Suite"
app_description = "Marketplace channel sync: orders in exactly once, stock and shipments out"
app_email = "dev@example.com"
app_license = "mit"

required_apps = ["frappe/erpnext"]  # org/repo: Frappe resolves a bare name through api.github.com at install

add_to_apps_screen = [
	{
		"name": "omni_channel",
		"logo": "/assets/erpnext/images/erpnext-logo.svg",
		"title": "Omni Channel",
		"route": "/app/omni-channel",
		"has_permission": "erpnext.check_app_permission",  # not for website users (they would land on /app: 403)
	}
]

after_install = "omni_channel.install.after_install"
after_migrate = "omni_channel.install.after_migrate"
before_uninstall = "omni_channel.install.before_uninstall"

export_python_type_annotations = True

scheduler_events = {
	"cron": {
		"*/5 * * * *": ["omni_channel.erp.orders.retry_due"],
		"*/10 * * * *": ["omni_channel.erp.stock.push_all"],
		"*/15 * * * *": ["omni_channel.erp.orders.poll_all"],
	},
}

doc_events = {
	"Delivery Note": {
		"on_submit": "omni_channel.erp.shipping.on_delivery_note_submit",
	},
}
