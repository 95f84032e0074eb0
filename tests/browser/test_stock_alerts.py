"""A stock manager opens the WMS Stock Alerts report for a store: the bin below its safety stock shows
the quantity to order, the slow mover is listed, and the report's button makes a draft Material Request
with that quantity."""

import frappe

from tests.bench import builders
from tests.bench import dispatch_builders as db
from tests.browser.conftest import SHOTS, desk_user
from tests.browser.test_stock_count import login


def world() -> frappe._dict:
	def build():
		st = db.store()  # its item: 10,000 in the bin, never issued: slow-moving
		low = builders.item_with_stock(0)
		db._receive(low, 30, st.bin)
		item = frappe.get_doc("Item", low)
		item.append(
			"reorder_levels",
			{
				"warehouse": st.bin,
				"warehouse_reorder_level": 50,
				"warehouse_reorder_qty": 25,
				"material_request_type": "Purchase",
			},
		)
		item.save(ignore_permissions=True)
		return frappe._dict(store=st, low=low, user=desk_user("Stock User", "Stock Manager"))

	return db.committed(build)


def test_the_stock_manager_turns_an_alert_into_a_material_request(desk):
	w = world()
	page = desk.page
	page.context.set_default_timeout(60_000)
	login(desk, w.user)  # patient with a busy shared site
	desk.route("/app/query-report/WMS Stock Alerts")
	page.wait_for_function(
		"() => frappe.query_report && frappe.query_report.report_name === 'WMS Stock Alerts'"
		" && !frappe.query_report.$loading.is(':visible')"
	)
	with page.expect_response(lambda r: "query_report.run" in r.url and r.status == 200):
		page.evaluate("store => frappe.query_report.set_filter_value('store', store)", w.store.name)
	page.wait_for_function(
		"(store) => frappe.query_report.get_filter_value('store') === store && frappe.query_report.data"
		" && frappe.query_report.data.length && !frappe.query_report.$loading.is(':visible')",
		arg=w.store.name,
	)
	data = page.evaluate("() => frappe.query_report.data")
	rows = {(r["location"], r["item"], r["kind"]): r for r in data}
	low = rows[(w.store.bin, w.low, "below_safety")]
	# 50 − 30 = 20 (nothing issued yet), at least the reorder quantity 25
	assert (low["on_hand"], low["safety_stock"], low["suggested_qty"]) == (30, 50, 25)
	assert (w.store.bin, w.store.item, "slow_moving") in rows
	table = page.locator(".dt-scrollable")
	assert "Below safety stock" in table.inner_text() and "Slow-moving" in table.inner_text()

	with page.expect_response(lambda r: "make_material_request" in r.url and r.status == 200):
		page.get_by_role("button", name="Make Material Request").click()
	dialog = page.locator(".modal.show .msgprint")
	dialog.wait_for()
	name = dialog.locator("a").inner_text()
	assert name.startswith("MAT-MR-") or frappe.db.exists("Material Request", name)
	SHOTS.mkdir(exist_ok=True)
	page.screenshot(path=str(SHOTS / "stock_alerts_material_request.png"))
	frappe.db.rollback()
	mr = frappe.get_doc("Material Request", name)
	assert mr.docstatus == 0 and mr.owner == w.user
	assert [(i.item_code, i.warehouse, i.qty) for i in mr.items] == [(w.low, w.store.bin, 25)]
	desk.assert_clean("WMS Stock Alerts")
