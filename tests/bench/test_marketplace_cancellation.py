"""A marketplace order cancelled on the platform reaches ERPNext (issue 11, findings 1-2).

Signed Shopify webhooks through the real guest endpoint, then the background job's `process`,
on a real ERPNext site: a cancellation after the Sales Order exists cancels it (once), one that
arrives cancelled makes none, one after shipping is put to review, and a same-second
cancellation is not lost as a duplicate.
"""

import frappe

from omni_channel.erp.orders import process
from tests.bench import builders
from tests.bench.test_order_path import post_webhook, shopify_order

OPENED = "2026-11-20T10:05:00+08:00"
LATER = "2026-11-20T11:30:00+08:00"


def post(payload: dict, topic: str = "orders/create", webhook_id: str = "wh-1"):
	"""The real guest endpoint, signed like Shopify, with the topic of the delivery."""
	return post_webhook(payload, topic=topic, webhook_id=webhook_id)


def cancelled(payload: dict, updated_at: str) -> dict:
	"""The same order as Shopify's orders/cancelled sends it."""
	return {
		**payload,
		"updated_at": updated_at,
		"cancelled_at": updated_at,
		"cancel_reason": "customer",
		"financial_status": "voided",
	}


def opened(order_id: int):
	"""A signed order, processed: its log key and its submitted Sales Order."""
	item = builders.item_with_stock(20, bin_name="A2-03-L", price=12)
	payload = shopify_order(order_id, item, 2, "12.00", OPENED)
	status, body = post(payload)
	assert (status, body["status"]) == (200, "created")
	so = process(body["order"])
	assert so and frappe.db.get_value("Sales Order", so, "docstatus") == 1
	return payload, body["order"], so


def log(key: str):
	return frappe.get_doc("Channel Order Log", key)


def test_a_cancellation_after_the_sales_order_cancels_it_once():
	payload, key, so = opened(840001)
	cancel = cancelled(payload, LATER)
	assert post(cancel, "orders/cancelled", "wh-c1") == (200, {"status": "updated", "order": key})
	assert process(key) == so
	assert frappe.db.get_value("Sales Order", so, "docstatus") == 2
	entry = log(key)
	assert entry.status == "Cancelled" and entry.sales_order == so
	assert "cancelled on the platform" in entry.hold_reason and "voided" in entry.hold_reason
	comments = frappe.get_all(
		"Comment",
		filters={"reference_doctype": "Sales Order", "reference_name": so, "comment_type": "Comment"},
	)
	assert len(comments) == 1, "the reason is on the Sales Order"

	# replayed: a duplicate, and processing again changes nothing
	modified = frappe.db.get_value("Sales Order", so, "modified")
	assert post(cancel, "orders/cancelled", "wh-c2") == (200, {"status": "duplicate", "order": key})
	assert process(key) == so
	assert frappe.db.get_value("Sales Order", so, "modified") == modified
	assert log(key).status == "Cancelled"
	assert frappe.db.count("Sales Order", {"th_omni_order_log": key}) == 1
	# an older open version arriving late never reopens it
	assert post(payload, "orders/updated", "wh-late")[1]["status"] == "duplicate"


def test_an_order_arriving_cancelled_never_becomes_a_submitted_sales_order():
	item = builders.item_with_stock(5, bin_name="A2-03-L", price=12)
	payload = cancelled(shopify_order(840002, item, 1, "12.00", OPENED), OPENED)
	status, body = post(payload, "orders/cancelled")
	assert (status, body["status"]) == (200, "created")
	assert process(body["order"]) is None
	assert process(body["order"]) is None
	entry = log(body["order"])
	assert entry.status == "Cancelled" and not entry.sales_order
	assert "before a Sales Order was made" in entry.hold_reason
	assert frappe.db.count("Sales Order", {"th_omni_order_log": body["order"]}) == 0


