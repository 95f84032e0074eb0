"""Stock alerts on a real site: safety stock from the Item's reorder levels per bin and per store,
slow movers from the Stock Ledger, the WMS Stock Alerts report, a draft Material Request from its
suggestions (the quantity worked out on the server), and the daily notification to Stock Managers."""

import frappe
import pytest

from tests.bench import builders
from tests.bench import dispatch_builders as db


def issue(item: str, qty: float, warehouse: str) -> None:
	se = frappe.get_doc(
		{
			"doctype": "Stock Entry",
			"stock_entry_type": "Material Issue",
			"company": builders.company(),
			"items": [{"item_code": item, "qty": qty, "s_warehouse": warehouse}],
		}
	)
	se.insert(ignore_permissions=True)
	se.submit()


@pytest.fixture(scope="module")
def world(site):
	return db.committed(build_world)


def build_world():
	from tests.bench.test_no_data_crosses_parties import system_user

	manager, clerk = system_user("Stock Manager"), system_user("Sales User")
	st = db.store()  # its item: 10,000 in the bin, never issued
	low = builders.item_with_stock(0)
	db._receive(low, 100, st.bin)
	issue(low, 73, st.bin)  # 27 left; 73 issued this year
	item = frappe.get_doc("Item", low)
	item.append(
		"reorder_levels",
		{
			"warehouse": st.bin,
			"warehouse_reorder_level": 40,
			"warehouse_reorder_qty": 10,
			"material_request_type": "Purchase",
		},
	)
	item.append(
		"reorder_levels",
		{
			"warehouse": st.name,
			"warehouse_reorder_level": 500,
			"warehouse_reorder_qty": 1000,
			"material_request_type": "Purchase",
		},
	)
	item.save(ignore_permissions=True)
	return frappe._dict(store=st, low=low, slow=st.item, manager=manager, clerk=clerk)


def rows(world, **filters):
	from wms_tms.wms_tms.report.wms_stock_alerts.wms_stock_alerts import execute

	return execute({"store": world.store.name, **filters})[1]


def test_the_report_lists_bin_and_store_alerts_with_their_suggestion(world):
	got = {(r["location"], r["item"], r["kind"]): r for r in rows(world)}
	bin_low = got[(world.store.bin, world.low, "below_safety")]
	# 40 + 30 days × 73/365 a day − 27 = 19 → at least the reorder quantity 10: 19
	assert (bin_low["on_hand"], bin_low["safety_stock"], bin_low["suggested_qty"]) == (27, 40, 19)
	store_low = got[(world.store.name, world.low, "below_safety")]
	assert store_low["suggested_qty"] == 1000 and store_low["level_key"] == "warehouse"
	assert (world.store.bin, world.slow, "slow_moving") in got
	assert (world.store.name, world.slow, "slow_moving") in got
	assert got[(world.store.bin, world.slow, "slow_moving")]["days_since_issue"] is None
	assert (world.store.bin, world.low, "slow_moving") not in got, "issued today"
	only_bins = rows(world, level="bin", kind="below_safety")
	assert [(r["location"], r["item"]) for r in only_bins] == [(world.store.bin, world.low)]


def test_the_button_makes_a_draft_material_request_with_the_servers_quantity(world):
	from wms_tms.api.stock_alerts import make_material_request

	names = make_material_request(
		[
			{"item": world.low, "warehouse": world.store.bin, "qty": 99999},
			{"item": world.slow, "warehouse": world.store.bin},  # slow, not low: nothing to order
		]
	)
	(name,) = names
	mr = frappe.get_doc("Material Request", name)
	assert mr.docstatus == 0 and mr.material_request_type == "Purchase"
	assert [(i.item_code, i.warehouse, i.qty) for i in mr.items] == [(world.low, world.store.bin, 19)]
	with pytest.raises(frappe.ValidationError, match="Nothing to replenish"):
		make_material_request([{"item": world.slow, "warehouse": world.store.bin}])
	with pytest.raises(frappe.ValidationError, match="Choose the alerts"):
		make_material_request([])


def test_a_user_who_may_not_request_material_is_refused(world):
	from wms_tms.api.stock_alerts import make_material_request

	frappe.set_user(world.clerk)
	with pytest.raises(frappe.PermissionError):
		make_material_request([{"item": world.low, "warehouse": world.store.bin}])
	assert not frappe.db.exists("Material Request Item", {"item_code": world.low})


def test_the_daily_job_notifies_each_stock_manager_with_a_link_to_the_report(world):
	from wms_tms.erp.stock_alerts import notify_daily

	manager, clerk = world.manager, world.clerk
	assert notify_daily() >= 1
	logs = frappe.get_all(
		"Notification Log", filters={"for_user": manager}, fields=["subject", "link", "type"]
	)
	mine = [n for n in logs if world.store.name in n.subject]
	assert len(mine) == 1 and mine[0].type == "Alert"
	assert "2 below safety stock, 2 slow-moving, 0 overstock" in mine[0].subject
	assert "/app/query-report/WMS Stock Alerts" in mine[0].link
	assert not frappe.db.exists("Notification Log", {"for_user": clerk})
