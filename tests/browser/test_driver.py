"""A driver on a phone (390×844, touch): logs in, opens /driver, delivers a stop with a photo and the cash."""

import frappe
from frappe.utils import flt

from tests.browser import flows


def test_the_driver_delivers_a_cod_stop_with_photo_and_cash(phone):
	job = flows.cod_trip()
	assert job.owed > 0
	phone.login(*flows.driver_login())
	phone.goto("/driver")
	page = phone.page
	stop = page.locator(f'.stop[data-stop="{job.stop}"]')
	stop.wait_for()
	assert job.customer in stop.inner_text() and job.delivery_note in stop.inner_text()
	assert stop.locator("input[name=cash_collected]").count() == 1, "a COD stop asks for the cash"
	# the page fits the phone: no sideways scrolling
	assert page.evaluate("() => document.documentElement.scrollWidth") <= 390

	stop.locator("input[name=recipient]").fill("王美")
	stop.locator("input[name=proof]").set_input_files(
		files=[{"name": "pod.png", "mimeType": "image/png", "buffer": flows.png()}]
	)
	stop.locator("input[name=cash_collected]").fill(f"{job.owed:.2f}")
	with page.expect_navigation():
		stop.locator("button[type=submit]").tap()
	page.wait_for_load_state("networkidle")
	# the stop is closed: shown as delivered, or gone with its completed trip
	assert page.locator(f'.stop[data-stop="{job.stop}"] form.deliver').count() == 0

	frappe.db.rollback()  # read what the web server committed
	row = frappe.db.get_value(
		"Delivery Stop",
		job.stop,
		["visited", "th_wms_recipient", "th_wms_payment_entry", "th_wms_pod_file"],
		as_dict=True,
	)
	assert row.visited and row.th_wms_recipient == "王美" and row.th_wms_pod_file
	files = frappe.get_all(
		"File",
		filters={"attached_to_doctype": "Delivery Note", "attached_to_name": job.delivery_note},
		pluck="file_name",
	)
	assert files and files[0].endswith(".png")
	pe = frappe.get_doc("Payment Entry", row.th_wms_payment_entry)
	assert pe.docstatus == 1 and flt(pe.paid_amount) == job.owed
	assert pe.references[0].reference_name == job.invoice
	assert flt(frappe.db.get_value("Sales Invoice", job.invoice, "outstanding_amount")) == 0
	phone.assert_clean("driver page")
