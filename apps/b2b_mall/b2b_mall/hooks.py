app_name = "b2b_mall"
app_title = "B2B Mall"
app_publisher = "Trading Suite"
app_description = (
	"Wholesale ordering portal: tier prices, live stock, cart to Sales Order, balance and statements"
)
app_email = "dev@example.com"
app_license = "mit"

required_apps = ["frappe/erpnext"]  # org/repo: Frappe resolves a bare name through api.github.com at install

# a wholesale buyer (ERPNext's Customer role, given to a Customer's Portal Users) starts at the mall
role_home_page = {"Customer": "mall"}

# the Customer form's "Invite buyer" button (a buyer invitation link and QR code)
doctype_js = {"Customer": "public/js/customer.js"}
# a "Scan to log in" link on Frappe's /login page, to /mall-login
web_include_js = ["/assets/b2b_mall/js/login_link.js"]

add_to_apps_screen = [
	{
		"name": "b2b_mall",
		"logo": "/assets/erpnext/images/erpnext-logo.svg",
		"title": "B2B Mall",
		"route": "/app/b2b-mall",
		"has_permission": "erpnext.check_app_permission",  # not for website users (they would land on /app: 403)
	}
]

after_install = "b2b_mall.install.after_install"
after_migrate = "b2b_mall.install.after_migrate"
before_uninstall = "b2b_mall.install.before_uninstall"

export_python_type_annotations = True

portal_menu_items = [
	{"title": "B2B Mall", "route": "/mall", "reference_doctype": "Sales Order", "role": "Customer"},
	{
		"title": "Account Statement",
		"route": "/statement",
		"reference_doctype": "Sales Invoice",
		"role": "Customer",
	},
	{"title": "Pay Online", "route": "/mall-pay", "reference_doctype": "Sales Order", "role": "Customer"},
	{
		"title": "Order Approvals",
		"route": "/mall-approvals",
		"reference_doctype": "Sales Order",
		"role": "Customer",
	},
	{"title": "My Orders", "route": "/my/orders", "reference_doctype": "Sales Order", "role": "Customer"},
	{"title": "Points", "route": "/my/points", "reference_doctype": "Sales Invoice", "role": "Customer"},
]

# a buyer reads and prints (PDF) their own customer's statement confirmations
has_website_permission = {
	"Mall Statement Confirmation": "b2b_mall.erp.account.has_website_permission",
}

# the statement's ledger lines in the print format "Mall Statement Confirmation"
jinja = {"methods": ["b2b_mall.erp.account.b2b_mall_statement"]}

# the catalogue caches each buyer's ERPNext price per item (erp/catalogue.py); what prices depend on
# drops it
doc_events = {
	# points a buyer asked to redeem at checkout reach the order's invoices (erp/account.py)
	"Sales Invoice": {"before_validate": "b2b_mall.erp.account.redeem_on_invoice"},
	"Item Price": {
		"on_update": "b2b_mall.erp.catalogue.forget_prices",
		"on_trash": "b2b_mall.erp.catalogue.forget_prices",
	},
	"Pricing Rule": {
		"on_update": "b2b_mall.erp.catalogue.forget_prices",
		"on_trash": "b2b_mall.erp.catalogue.forget_prices",
	},
	"Price List": {
		"on_update": "b2b_mall.erp.catalogue.forget_prices",
		"on_trash": "b2b_mall.erp.catalogue.forget_prices",
	},
	"Customer": {
		"on_update": "b2b_mall.erp.catalogue.forget_prices",
		"on_trash": "b2b_mall.erp.catalogue.forget_prices",
	},
	"Customer Group": {
		"on_update": "b2b_mall.erp.catalogue.forget_prices",
		"on_trash": "b2b_mall.erp.catalogue.forget_prices",
	},
	"Item": {
		"on_update": "b2b_mall.erp.catalogue.forget_prices",
		"on_trash": "b2b_mall.erp.catalogue.forget_prices",
	},
}
# a full `frappe.clear_cache()` (migrate, many settings saves) keeps the catalogue's prices: they
# expire by themselves (10 minutes, and at midnight) and the doc_events above drop them on change
# a pending QR login lives only in Redis (erp/buyers.py): a clear_cache during its 2 minutes keeps it
persistent_cache_keys = ["b2b_mall:price:*", "b2b_mall:qr_login:*"]

# online payments the gateway never confirmed: their Payment Requests are cancelled so the buyer can
# pay again (b2b_mall.erp.payments)
scheduler_events = {"cron": {"*/5 * * * *": ["b2b_mall.erp.payments.expire_due_payments"]}}
