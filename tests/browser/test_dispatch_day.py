"""A dispatcher (Stock User) on a phone (390×844) plans tomorrow for a store on the desk page Dispatch a
Day: seven open Delivery Notes over three vans, each van a draft Delivery Trip with its stops and ETAs
and its route drawn on the map (an SVG, no tile service), the one note no van can carry listed with its
reason. A van drops out: the re-plan says which stops moved. The van is back, the day is planned again
and dispatched: three submitted Delivery Trips."""

import frappe
from frappe.utils import add_days, nowdate

from tests.bench import dispatch_builders as db
from tests.browser.conftest import SHOTS, desk_user
from tests.browser.test_stock_count import login


def world() -> frappe._dict:
	def build():
		st = db.store()
		vans = [db.vehicle(st, 130, 2) for _ in range(3)]
		notes = [db.note(st, 6, *db.around(i, 6, radius=0.025)) for i in range(6)]  # 60 kg each
		heavy = db.note(st, 20, *db.around(2, 6, radius=0.01))  # 200 kg: no van carries it
		return frappe._dict(store=st, vans=vans, notes=notes, heavy=heavy, user=desk_user("Stock User"))

	return db.committed(build)


def plan(page, expect_trips: int):
	with page.expect_response(lambda r: "wms_tms.api.dispatch.plan" in r.url and r.status == 200):
		page.locator(".page-actions .primary-action:visible").click()
	page.wait_for_function(f"() => document.querySelectorAll('.wms-trip').length === {expect_trips}")


def test_a_day_is_planned_over_three_vans_replanned_and_dispatched(phone):
	w = world()
	page = phone.page
	page.context.set_default_timeout(60_000)
	login(phone, w.user)  # patient with a busy shared site
	phone.route("/app/wms-dispatch-day")
	store_input = page.locator('.page-form [data-fieldname="store"] input')
	store_input.fill(w.store.name)
	page.wait_for_timeout(400)
	store_input.press("Escape")
	store_input.evaluate("i => i.blur()")
	page.wait_for_function("() => document.querySelectorAll('tr[data-vehicle]').length === 3")
	assert "7" in page.locator(".wms-summary").inner_text()  # 7 open notes

	plan(page, 3)
	trips = frappe.get_all(
		"Delivery Trip",
		filters={"th_wms_day_plan": f"{w.store.name}|{add_days(nowdate(), 1)}", "docstatus": 0},
		pluck="name",
	)
	assert len(trips) == 3
	for van in w.vans:
		card = page.locator(f'.wms-trip[data-vehicle="{van}"]')
		assert card.locator("tr[data-note]").count() == 2, "130 kg vans carry two 60 kg orders each"
		assert ":" in card.locator("tr[data-note] td").nth(1).inner_text()  # an ETA hh:mm
	assert page.locator(".wms-map svg polyline.wms-route").count() == 3
	assert page.locator(".wms-map svg .wms-stop").count() == 6
	assert page.locator(".wms-map svg image").count() == 0, "no map tiles without a tile URL"
	unserved = page.locator(f'.wms-unserved tr[data-note="{w.heavy}"]')
	assert unserved.get_attribute("data-reason") == "too_heavy"
	assert "Heavier than any vehicle" in unserved.inner_text()
	assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
	SHOTS.mkdir(exist_ok=True)
	page.screenshot(path=str(SHOTS / "dispatch_day_planned.png"), full_page=True)

	# a van drops out: its stops move or are left for want of room
	gone = w.vans[0]
	on_gone = page.locator(f'.wms-trip[data-vehicle="{gone}"] tr[data-note]').evaluate_all(
		"rs => rs.map(r => r.dataset.note)"
	)
	page.locator(f'tr[data-vehicle="{gone}"] input[type=checkbox]').uncheck()
	plan(page, 2)
	moved = page.locator(".wms-moved")
	for note in on_gone:
		row = moved.locator(f'tr[data-note="{note}"]')
		assert row.get_attribute("data-kind") in ("vehicle", "dropped")
		assert gone in row.inner_text()
	page.screenshot(path=str(SHOTS / "dispatch_day_replanned.png"), full_page=True)

	# it is back: plan again and dispatch
	page.locator(f'tr[data-vehicle="{gone}"] input[type=checkbox]').check()
	plan(page, 3)
	page.locator("button.wms-send").click()
	with page.expect_response(lambda r: "wms_tms.api.dispatch.send" in r.url and r.status == 200):
		page.locator(".modal.show .btn-primary").click()
	frappe.db.rollback()
	submitted = frappe.get_all(
		"Delivery Trip",
		filters={"th_wms_day_plan": f"{w.store.name}|{add_days(nowdate(), 1)}", "docstatus": 1},
		fields=["vehicle", "status"],
	)
	assert sorted(t.vehicle for t in submitted) == sorted(w.vans)
	assert {t.status for t in submitted} == {"Scheduled"}
	phone.assert_clean("Dispatch a Day")
