"""An order changed on the platform after its Sales Order exists (issue 11, "An order's life").

Signed Shopify webhooks through the real guest endpoint, then `process`: a change before picking
amends the Sales Order (ERPNext's amend: the old one cancelled, the amended copy submitted at the
new lines, address and total, to the cent); a change after picking is held with the difference
shown; a cancellation after shipping is held with a ToDo for a person. The order log keeps the
history of versions: when, what changed, what ERPNext did.
"""

import frappe
from frappe.utils import flt

from omni_channel.erp.orders import process
from tests.bench import builders
from tests.bench.test_marketplace_cancellation import LATER, cancelled, opened, post

EVEN_LATER = "2026-11-20T12:45:00+08:00"


def changed(payload: dict, updated_at: str, qty: int, street: str | None = None) -> dict:
	"""The same order with another quantity (and ship-to street), as orders/updated sends it."""
	line = {**payload["line_items"][0], "quantity": qty, "fulfillable_quantity": qty}
	price = flt(line["price"])
	out = {
		**payload,
		"updated_at": updated_at,
		"line_items": [line],
		"total_price": f"{price * qty:.2f}",
		"subtotal_price": f"{price * qty:.2f}",
	}
	if street:
		out["shipping_address"] = {**payload["shipping_address"], "address1": street}
	return out


def history(key: str) -> list:
	return frappe.get_all(
		"Channel Order Version",
		filters={"parent": key, "parenttype": "Channel Order Log"},
		fields=["platform_updated_at", "platform_status", "changes", "erp_action", "erp_document"],
		order_by="idx asc",
	)


def test_a_change_before_picking_amends_the_sales_order_to_the_new_lines_address_and_total():
	payload, key, so = opened(861101)
	assert (
		post(changed(payload, LATER, 3, "天河路 400 号"), "orders/updated", "wh-a1")[1]["status"] == "updated"
	)
	new = process(key)
	assert new and new != so
	assert frappe.db.get_value("Sales Order", so, "docstatus") == 2, "the old one is cancelled"
	amended = frappe.get_doc("Sales Order", new)
	assert amended.docstatus == 1 and amended.amended_from == so
	assert [(i.qty, i.rate) for i in amended.items] == [(3, 12.0)]
	assert amended.grand_total == 36.0, "the platform's new total to the cent"
	assert "天河路 400 号" in frappe.db.get_value("Address", amended.shipping_address_name, "address_line1")
	log = frappe.get_doc("Channel Order Log", key)
	assert log.sales_order == new and log.status == "Created"
	rows = history(key)
	assert [r.erp_action for r in rows] == [f"Sales Order {so} created", f"Sales Order {so} amended to {new}"]
	assert "quantity 2 → 3" in rows[1].changes and "天河路 400 号" in rows[1].changes
	assert rows[1].erp_document == new
	# the same version processed again changes nothing and adds no history
	assert process(key) == new and len(history(key)) == 2
	assert frappe.db.count("Sales Order", {"th_omni_order_log": key, "docstatus": 1}) == 1


def test_a_change_after_picking_is_held_with_the_difference_shown():
	from wms_tms.erp import picking

	payload, key, so = opened(861102)
	wave = picking.create_wave(builders.company(), builders.store(), [so])
	pl = picking.make_pick_list(wave.name)
	picking.confirm_picked(pl.name)
	assert post(changed(payload, LATER, 5), "orders/updated", "wh-a2")[1]["status"] == "updated"
	assert process(key) == so
	assert frappe.db.get_value("Sales Order", so, "docstatus") == 1, "picked goods: the order stays"
	log = frappe.get_doc("Channel Order Log", key)
	assert log.status == "Review"
	assert "after picking" in log.hold_reason and pl.name in log.hold_reason
	assert "quantity 2 → 5" in log.hold_reason and "total 24.00 → 60.00" in log.hold_reason
	assert frappe.db.exists("ToDo", {"reference_type": "Sales Order", "reference_name": so, "status": "Open"})
	assert "held for review" in history(key)[-1].erp_action


def test_a_cancellation_after_shipping_is_held_with_a_todo_for_a_person():
	from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note

	payload, key, so = opened(861103)
	dn = make_delivery_note(so)
	dn.insert()
	dn.submit()
	assert post(cancelled(payload, LATER), "orders/cancelled", "wh-a3")[1]["status"] == "updated"
	assert process(key) == so
	assert frappe.db.get_value("Sales Order", so, "docstatus") == 1
	todos = frappe.get_all(
		"ToDo",
		filters={"reference_type": "Sales Order", "reference_name": so, "status": "Open"},
		fields=["allocated_to", "description", "role"],
	)
	assert todos and all(t.role == "Sales Manager" for t in todos)
	assert "stop the shipment or book the return" in todos[0].description and dn.name in todos[0].description
	process(key)  # again: no second task
	assert frappe.db.count("ToDo", {"reference_type": "Sales Order", "reference_name": so}) == len(todos)
	rows = history(key)
	assert "voided" in rows[-1].platform_status and "status" in rows[-1].changes


def test_markup_in_a_changed_address_is_kept_as_text_in_the_history_and_escaped_in_the_task():
	from wms_tms.erp import picking

	evil = '<img src=x onerror="window.__xss=1">'
	payload, key, so = opened(861104)
	wave = picking.create_wave(builders.company(), builders.store(), [so])
	picking.confirm_picked(picking.make_pick_list(wave.name).name)
	assert post(changed(payload, LATER, 2, evil), "orders/updated", "wh-a4")[1]["status"] == "updated"
	process(key)
	assert evil in history(key)[-1].changes, "plain text, as typed"
	assert frappe.get_meta("Channel Order Version").get_field("changes").fieldtype == "Code"
	desc = frappe.db.get_value("ToDo", {"reference_name": so}, "description")
	assert "<img" not in desc and "&lt;img" in desc


def test_a_shipment_for_a_shop_without_an_api_url_is_a_clear_note_not_a_traceback():
	from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note

	from omni_channel.erp.shipping import ship_back

	payload, key, so = opened(861105)
	frappe.db.set_value(
		"Channel Shop", frappe.db.get_value("Channel Order Log", key, "shop"), "api_url", None
	)
	dn = make_delivery_note(so)
	dn.insert()
	dn.submit()
	errors = frappe.db.count("Error Log")
	assert ship_back(dn.name) == 0
	assert frappe.db.count("Error Log") == errors, "no traceback in the Error Log"
	note = frappe.db.get_value("Channel Order Log", key, "error")
	assert dn.name in note and "has no API URL" in note and "by hand" in note
