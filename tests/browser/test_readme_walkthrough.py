"""The README's "Walk one order through the four apps by hand", done as its users do it.

Every step goes through the page or button the README names: the buyer's /mall and /orders, the
integrator's scripts/send_webhook.py against the running site, the desk's Channel Order Log, the
Pick Wave form and its buttons, the Delivery Note's Create → Sales Invoice, the Plan Delivery Trip
dialog, the driver's /driver on a phone, and the Customer's RFM tab. The test reads the database
only to check what the pages did.
"""

import json
import random
import subprocess
import sys
import time
from pathlib import Path

import frappe
from frappe.utils import flt

from tests.bench import builders
from tests.browser import flows
from tests.browser.test_portal import cart, top_up

REPO = Path(__file__).resolve().parents[2]
BUYER = next(c for c in builders.DEMO["customers"] if c["user"]["email"] == "buyer.gold@demo.local")


def webhook(base_url: str, *args: str) -> tuple[int, dict]:
	"""scripts/send_webhook.py, as the README runs it, against this site."""
	out = subprocess.run(
		[sys.executable, str(REPO / "scripts" / "send_webhook.py"), "--url", base_url, *args],
		capture_output=True,
		text=True,
		timeout=60,
		check=True,
	).stdout.strip()
	status, _, body = out.partition(" ")
	answer = json.loads(body or "{}")
	return int(status), answer.get("message", answer)


def wait_for(fn, timeout: float = 90, what: str = ""):
	"""Poll (fresh transaction each time) until fn() is truthy: background jobs run in the worker."""
	end = time.monotonic() + timeout
	while time.monotonic() < end:
		frappe.db.rollback()
		value = fn()
		if value:
			return value
		time.sleep(0.5)
	raise AssertionError(f"timed out waiting for {what}")


def form_ready(desk, doctype: str, name: str | None = None):
	desk.page.wait_for_function(
		"""([dt, name]) => window.cur_frm && cur_frm.doctype === dt && cur_frm.doc && cur_frm.layout
			&& (!name || cur_frm.docname === name)""",
		arg=[doctype, name],
	)
	desk.desk_ready()


def set_link(scope, fieldname: str, value: str):
	"""Type into a Link field and pick the value from its dropdown, as a user does."""
	field = scope.locator(f'.frappe-control[data-fieldname="{fieldname}"] input:visible').first
	field.click()
	field.fill(value)
	option = scope.page.locator(".awesomplete ul:not([hidden]) [role=option]", has_text=value).first
	option.wait_for()
	option.click()


def click_button(desk, label: str):
	desk.page.locator(
		".page-actions button:visible, .form-inner-toolbar button:visible", has_text=label
	).first.click()


def save(desk):
	desk.page.keyboard.press("Control+s")
	desk.page.wait_for_function("() => cur_frm && !cur_frm.is_new() && !cur_frm.is_dirty()")
	desk.desk_ready()


def submit(desk):
	desk.desk_ready()
	primary = desk.page.locator(".page-actions .primary-action:visible")
	assert primary.inner_text().strip() == "Submit"
	primary.click()
	confirm = desk.page.locator(".modal.show", has_text="Permanently Submit")
	confirm.wait_for()
	desk.page.wait_for_timeout(400)  # the dialog fades in; a click before that lands on nothing
	confirm.locator(".btn-modal-primary").click()  # Yes
	try:
		desk.page.wait_for_function("() => cur_frm && cur_frm.doc.docstatus === 1", timeout=20_000)
	except Exception as e:
		shown = desk.page.evaluate(
			"() => [...document.querySelectorAll('.modal.show')].map(m => m.innerText)"
		)
		raise AssertionError(f"not submitted; the desk shows {shown}") from e
	desk.desk_ready()


