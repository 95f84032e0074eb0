"""A picker on a phone (390×844): /pick shows the wave's Pick List in walking order; a wrong item is
refused on the spot (message, sound, vibration); the wave is completed with one line picked short
(its reason recorded); each parcel is checked by the packing scan (an extra item refused) and its
Delivery Note submitted; the Sales Order keeps the unpicked quantity open."""

import frappe
from frappe.utils import add_days, flt, nowdate

from tests.bench import builders
from tests.browser.conftest import desk_user
from tests.browser.test_stock_count import login

# records what the page does to the phone: vibrations and beeps
FEEDBACK_PROBE = """
window.__buzz = [];
window.__beeps = 0;
navigator.vibrate = (p) => { window.__buzz.push(p); return true; };
const C = window.AudioContext || window.webkitAudioContext;
if (C) {
	const make = C.prototype.createOscillator;
	C.prototype.createOscillator = function () { window.__beeps += 1; return make.call(this); };
}
"""


def sales_order(customer: str, lines: list[tuple[str, float]]) -> str:
	so = frappe.get_doc(
		{
			"doctype": "Sales Order",
			"customer": customer,
			"company": builders.company(),
			"selling_price_list": "Wholesale Gold",
			"delivery_date": add_days(nowdate(), 1),
			"set_warehouse": builders.bin_warehouse("A1-01-L"),
			"items": [{"item_code": i, "qty": q} for i, q in lines],
		}
	)
	so.insert(ignore_permissions=True)
	so.submit()
	return so.name


def barcode(item: str) -> str:
	return frappe.db.get_value("Item Barcode", {"parent": item}, "barcode")


def wave_for_picker() -> frappe._dict:
	"""Two customers' orders over three bins, on a wave with its Pick List, assigned to a new picker."""
	from wms_tms.erp import picking

	tea = builders.item_with_stock(10, bin_name="A1-02-L", price=8)
	cup = builders.item_with_stock(10, bin_name="A2-03-R", price=5)
	pot = builders.item_with_stock(10, bin_name="A3-01-L", price=30)
	so_a = sales_order(builders.customer().name, [(tea, 2), (cup, 3)])
	so_b = sales_order(builders.customer().name, [(pot, 1)])
	wave = picking.create_wave(builders.company(), builders.store(), [so_a, so_b])
	picker = desk_user("WMS Picker")
	wave.db_set("picker", picker)
	pl = picking.make_pick_list(wave.name)
	frappe.db.commit()
	rows = [
		frappe._dict(
			row=loc.name,
			item=loc.item_code,
			qty=flt(loc.stock_qty),
			bin=frappe.db.get_value("Warehouse", loc.warehouse, "warehouse_name"),
		)
		for loc in pl.locations
	]
	return frappe._dict(
		wave=wave.name,
		pick_list=pl.name,
		picker=picker,
		rows=rows,
		tea=tea,
		cup=cup,
		pot=pot,
		so_a=so_a,
		so_b=so_b,
	)


def scan(page, code: str, expect: str = "ok"):
	"""The hardware scanner types the code and Enter into the focused field; wait for the answer."""
	page.locator("#msg").evaluate("m => { m.dataset.kind = ''; }")
	page.fill("#scan", code)
	page.press("#scan", "Enter")
	page.wait_for_function("() => document.querySelector('#msg').dataset.kind !== ''", timeout=10_000)
	kind = page.locator("#msg").get_attribute("data-kind")
	assert kind == expect, f"scan {code}: {page.locator('#msg').inner_text()}"
	return page.locator("#msg").inner_text()


