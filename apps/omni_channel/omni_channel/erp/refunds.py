"""Marketplace refunds into ERPNext, once each: a credit note against the order's invoice, and a
stock return for goods that came back and were inspected (good or defective warehouse).

`record` (webhook request) stores the refund under a name made of shop and refund id, so a
redelivery is a duplicate by primary key. Lines whose goods come back wait for a person to
inspect them; a refund with nothing to inspect is booked at once. `book` asks the core what
to do (`money.return_intent`) with what ERPNext says was shipped, and writes it.

Booking from the desk (`book`) runs with the caller's own rights on what it creates: the credit
note needs create + submit on Sales Invoice, the stock return on Delivery Note, and ERPNext's own
permission checks (user permissions included) apply to both. Only a refund with nothing to
inspect, booked by the job the signed webhook queued (`book_unattended`), writes as the system.
"""

import json
from dataclasses import replace

import frappe
from erpnext.controllers.sales_and_purchase_return import make_return_doc
from frappe import _
from frappe.database.database import savepoint
from frappe.utils import flt

from omni_channel import channels
from omni_channel.core.money import return_intent
from omni_channel.core.order import order_key


def refund_key(shop: str, refund_id: str) -> str:
	return order_key(shop, f"refund-{refund_id}")


def _order_items(log_name: str) -> tuple[str | None, dict[str, frappe._dict]]:
	"""The Sales Order of a marketplace order and its items by marketplace line id."""
	so = frappe.db.get_value("Channel Order Log", log_name, "sales_order")
	if not so:
		return None, {}
	rows = frappe.get_all(
		"Sales Order Item",
		filters={"parent": so},
		fields=["name", "item_code", "qty", "delivered_qty", "th_omni_line_id"],
	)
	return so, {r.th_omni_line_id: r for r in rows if r.th_omni_line_id}


def record(shop, refund, order_external_id: str, raw: bytes) -> str:
	"""Store one refund; 'created' | 'duplicate'. Books it at once when nothing needs inspecting."""
	key = refund_key(shop.name, refund.external_id)
	log_name = order_key(shop.name, order_external_id)
	_so, items = _order_items(log_name)
	doc = frappe.get_doc(
		{
			"doctype": "Channel Refund",
			"shop": shop.name,
			"order_log": log_name if frappe.db.exists("Channel Order Log", log_name) else None,
			"refund_id": refund.external_id,
			"amount": flt(refund.amount),
			"reason": refund.reason,
			"status": "Awaiting Inspection",
			"payload": raw.decode("utf-8", "replace"),
			"lines": [
				{
					"external_line_id": ln.external_line_id,
					"item_code": items[ln.external_line_id].item_code
					if ln.external_line_id in items
					else None,
					"qty": ln.quantity,
					"restock": 1 if ln.restock else 0,
					"shipped": 1
					if ln.external_line_id in items and flt(items[ln.external_line_id].delivered_qty) > 0
					else 0,
				}
				for ln in refund.lines
			],
		}
	)
	inserted = False
	doc.flags.from_webhook = True
	with savepoint(catch=frappe.DuplicateEntryError):  # the primary key decides, also under races
		doc.insert(ignore_permissions=True, set_name=key)
		inserted = True
	if not inserted:
		return "duplicate"
	if not any(row.restock and row.shipped for row in doc.lines):
		frappe.enqueue(
			"omni_channel.erp.refunds.book_unattended",
			queue="short",
			enqueue_after_commit=True,
			job_id=f"omni-refund::{key}",
			deduplicate=True,
			name=key,
		)
	return "created"


def book(name: str) -> frappe._dict:
	"""Write the credit note and the stock return for one refund (once), with the caller's rights."""
	return _book(name, as_system=False)


def book_unattended(name: str) -> frappe._dict:
	"""The job a signed refund webhook queues when nothing needs inspecting: books as the system."""
	return _book(name, as_system=True)


def require_rights(doctype: str) -> None:
	"""Refuse unless the session user may create and submit `doctype` documents."""
	for ptype in ("create", "submit"):
		if not frappe.has_permission(doctype, ptype):
			frappe.throw(
				_("You need the right to create and submit {0} documents to do this.").format(_(doctype)),
				frappe.PermissionError,
			)


