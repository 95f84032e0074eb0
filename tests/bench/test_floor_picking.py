"""Picking on the floor, server side: the scan checks hold whatever the page sends, and a short pick
recorded in the desk leaves the rest open on the Sales Order."""

import frappe
import pytest
from frappe.utils import add_days, flt, nowdate

from tests.bench import builders


def wave_with_pick_list(picker: str | None = None):
	from wms_tms.erp import picking

	tea = builders.item_with_stock(10, bin_name="A1-02-R", price=8)
	cup = builders.item_with_stock(10, bin_name="A2-01-L", price=5)
	so = frappe.get_doc(
		{
			"doctype": "Sales Order",
			"customer": builders.customer().name,
			"company": builders.company(),
			"selling_price_list": "Wholesale Gold",
			"delivery_date": add_days(nowdate(), 1),
			"set_warehouse": builders.bin_warehouse("A1-02-R"),
			"items": [{"item_code": tea, "qty": 2}, {"item_code": cup, "qty": 3}],
		}
	)
	so.insert(ignore_permissions=True)
	so.submit()
	wave = picking.create_wave(builders.company(), builders.store(), [so.name])
	if picker:
		wave.db_set("picker", picker)
	pl = picking.make_pick_list(wave.name)
	rows = {loc.item_code: loc for loc in pl.locations}
	return frappe._dict(wave=wave.name, pick_list=pl.name, so=so.name, tea=tea, cup=cup, rows=rows)


def picker_user() -> str:
	email = f"picker-{frappe.generate_hash(length=8)}@test.local"
	user = frappe.get_doc(
		{"doctype": "User", "email": email, "first_name": "Picker", "send_welcome_email": 0}
	)
	user.insert(ignore_permissions=True)
	user.add_roles("WMS Picker")
	return email


def test_the_server_refuses_a_wrong_bin_a_wrong_item_and_an_over_pick():
	from wms_tms.erp import floor

	picker = picker_user()
	job = wave_with_pick_list(picker)
	tea = job.rows[job.tea]
	short_name = frappe.db.get_value("Warehouse", tea.warehouse, "warehouse_name")
	frappe.set_user(picker)
	assert floor.record_pick(job.wave, tea.name, "", short_name)["at_bin"] == tea.warehouse
	with pytest.raises(frappe.ValidationError, match="Wrong bin"):
		floor.record_pick(job.wave, tea.name, "", builders.bin_warehouse("A3-04-R"))
	with pytest.raises(frappe.ValidationError, match="Wrong item"):
		floor.record_pick(job.wave, tea.name, tea.warehouse, job.cup)
	with pytest.raises(frappe.ValidationError, match="Scan bin"):
		floor.record_pick(job.wave, tea.name, "", job.tea)
	assert floor.record_pick(job.wave, tea.name, tea.warehouse, job.tea, 2)["done"]
	with pytest.raises(frappe.ValidationError, match="already done"):
		floor.record_pick(job.wave, tea.name, tea.warehouse, job.tea)
	cup = job.rows[job.cup]
	with pytest.raises(frappe.ValidationError, match="Over-pick"):
		floor.record_pick(job.wave, cup.name, cup.warehouse, job.cup, 4)
	with pytest.raises(frappe.ValidationError, match="Lines still open"):
		floor.finish(job.wave)
	assert flt(frappe.db.get_value("Pick List Item", cup.name, "picked_qty")) == 0
	assert flt(frappe.db.get_value("Pick List Item", tea.name, "picked_qty")) == 2


def test_a_short_pick_in_the_desk_delivers_what_was_picked_and_keeps_the_rest_open():
	from wms_tms.api import waves

	job = wave_with_pick_list()
	cup = job.rows[job.cup]
	waves.record_short(job.wave, cup.name, 1, "Damaged")
	with pytest.raises(frappe.ValidationError):
		waves.record_short(job.wave, job.rows[job.tea].name, 2, "Damaged")  # not short at all
	notes = waves.confirm_picked(job.wave)
	assert len(notes) == 1
	delivered = {
		r.item_code: flt(r.qty)
		for r in frappe.get_all(
			"Delivery Note Item", filters={"parent": notes[0]}, fields=["item_code", "qty"]
		)
	}
	assert delivered == {job.tea: 2, job.cup: 1}
	so_rows = {
		r.item_code: flt(r.delivered_qty)
		for r in frappe.get_all(
			"Sales Order Item", filters={"parent": job.so}, fields=["item_code", "delivered_qty"]
		)
	}
	assert so_rows == {job.tea: 2, job.cup: 1}
	assert frappe.db.get_value("Sales Order", job.so, "status") == "To Deliver and Bill"
	short = frappe.get_all(
		"Pick Wave Short", filters={"parent": job.wave}, fields=["item_code", "reason", "picked_qty"]
	)
	assert [(s.item_code, s.reason, s.picked_qty) for s in short] == [(job.cup, "Damaged", 1)]