def test_the_readme_walkthrough(desk, phone, base_url):
	# the walkthrough's saves, pick lists and trips are slow while other suites load the shared site
	for watched in (desk, phone):
		watched.page.context.set_default_timeout(90_000)
	top_up("TEA-001", "A1-01-L", 100)
	top_up("CUP-002", "A1-02-R", 200)
	frappe.db.commit()
	customer = BUYER["customer_name"]

	# 1. Portal order: the Gold buyer, MOQ refusal first, then the README's cart
	phone.login(BUYER["user"]["email"], BUYER["user"]["password"])
	phone.goto("/mall")
	refused = cart(phone.page, {"TEA-001": 5})
	refused.wait_for()
	assert "alert-warning" in refused.get_attribute("class")
	cart(phone.page, {"TEA-001": 10, "CUP-002": 24})
	phone.page.wait_for_selector("#order-result .alert-success")
	portal_so = phone.page.locator("#order-result a").inner_text()
	phone.goto("/orders")
	phone.page.wait_for_selector(f"text={portal_so}")
	phone.assert_clean("step 1: /mall and /orders")

	# 2. Marketplace order by signed webhook: created, duplicate, forged, unmapped SKU
	order_id = random.randint(10**8, 10**9)
	status, body = webhook(base_url, "--id", str(order_id), "--cod")
	assert status == 200 and body["status"] == "created", body
	log = body["order"]
	status, body = webhook(base_url, "--id", str(order_id), "--cod")
	assert (status, body["status"]) == (200, "duplicate")
	assert webhook(base_url, "--id", str(order_id + 1), "--secret", "wrong")[0] == 401
	status, body = webhook(base_url, "--sku", "NOPE", "--id", str(order_id + 2))
	held_log = body["order"]
	market_so = wait_for(
		lambda: frappe.db.get_value("Sales Order", {"th_omni_order_log": log, "docstatus": 1}),
		what="the worker to turn the webhook into a Sales Order",
	)
	wait_for(
		lambda: frappe.db.get_value("Channel Order Log", held_log, "status") == "Held", what="held order"
	)

	desk.login("Administrator", frappe.conf.get("admin_password") or "admin")
	desk.goto(f"/app/channel-order-log/{log}")
	form_ready(desk, "Channel Order Log")
	assert market_so in desk.page.locator(".form-layout").inner_text()
	desk.goto(f"/app/channel-order-log/{held_log}")
	form_ready(desk, "Channel Order Log")
	assert "NOPE" in desk.page.locator(".form-message, .form-intro, .form-layout").first.inner_text()
	desk.assert_clean("step 2: Channel Order Log")

	# 3. Wave and picking: new Pick Wave with both orders, Make Pick List, Picked
	desk.goto("/app/pick-wave/new")
	form_ready(desk, "Pick Wave")
	page = desk.page
	form = page.locator(".form-layout")
	set_link(form, "warehouse", builders.store())
	grid = page.locator('.frappe-control[data-fieldname="orders"]')
	# the row editor: the first (empty) row's Edit, then Insert Below for the second order
	grid.locator(".grid-body .grid-row").first.locator(".btn-open-row").click()
	for n, so in enumerate((portal_so, market_so)):
		editor = page.locator(".grid-row-open")
		editor.wait_for()
		if n:
			editor.locator("button", has_text="Insert Below").first.click()
			page.wait_for_function("(n) => cur_frm.doc.orders.length === n", arg=n + 1)
			editor = page.locator(".grid-row-open")
		set_link(editor, "sales_order", so)
		page.wait_for_function(
			"([n, so]) => cur_frm.doc.orders[n] && cur_frm.doc.orders[n].sales_order === so", arg=[n, so]
		)
	page.keyboard.press("Escape")
	save(desk)
	wave = page.evaluate("() => cur_frm.doc.name")
	click_button(desk, "Make Pick List")
	page.wait_for_function("() => cur_frm.doc.pick_list")
	desk.desk_ready()
	pick_list = page.evaluate("() => cur_frm.doc.pick_list")
	click_button(desk, "Picked: make Delivery Notes")
	page.wait_for_function("() => cur_frm.doc.status === 'Picked'")
	desk.desk_ready()
	frappe.db.rollback()  # read what the web server committed
	dns = sorted(
		frappe.get_all("Delivery Note", filters={"pick_list": pick_list, "docstatus": 1}, pluck="name")
	)
	assert len(dns) == 2, dns
	walk = [r.warehouse for r in frappe.get_doc("Pick List", pick_list).locations]
	assert walk, "the Pick List has rows"
	desk.assert_clean("step 3: Pick Wave")

	# 4. Invoices: each Delivery Note, Create → Sales Invoice, submit
	invoices = {}
	for dn in dns:
		desk.goto(f"/app/delivery-note/{dn}")
		form_ready(desk, "Delivery Note")
		page.locator(".inner-group-button button", has_text="Create").click()
		page.locator(".inner-group-button .dropdown-menu a:visible", has_text="Sales Invoice").first.click()
		page.wait_for_function("() => cur_frm && cur_frm.doctype === 'Sales Invoice' && cur_frm.is_new()")
		desk.desk_ready()
		save(desk)
		submit(desk)
		invoices[dn] = page.evaluate("() => cur_frm.doc.name")
	desk.assert_clean("step 4: invoices")

	# 5. Trip: back on the wave, Plan Delivery Trip with the demo vehicle and driver
	driver = frappe.db.get_value("Driver", {"th_wms_user": flows.driver_login()[0]})
	desk.goto(f"/app/pick-wave/{wave}")
	form_ready(desk, "Pick Wave")
	click_button(desk, "Plan Delivery Trip")
	dialog = page.locator(".modal.show")
	set_link(dialog, "vehicle", builders.DEMO["vehicle"]["license_plate"])
	set_link(dialog, "driver", driver)
	dialog.locator(".btn-primary", has_text="Submit").click()
	page.wait_for_function("() => cur_frm && cur_frm.doctype === 'Delivery Trip' && !cur_frm.is_new()")
	desk.desk_ready()
	frappe.db.rollback()
	trip = frappe.get_doc("Delivery Trip", page.evaluate("() => cur_frm.doc.name"))
	assert trip.docstatus == 1 and {s.delivery_note for s in trip.delivery_stops} == set(dns)
	assert all(s.estimated_arrival for s in trip.delivery_stops)
	desk.assert_clean("step 5: Delivery Trip")

	# 6. Driver on a phone: each stop delivered, the COD one with the cash
	driver_phone = phone
	driver_phone.page.context.clear_cookies()
	driver_phone.login(*flows.driver_login())
	driver_phone.goto("/driver")
	for s in trip.delivery_stops:
		owed = flt(frappe.db.get_value("Sales Invoice", invoices[s.delivery_note], "outstanding_amount"))
		cod = frappe.db.get_value("Delivery Note", s.delivery_note, "th_cod")
		card = driver_phone.page.locator(f'.stop[data-stop="{s.name}"]')
		card.locator("input[name=recipient]").fill("Chen")
		card.locator("input[name=proof]").set_input_files(
			files=[{"name": "pod.png", "mimeType": "image/png", "buffer": flows.png()}]
		)
		if cod:
			card.locator("input[name=cash_collected]").fill(f"{owed:.2f}")
		with driver_phone.page.expect_navigation():
			card.locator("button[type=submit]").tap()
		driver_phone.page.wait_for_load_state("networkidle")
		assert driver_phone.page.locator(f'.stop[data-stop="{s.name}"] form.deliver').count() == 0
	frappe.db.rollback()
	trip.reload()
	assert trip.status == "Completed"
	cod_stops = [
		s for s in trip.delivery_stops if frappe.db.get_value("Delivery Note", s.delivery_note, "th_cod")
	]
	assert len(cod_stops) == 1 and cod_stops[0].th_wms_payment_entry
	driver_phone.assert_clean("step 6: /driver")

	# 7. RFM: the buyer's Customer shows the scores, recomputed on invoice submit
	desk.goto(f"/app/customer/{customer}")
	form_ready(desk, "Customer")
	page.locator(".form-tabs .nav-link", has_text="RFM").click()
	tab = page.locator(".tab-pane.active")
	assert tab.locator('[data-fieldname="th_crm_segment"] .control-value').inner_text().strip()
	assert tab.locator('[data-fieldname="th_crm_recency_days"] .control-value').inner_text().strip() == "0"
	desk.assert_clean("step 7: RFM tab")
