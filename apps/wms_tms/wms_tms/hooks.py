app_name = "wms_tms"
app_title = "WMS TMS"
app_publisher = "Trading Suite"
app_description = (
	"Warehouse bins, waves, pick paths, stock-takes, delivery routes and driver proof of delivery"
)
app_email = "dev@example.com"
app_license = "mit"

required_apps = ["frappe/erpnext"]  # org/repo: Frappe resolves a bare name through api.github.com at install

add_to_apps_screen = [
	{
		"name": "wms_tms",
		"logo": "/assets/erpnext/images/erpnext-logo.svg",
		"title": "WMS TMS",
		"route": "/app/wms-tms",
		"has_permission": "erpnext.check_app_permission",  # not for website users (they would land on /app: 403)
	}
]

after_install = "wms_tms.install.after_install"
after_migrate = "wms_tms.install.after_migrate"
before_uninstall = "wms_tms.install.before_uninstall"

export_python_type_annotations = True

# parcels and freight: the "Get waybill" button on Delivery Note, the label's QR code, a trip's cost
doctype_js = {"Delivery Note": "public/js/delivery_note_parcel.js"}
jinja = {"methods": ["wms_tms.erp.parcels.waybill_qr"]}
doc_events = {"Delivery Trip": {"validate": "wms_tms.erp.freight.on_trip_validate"}}

# stock alerts: each morning the Stock Managers get a notification per store with alerts
scheduler_events = {"daily": ["wms_tms.erp.stock_alerts.notify_daily"]}