def test_a_cancellation_after_the_delivery_note_is_submitted_is_put_to_review():
	from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note

	payload, key, so = opened(840003)
	dn = make_delivery_note(so)
	dn.insert()
	dn.submit()
	assert post(cancelled(payload, LATER), "orders/cancelled", "wh-c3")[1]["status"] == "updated"
	assert process(key) == so
	assert frappe.db.get_value("Sales Order", so, "docstatus") == 1, "shipped goods: the order stays"
	entry = log(key)
	assert entry.status == "Review"
	assert "after shipping" in entry.hold_reason and dn.name in entry.hold_reason
	assert process(key) == so and log(key).status == "Review"


def test_a_draft_delivery_note_is_released_and_the_order_cancelled():
	from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note

	payload, key, so = opened(840004)
	dn = make_delivery_note(so)
	dn.insert()
	assert post(cancelled(payload, LATER), "orders/cancelled", "wh-c4")[1]["status"] == "updated"
	assert process(key) == so
	assert frappe.db.get_value("Sales Order", so, "docstatus") == 2
	assert not frappe.db.exists("Delivery Note", dn.name), "the draft made from it is gone"
	assert log(key).status == "Cancelled"


def test_a_same_second_cancellation_is_applied_not_dropped():
	payload, key, so = opened(840005)
	same_second = cancelled(payload, OPENED)  # Shopify: same updated_at, other status and content
	assert post(same_second, "orders/cancelled", "wh-c5") == (200, {"status": "updated", "order": key})
	assert process(key) == so
	assert frappe.db.get_value("Sales Order", so, "docstatus") == 2
	assert log(key).status == "Cancelled"
	# the open version delivered again in that same second is older now: nothing rolls back
	assert post(payload, "orders/create", "wh-c6")[1]["status"] == "duplicate"
	assert post(same_second, "orders/cancelled", "wh-c7")[1]["status"] == "duplicate"


def test_a_wave_and_its_draft_pick_list_release_the_cancelled_order_only():
	from wms_tms.erp import picking

	payload_a, key_a, so_a = opened(840006)
	payload_b, key_b, so_b = opened(840007)
	wave = picking.create_wave(builders.company(), builders.store(), [so_a, so_b])
	pl = picking.make_pick_list(wave.name)
	assert {loc.sales_order for loc in pl.locations} == {so_a, so_b}

	assert post(cancelled(payload_a, LATER), "orders/cancelled", "wh-c8")[1]["status"] == "updated"
	assert process(key_a) == so_a
	assert frappe.db.get_value("Sales Order", so_a, "docstatus") == 2
	assert {loc.sales_order for loc in frappe.get_doc("Pick List", pl.name).locations} == {so_b}
	assert [row.sales_order for row in frappe.get_doc("Pick Wave", wave.name).orders] == [so_b]

	# the other order is picked: its cancellation waits for a person
	picking.confirm_picked(pl.name)
	assert post(cancelled(payload_b, LATER), "orders/cancelled", "wh-c9")[1]["status"] == "updated"
	assert process(key_b) == so_b
	assert frappe.db.get_value("Sales Order", so_b, "docstatus") == 1
	entry = log(key_b)
	assert entry.status == "Review" and "after picking" in entry.hold_reason and pl.name in entry.hold_reason


def test_the_last_order_of_a_wave_cancelled_deletes_its_draft_pick_list():
	from wms_tms.erp import picking

	payload, key, so = opened(840008)
	wave = picking.create_wave(builders.company(), builders.store(), [so])
	pl = picking.make_pick_list(wave.name)
	assert post(cancelled(payload, LATER), "orders/cancelled", "wh-c10")[1]["status"] == "updated"
	assert process(key) == so
	assert frappe.db.get_value("Sales Order", so, "docstatus") == 2
	assert not frappe.db.exists("Pick List", pl.name)
	assert frappe.db.get_value("Pick Wave", wave.name, ["status", "pick_list"]) == ("Cancelled", None)