def test_a_picker_refuses_a_wrong_item_and_completes_the_wave_with_a_short_pick(phone):
	job = wave_for_picker()
	page = phone.page
	page.add_init_script(FEEDBACK_PROBE)
	login(phone, job.picker)
	phone.goto("/pick")
	lines = page.locator("#lines li.line")
	lines.first.wait_for()
	# walking order, as the Pick List has it: bin, item, quantity
	assert lines.count() == 3
	for i, r in enumerate(job.rows):
		text = lines.nth(i).inner_text()
		assert r.bin in text and r.item in text and f"0/{r.qty:g}" in text
	assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
	# BarcodeDetector is missing in this chromium: no dead camera button
	has_detector = page.evaluate("() => 'BarcodeDetector' in window")
	assert page.locator("#camera-btn").is_visible() == has_detector

	first = job.rows[0]
	assert first.bin in page.locator("#cur-bin").inner_text()
	scan(page, first.bin)
	wrong = next(r.item for r in job.rows if r.item != first.item)
	said = scan(page, barcode(wrong), expect="refused")
	assert "Wrong item" in said and first.item in said
	assert page.evaluate("() => window.__buzz.length") == 1, "the phone vibrates on a refusal"
	assert page.evaluate("() => window.__beeps") >= 2, "a beep for each scan"
	frappe.db.rollback()
	assert flt(frappe.db.get_value("Pick List Item", first.row, "picked_qty")) == 0

	short_row = next(r for r in job.rows if r.item == job.cup)
	for r in job.rows:
		if r is not first:
			scan(page, r.bin)
		picks = 1 if r is short_row else int(r.qty)
		for _n in range(picks):
			scan(page, barcode(r.item))
		if r is short_row:
			page.locator("#current details summary").click()
			page.select_option("#short-reason", "Not enough in bin")
			page.click("#short-btn")
			page.wait_for_function(
				"() => document.querySelector('#msg').textContent.includes('Short pick recorded')"
			)
	assert page.locator("#progress").inner_text() == "3/3"
	page.click("#finish")
	parcels = page.locator("#parcels .parcel")
	parcels.first.wait_for()
	assert parcels.count() == 2

	frappe.db.rollback()
	assert frappe.db.get_value("Pick List", job.pick_list, "docstatus") == 1
	assert frappe.db.get_value("Pick Wave", job.wave, "status") == "Picked"
	short = frappe.get_all(
		"Pick Wave Short", filters={"parent": job.wave}, fields=["item_code", "qty", "picked_qty", "reason"]
	)
	assert [(s.item_code, s.qty, s.picked_qty, s.reason) for s in short] == [
		(job.cup, 3, 1, "Not enough in bin")
	]
	notes = frappe.get_all(
		"Delivery Note", filters={"pick_list": job.pick_list}, fields=["name", "docstatus"], order_by="name"
	)
	assert [n.docstatus for n in notes] == [0, 0], "drafts until their parcel is packed"

	# packing: each parcel against its Delivery Note; an item that is not on it is refused
	for i in range(2):
		card = page.locator("#parcels .parcel").nth(i)
		dn = card.get_attribute("data-dn")
		items = frappe.get_all("Delivery Note Item", filters={"parent": dn}, fields=["item_code", "qty"])
		card.locator(".pack-start").click()
		stranger = job.pot if all(it.item_code != job.pot for it in items) else job.tea
		said = scan(page, barcode(stranger), expect="refused")
		assert "Extra" in said
		for it in items:
			for _n in range(int(it.qty)):
				scan(page, barcode(it.item_code))
		card.locator(".pack-submit").click()
		page.wait_for_function(
			"dn => document.querySelector(`.parcel[data-dn='${dn}']`).classList.contains('packed')", arg=dn
		)

	frappe.db.rollback()
	assert [frappe.db.get_value("Delivery Note", n.name, "docstatus") for n in notes] == [1, 1]
	delivered = {
		r.item_code: (flt(r.qty), flt(r.delivered_qty))
		for r in frappe.get_all(
			"Sales Order Item", filters={"parent": job.so_a}, fields=["item_code", "qty", "delivered_qty"]
		)
	}
	assert delivered == {job.tea: (2, 2), job.cup: (3, 1)}
	so = frappe.db.get_value("Sales Order", job.so_a, ["per_delivered", "status"], as_dict=True)
	assert 0 < so.per_delivered < 100 and so.status == "To Deliver and Bill", so
	assert frappe.db.get_value("Sales Order", job.so_b, "per_delivered") == 100
	phone.assert_clean("picker page")