def _book(name: str, as_system: bool) -> frappe._dict:
	doc = frappe.get_doc("Channel Refund", name, for_update=True)
	if doc.status == "Booked":
		return frappe._dict(credit_note=doc.credit_note, stock_return=doc.stock_return)
	missing = [row.external_line_id for row in doc.lines if row.restock and row.shipped and not row.condition]
	if missing:
		frappe.throw(_("Inspect the returned goods first (lines {0}).").format(", ".join(missing)))
	shop = frappe.get_doc("Channel Shop", doc.shop)
	log = frappe.get_doc("Channel Order Log", doc.order_log)
	so, items = _order_items(log.name)
	if not so:
		frappe.throw(_("The marketplace order {0} has no Sales Order to refund.").format(log.name))
	order = channels.to_canonical(shop.platform.lower(), json.loads(log.payload), shop.name)
	# what ERPNext delivered decides what was shipped, not the order as it first arrived
	order = replace(
		order,
		lines=tuple(
			replace(ln, shipped_qty=int(flt(items[ln.external_line_id].delivered_qty)))
			if ln.external_line_id in items
			else ln
			for ln in order.lines
		),
	)
	from omni_channel.channels.shopify.mapper import refund_from_webhook

	refund = refund_from_webhook(json.loads(doc.payload))
	intent = return_intent(
		order,
		refund,
		{line_id: row.item_code for line_id, row in items.items()},
		{row.external_line_id: row.condition for row in doc.lines if row.condition},
		shop.return_warehouse or "",
		shop.defective_warehouse or shop.return_warehouse or "",
	)
	by_line = {rl.external_line_id: rl for rl in intent.lines}
	so_detail = {row.name: line_id for line_id, row in items.items()}
	restock = {rl.external_line_id: rl for rl in intent.lines if rl.action == "restock"}
	if not as_system:  # fail before anything is written, with the reason
		if _invoice_of(so):
			require_rights("Sales Invoice")
		if restock and _delivery_of(so):
			require_rights("Delivery Note")
	refunded = {ln.external_line_id: ln.quantity for ln in refund.lines}
	credit_note = _credit_note(so, so_detail, refunded, as_system)
	stock_return = _stock_return(so, so_detail, restock, as_system) if restock else None
	for row in doc.lines:
		rl = by_line.get(row.external_line_id)
		if rl:
			row.action, row.warehouse = rl.action, rl.warehouse or None
	doc.credit_note, doc.stock_return = credit_note, stock_return
	doc.notes = "\n".join(intent.notes) or None
	doc.status, doc.error = "Booked", None
	doc.flags.ignore_permissions = True  # our own record of what was booked
	doc.flags.booking = True
	doc.save()
	return frappe._dict(credit_note=credit_note, stock_return=stock_return)


def _invoice_of(so: str) -> str | None:
	return frappe.db.get_value("Sales Invoice Item", {"sales_order": so, "docstatus": 1}, "parent")


def _delivery_of(so: str) -> str | None:
	return frappe.db.get_value("Delivery Note Item", {"against_sales_order": so, "docstatus": 1}, "parent")


def _credit_note(so: str, so_detail: dict[str, str], refunded: dict[str, int], as_system: bool) -> str | None:
	invoice = _invoice_of(so)
	if not invoice:
		return None  # refunded before invoicing: nothing to credit
	cn = make_return_doc("Sales Invoice", invoice)
	keep = []
	for item in cn.items:
		line_id = so_detail.get(item.so_detail)
		if line_id in refunded:
			item.qty = -min(abs(flt(item.qty)), refunded[line_id])
			keep.append(item)
	cn.items = keep
	if not keep:
		return None
	cn.flags.ignore_permissions = as_system
	cn.insert()
	cn.submit()
	return cn.name


def _stock_return(so: str, so_detail: dict[str, str], restock: dict, as_system: bool) -> str | None:
	note = _delivery_of(so)
	if not note:
		return None
	ret = make_return_doc("Delivery Note", note)
	keep = []
	for item in ret.items:
		line_id = so_detail.get(item.so_detail)
		if line_id in restock:
			item.qty = -min(abs(flt(item.qty)), restock[line_id].qty)
			if restock[line_id].warehouse:
				item.warehouse = restock[line_id].warehouse
			keep.append(item)
	ret.items = keep
	if not keep:
		return None
	ret.flags.ignore_permissions = as_system
	ret.insert()
	ret.submit()
	return ret.name
