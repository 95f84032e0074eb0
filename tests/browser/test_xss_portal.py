"""Issue 10, "escaping everywhere" for the portal and the driver: a buyer, customer and address whose
names and typed fields carry script payloads, stored raw (as db_set / set_value would, skipping
Frappe's sanitising), and every page that shows them. No script may run, no console error."""

import frappe

from tests.bench import builders
from tests.browser import flows
from tests.browser.conftest import PASSWORD, set_password
from tests.browser.test_portal import top_up

PAYLOAD = (
	'<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>"\'><svg onload="window.__xss=1">'
)


def no_script_ran(watched, what: str):
	watched.page.wait_for_load_state("networkidle")
	assert watched.page.evaluate("() => window.__xss") is None, f"a payload ran on {what}"
	watched.assert_clean(what)


def hostile_buyer() -> frappe._dict:
	"""A Gold customer, its address and its portal login carrying PAYLOAD; an order, its invoice and
	its delivery on a trip of the demo driver, made through the apps' own code (committed)."""
	from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note, make_sales_invoice

	from b2b_mall.api.orders import place_order
	from wms_tms.erp import delivery

	cust = builders.customer("Gold Dealers", lat=23.1291, lng=113.3240)
	address = frappe.db.get_value(
		"Dynamic Link",
		{"link_doctype": "Customer", "link_name": cust.name, "parenttype": "Address"},
		"parent",
	)
	user = builders.portal_user_for(cust.name)
	set_password(user)
	top_up("TEA-001", "A1-01-L", 20)
	frappe.db.set_value("Customer", cust.name, "customer_name", f"Evil {PAYLOAD}")
	frappe.db.set_value(
		"Address", address, {"address_title": PAYLOAD, "address_line1": PAYLOAD, "city": PAYLOAD}
	)
	frappe.db.set_value("User", user, {"first_name": PAYLOAD, "last_name": PAYLOAD, "full_name": PAYLOAD})
	frappe.db.commit()

	frappe.set_user(user)
	try:
		so = place_order(items=[{"item_code": "TEA-001", "qty": 10}])["sales_order"]
	finally:
		frappe.set_user("Administrator")
	si = make_sales_invoice(so)
	si.insert(ignore_permissions=True)
	si.submit()
	dn = make_delivery_note(so)
	dn.insert(ignore_permissions=True)
	dn.submit()
	driver = frappe.db.get_value("Driver", {"th_wms_user": flows.driver_login()[0]})
	trip = delivery.plan_trip([dn.name], builders.DEMO["vehicle"]["license_plate"], driver)
	stop = trip.delivery_stops[0].name
	frappe.db.commit()
	return frappe._dict(customer=cust.name, user=user, sales_order=so, trip=trip.name, stop=stop)


def test_buyer_and_driver_pages_and_the_desk_trip_show_payloads_as_text(phone, desk):
	job = hostile_buyer()
	phone.login(job.user, PASSWORD)
	for path in ("/mall", "/orders", f"/orders/{job.sales_order}", "/statement"):
		phone.goto(path)
		no_script_ran(phone, path)
	phone.page.context.clear_cookies()

	phone.login(*flows.driver_login())
	phone.goto("/driver")
	stop = phone.page.locator(f'.stop[data-stop="{job.stop}"]')
	stop.wait_for()
	assert "window.__xss=1" in stop.inner_text(), "the address is shown as text, tags removed"
	no_script_ran(phone, "/driver")
	# the driver types the payload as the recipient (the endpoint the page posts to)
	from wms_tms.api.driver import deliver

	frappe.set_user(flows.driver_login()[0])
	try:
		deliver(stop=job.stop, recipient=PAYLOAD)
	finally:
		frappe.set_user("Administrator")
	frappe.db.commit()

	desk.login("Administrator", "admin")
	desk.goto(f"/app/delivery-trip/{job.trip}")
	desk.desk_ready()
	desk.page.wait_for_selector(".frappe-control[data-fieldname=delivery_stops] .grid-row")
	desk.page.locator(".frappe-control[data-fieldname=delivery_stops] .grid-body .grid-row").first.click()
	desk.page.wait_for_timeout(500)
	no_script_ran(desk, "desk Delivery Trip")
