"""Marketplace orders into ERPNext, exactly once.

1. `receive` (in the web request): verify the signature, store the raw payload in a Channel
   Order Log whose *name* is the order key `<shop>:<external id>` — the primary key makes a
   second copy impossible, also under races — and queue the job. A replay with the same or
   an older platform version changes nothing.
2. `process` (background job): lock the log row, map the payload to the canonical order,
   map SKUs to Items, and create + submit the Sales Order, linked back through a unique field.
   An unmapped SKU holds the order for a person; an ERP failure leaves it to be retried.
3. A newer version (`core.order.compare_order_versions`: updated-at, then status rank, then
   content digest) is stored and processed also once the Sales Order exists; what it does to
   ERPNext is `core.lifecycle.next_step`: an order cancelled before picking cancels its Sales
   Order (draft Pick List / Delivery Note rows released first), one cancelled after picking or
   shipping is put to Review with a ToDo for a person, one that arrives cancelled never becomes a
   Sales Order. Lines, address or total changed (against the version ERPNext last acted on,
   `applied_payload`) before picking: ERPNext's amend (cancel + amended copy); after picking:
   Review with the difference shown. Every version is a row of the log's history.
4. Money to the cent: `core.totals` — the parts must add up to the platform's total (else held
   showing both numbers); the Sales Order holds exact unit prices rounded as ERPNext rounds a rate,
   shipping/tax/fees as "Actual" charges and the rounding difference as one more charge to the
   round-off account, so its grand total is the platform's total. Amending (not
   `update_child_qty_rate`) is used for changes because that function cannot change the charges,
   and the total would drift from the platform's.

The only module of omni_channel that writes ERPNext documents.
"""

import hashlib
import json
import re
from contextlib import contextmanager
from datetime import timedelta, timezone
from decimal import Decimal

import frappe
from dateutil.parser import isoparse
from frappe import _
from frappe.database.database import savepoint
from frappe.utils import add_days, flt, get_datetime, now_datetime, nowdate, strip_html

from omni_channel import channels
from omni_channel.core import totals
from omni_channel.core.errors import ChannelInputError
from omni_channel.core.lifecycle import ErpState, SoLine, differences, next_step
from omni_channel.core.order import (
	CanonicalOrder,
	Version,
	compare_order_versions,
	order_key,
	version_of,
)
from omni_channel.core.payload import loads
from omni_channel.core.review import RULES, ReviewConfig, make_blacklist, review
from omni_channel.core.skus import map_skus

QUEUE = "short"
RETRY_MINUTES = (1, 5, 15, 60, 240)


class Outcome(frappe._dict):
	"""What the webhook endpoint answers: HTTP status and a small JSON body."""


# One answer for an unknown or disabled shop, a shop without a webhook secret and a bad signature,
# so a caller learns nothing about which shops exist or are set up.
UNAUTHORIZED = {"error": "unauthorized", "reason": "the delivery is not signed for this shop"}


def receive(shop_name: str, raw: bytes, headers) -> Outcome:
	shop = frappe.db.get_value(
		"Channel Shop", {"name": shop_name, "enabled": 1}, ["name", "platform"], as_dict=True
	)
	doc = frappe.get_doc("Channel Shop", shop.name) if shop else None
	secret = doc.get_password("webhook_secret", raise_exception=False) if doc else None
	if not secret:
		return _unauthorized(f"shop {shop_name!r} is unknown, disabled or has no webhook secret")
	platform = shop.platform.lower()
	try:
		channels.verify_webhook(
			platform,
			secret,
			raw,
			headers,
			app_key=doc.get_password("api_key", raise_exception=False) or "",
			sign_method=doc.sign_method or "md5",
		)
		data = loads(raw)
	except ChannelInputError as e:
		if e.code == "bad_signature":
			return _unauthorized(f"shop {shop.name!r}: {e.reason}")
		return _refused(e)
	try:
		event = channels.parse_webhook(platform, raw, headers, shop.name)
	except ChannelInputError as e:
		# an order we cannot read yet is still kept (and shown as Failed with the reason), never lost
		external_id = str(data.get("id") or data.get("tid") or "").strip()
		if not external_id:
			return _refused(e)
		event = None
	else:
		if event.kind == "refund" and event.refund is not None:
			from omni_channel.erp import refunds

			state = refunds.record(shop, event.refund, event.external_id, raw)
			key = refunds.refund_key(shop.name, event.refund.external_id)
			return Outcome(status=200, body={"status": state, "refund": key})
		if event.kind != "order":
			return Outcome(
				status=202, body={"status": "ignored", "reason": f"{event.kind} event {event.topic!r}"}
			)
		external_id = event.external_id
	version = event.order.updated_at if event else None
	key = order_key(shop.name, external_id)
	state = store(
		key,
		shop,
		external_id,
		version,
		raw,
		event.webhook_id if event else None,
		order=event.order if event else None,
	)
	if state == "created":  # a new order is taken by the drain, with the other pending ones
		wake_drain()
	elif state == "updated":  # a newer version of one order: its own job
		frappe.enqueue(
			"omni_channel.erp.orders.process_job",
			queue=QUEUE,
			timeout=300,
			enqueue_after_commit=True,
			job_id=f"omni-order::{key}",
			deduplicate=True,
			log_name=key,
		)
	return Outcome(status=200, body={"status": state, "order": key})


def _unauthorized(why: str) -> Outcome:
	frappe.logger("omni_channel").info(f"webhook refused (401): {why}")
	return Outcome(status=401, body=dict(UNAUTHORIZED))


def _refused(e: ChannelInputError) -> Outcome:
	status = {"bad_signature": 401, "too_large": 413}.get(e.code, 400)
	return Outcome(status=status, body={"error": e.code, "reason": e.reason})


def store(key: str, shop, external_id: str, version, raw: bytes, webhook_id: str | None, order=None) -> str:
	"""Insert the log, or update it when this payload is a newer version. 'created' | 'updated' | 'duplicate'.

	Many deliveries of one order may arrive at once. The insert decides who is first (primary
	key); the others read the stored version under the shared lock their failed insert already
	holds, and only a newer version asks for a write lock — so replays never deadlock.

	A newer version is stored and answered 'updated' also once the Sales Order exists: `process`
	then applies it (a cancellation cancels the Sales Order or puts it to review). Only the very
	same version replayed is a 'duplicate'; versions with one `updated_at` are told apart by
	`compare_order_versions` (status rank, then content digest).
	"""
	values = {
		"shop": shop.name,
		"platform": shop.platform,
		"external_id": external_id,
		"webhook_id": webhook_id,
		"platform_updated_at": version_text(version),
		"payload": raw.decode("utf-8", "replace"),
	}
	log = frappe.get_doc({"doctype": "Channel Order Log", **values})
	log.name = key
	inserted = False
	with savepoint(catch=frappe.DuplicateEntryError):
		log.db_insert()
		inserted = True
	if inserted:
		return "created"
	# a locking read sees the row the first delivery committed; a plain read would answer from this
	# transaction's older snapshot (taken before that commit), where the row does not exist yet
	row = frappe.db.sql(
		"""select platform_updated_at, sales_order, payload from `tabChannel Order Log`
		where name = %s lock in share mode""",
		key,
		as_dict=True,
	)[0]
	stored_at = isoparse(row.platform_updated_at) if row.platform_updated_at else None
	incoming = version_of(order) if order is not None else Version(version, 0, _digest(raw))
	if stored_at is None or version is None or stored_at != version:
		stored = Version(stored_at)
		incoming = Version(version)
	else:  # the same updated_at: tell the two apart by their content (rare, so read it only now)
		stored = stored_version(row.payload, shop, stored_at)
	if compare_order_versions(incoming, stored) != "newer":
		return "duplicate"
	update = {k: values[k] for k in ("webhook_id", "platform_updated_at", "payload")}
	if not row.sales_order:
		update["status"] = "Received"
	frappe.db.set_value("Channel Order Log", key, update)
	return "updated"


def _digest(raw) -> str:
	return hashlib.sha256(raw if isinstance(raw, bytes) else str(raw).encode()).hexdigest()


def stored_version(payload: str | None, shop, stored_at) -> Version:
	"""The version of the payload the log holds (an unreadable one: its bytes' digest)."""
	payload = payload or ""
	try:
		return version_of(channels.to_canonical(shop.platform.lower(), json.loads(payload), shop.name))
	except (ChannelInputError, ValueError):
		return Version(stored_at, 0, _digest(payload.encode()))


def version_text(version) -> str | None:
	"""The platform version as fixed-width UTC text, so stored versions also compare as text."""
	return version.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ") if version else None


def process(log_name: str) -> str | None:
	"""Bring ERPNext up to the logged version of one order; safe to run any number of times, also at once.

	Returns the order's Sales Order (also when a cancellation has just cancelled it), or None when
	there is none (held, failed, or cancelled before one was made).
	"""
	return _process(log_name)


def process_job(log_name: str) -> str | None:
	"""`process` as the background job and the desk's Retry run it: at READ COMMITTED (see
	`read_committed`), in a transaction of its own. In-process callers that hold a transaction of
	their own (the poll, tests) call `process`."""
	with read_committed():
		return _process(log_name)


@contextmanager
def read_committed():
	"""Run a transaction that has written nothing yet at READ COMMITTED.

	MariaDB's default, REPEATABLE READ, answers every plain read from a snapshot taken at the
	transaction's first read. ERPNext recomputes a Bin's reserved quantity on submit with plain
	reads, so a Sales Order made after waiting for the Bin locks (`check_free_stock`) would miss an
	order another process (a portal checkout) committed meanwhile and write a reserved quantity that
	is too low. At READ COMMITTED each read sees every committed order. A caller that has already
	written something keeps its transaction as it is (the locks still serialise the orders)."""
	if frappe.db.transaction_writes:
		yield
		return
	frappe.db.sql("set session transaction isolation level read committed")
	frappe.db.commit()  # the next transaction starts at the new level
	try:
		yield
	finally:
		frappe.db.sql("set session transaction isolation level repeatable read")  # from the next one on


def _process(log_name: str) -> str | None:
	# lock the log's own row only: get_doc(for_update=True) would also read its history rows FOR
	# UPDATE, and the gap locks of two orders' empty histories deadlock their first inserts
	locked = frappe.db.sql(
		"select * from `tabChannel Order Log` where name = %s for update", log_name, as_dict=True
	)
	log = frappe.get_doc("Channel Order Log", log_name)
	# the document's fields as the locking read saw them: a job that waited for the lock reads the
	# Sales Order the job before it committed (get_doc's plain read answers from this
	# transaction's snapshot, which may predate that commit)
	if locked:
		log.update({k: v for k, v in locked[0].items() if log.meta.has_field(k) or k == "modified"})
	shop = frappe.get_doc("Channel Shop", log.shop)
	try:
		order = channels.to_canonical(shop.platform.lower(), json.loads(log.payload), shop.name)
	except (ChannelInputError, ValueError) as e:
		if log.sales_order:  # the Sales Order stands; the unreadable newer version is shown
			_set(log, error=str(e))
			return log.sales_order
		_set(log, status="Failed", error=str(e), next_attempt_at=None)
		return None
	previous = applied_order(log, shop)
	changes = ()
	if log.sales_order and order.status != "cancelled" and previous is not None:
		changes = order_changes(previous, order)
	step = next_step(order.status, erp_state(log.sales_order), changes)
	if step.action in ("keep", "nothing"):
		if step.action == "keep":
			_set(log, applied_payload=log.payload)
			record_version(
				log, order, previous, "recorded: nothing in the Sales Order changes", new_version_only=True
			)
		return log.sales_order
	if step.action == "skip":
		_set(
			log,
			status="Cancelled",
			hold_reason=_why(order, step.reason),
			error=None,
			next_attempt_at=None,
		)
		record_version(log, order, previous, "no Sales Order made: " + step.reason)
		return None
	if step.action == "review":
		if log.status != "Review":
			so = frappe.get_doc("Sales Order", log.sales_order)
			so.add_comment("Comment", _why(order, step.reason), comment_email="Administrator")
			assign_review(shop, so.name, _why(order, step.reason))
		_set(log, status="Review", hold_reason=_why(order, step.reason), next_attempt_at=None)
		record_version(log, order, previous, "held for review: " + step.reason, changes)
		return log.sales_order
	if step.action == "cancel":
		name = cancel_sales_order(log, order, step)
		record_version(log, order, previous, f"{log.status}: {log.hold_reason or ''}", changes)
		return name
	if step.action == "amend":
		return amend_sales_order(log, shop, order, step, previous, changes)
	name = create(log, shop, order)
	record_version(
		log,
		order,
		previous,
		f"Sales Order {name} created"
		if name
		else f"{log.status}: {log.hold_reason or log.error or ''}"[:500],
	)
	return name


# ---- versions: what changed, and the history a desk user reads ----------------------------------


def applied_order(log, shop) -> CanonicalOrder | None:
	"""The version ERPNext last acted on (None before the first, or when it cannot be read)."""
	if not log.get("applied_payload"):
		return None
	try:
		return channels.to_canonical(shop.platform.lower(), json.loads(log.applied_payload), shop.name)
	except (ChannelInputError, ValueError):
		return None


def _order_view(order: CanonicalOrder):
	"""What a change is judged on: the ordered lines and their net unit prices, the ship-to, the
	total. Shipping progress and refunds are not changes here (they have their own paths)."""
	lines = tuple(
		SoLine(ln.external_line_id, ln.quantity, float(ln.amount / ln.quantity) if ln.quantity else 0)
		for ln in order.lines
	)
	a = order.ship_to
	address = ", ".join(
		x for x in (a.name, a.line1, a.line2, a.district, a.city, a.province, a.postcode, a.phone) if x
	)
	return lines, address, float(order.grand_total)


def order_changes(previous: CanonicalOrder, order: CanonicalOrder) -> tuple[str, ...]:
	"""The differences between the version ERPNext acted on and this one (`core.lifecycle.differences`)."""
	old_lines, old_address, old_total = _order_view(previous)
	new_lines, new_address, new_total = _order_view(order)
	if previous.ship_to.fingerprint() == order.ship_to.fingerprint():
		new_address = old_address  # a respelling is not a change
	return differences(old_lines, new_lines, (old_address, new_address), (old_total, new_total))


def record_version(
	log, order: CanonicalOrder, previous, action: str, changes=(), new_version_only: bool = False
) -> None:
	"""One row of the order's history: when, the platform's version, what changed, what ERPNext did.
	Processing the same version again with the same outcome (or, `new_version_only`, with any
	outcome) adds nothing."""
	digest = version_of(order).digest
	last = frappe.db.get_value(
		"Channel Order Version",
		{"parent": log.name, "parenttype": "Channel Order Log"},
		["digest", "erp_action"],
		order_by="idx desc",
		as_dict=True,
	)
	action = action[:1000]
	if last and last.digest == digest and (new_version_only or last.erp_action == action):
		return
	what = list(changes)
	if previous is None:
		what.insert(0, "first version received")
	elif previous.status != order.status:
		what.insert(
			0, f"status {previous.raw_status or previous.status} → {order.raw_status or order.status}"
		)
	elif not what:
		what.append("no change that matters to ERPNext")
	idx = (frappe.db.count("Channel Order Version", {"parent": log.name}) or 0) + 1
	frappe.get_doc(
		{
			"doctype": "Channel Order Version",
			"parent": log.name,
			"parenttype": "Channel Order Log",
			"parentfield": "versions",
			"idx": idx,
			"received_at": now_datetime(),
			"platform_updated_at": version_text(order.updated_at),
			"platform_status": (order.raw_status or order.status)[:140],
			"changes": "\n".join(what)[:2000],
			"erp_action": action,
			"erp_document": frappe.db.get_value("Channel Order Log", log.name, "sales_order"),
			"digest": digest,
		}
	).db_insert()


def assign_review(shop, sales_order: str, reason: str) -> list[str]:
	"""A ToDo on the Sales Order for the shop's owner, or else every Sales Manager: a person has to
	stop the shipment, book the return, or settle the difference. The reason quotes the platform."""
	owner = frappe.db.get_value("Channel Shop", shop.name, "owner")
	users = []
	if owner and owner not in ("Administrator", "Guest") and frappe.db.get_value("User", owner, "enabled"):
		users = [owner]
	if not users:
		users = frappe.get_all(
			"Has Role",
			filters={
				"role": "Sales Manager",
				"parenttype": "User",
				"parent": ("not in", ("Administrator", "Guest")),
			},
			pluck="parent",
			distinct=True,
		)
		users = [
			u for u in users if frappe.db.get_value("User", u, ["enabled", "user_type"]) == (1, "System User")
		][:5]
	users = users or ["Administrator"]
	for user in users:
		frappe.get_doc(
			{
				"doctype": "ToDo",
				"allocated_to": user,
				"role": "Sales Manager",
				"priority": "High",
				"reference_type": "Sales Order",
				"reference_name": sales_order,
				"assigned_by": "Administrator",
				# ToDo's description is HTML: what the platform sent is escaped
				"description": frappe.utils.escape_html(reason),
			}
		).insert(ignore_permissions=True)
	return users


def amend_sales_order(log, shop, order: CanonicalOrder, step, previous, changes) -> str:
	"""ERPNext's amend: cancel the Sales Order (drafts and wave rows released first) and submit the
	amended copy at this version's lines, address and money. ERPNext refusing puts it to Review."""
	name = log.sales_order
	mapping = map_skus(order, ErpItems())
	if mapping.unmapped:
		why = "; ".join(
			r.message
			for r in review(
				order, ReviewConfig(disabled=frozenset(n for n, _r in RULES if n != "unmapped_sku")), mapping
			)
		)
		_set(log, status="Review", hold_reason=_why(order, f"changed on the platform, not amended: {why}"))
		record_version(log, order, previous, "held for review: " + why, changes)
		return name
	items = {m.line.external_line_id: m.item_code for m in mapping.mapped}
	frappe.db.savepoint("omni_amend_so")
	try:
		for doctype, draft in step.release:
			release_draft(doctype, draft, name)
		release_waves(name)
		old = frappe.get_doc("Sales Order", name)
		old.flags.ignore_permissions = True
		old.cancel()
		old.db_set("th_omni_order_log", None)  # the one live Sales Order of the order is the copy
		new = frappe.copy_doc(old)
		new.docstatus = 0  # copy_doc keeps the cancelled copy's docstatus
		new.amended_from = old.name
		new.th_omni_order_log = log.name
		address = ship_to_address(order, shop.customer)
		new.shipping_address_name = address
		new.customer_address = address
		apply_plan(new, order, shop, items)
		new.flags.ignore_permissions = True
		new.insert()
		new.submit()
		new.add_comment("Comment", _why(order, step.reason), comment_email="Administrator")
	except frappe.ValidationError as e:
		frappe.db.rollback(save_point="omni_amend_so")
		why = strip_html(str(e)) or type(e).__name__
		reason = f"changed on the platform, but ERPNext refused to amend {name}: {why}"
		_set(log, status="Review", hold_reason=_why(order, reason), next_attempt_at=None)
		record_version(log, order, previous, "held for review: " + reason, changes)
		return name
	except Exception:
		frappe.db.rollback(save_point="omni_amend_so")
		_retry_later(log)
		return name
	_set(
		log,
		status="Created",
		sales_order=new.name,
		applied_payload=log.payload,
		hold_reason=_why(order, f"{step.reason}: {name} → {new.name}"),
		error=None,
		next_attempt_at=None,
	)
	record_version(log, order, previous, f"Sales Order {name} amended to {new.name}", changes)
	return new.name


def _why(order: CanonicalOrder, reason: str) -> str:
	"""The reason a person reads: what the platform said, and what ERPNext did about it."""
	return f"{order.platform} {order.raw_status or order.status} ({order.updated_at.isoformat()}): {reason}"


def erp_state(sales_order: str | None) -> ErpState:
	"""What ERPNext holds for the order: its Sales Order and the documents made from it."""
	if not sales_order:
		return ErpState()
	so = frappe.db.get_value("Sales Order", sales_order, ["docstatus", "per_delivered"], as_dict=True)
	if not so:
		return ErpState()

	def linked(child: str, parent: str, field: str) -> list:
		return frappe.db.sql(
			f"""select distinct p.name, p.docstatus from `tab{child}` i join `tab{parent}` p
			on p.name = i.parent where i.{field} = %s and p.docstatus < 2 order by p.name""",
			sales_order,
		)

	dns = linked("Delivery Note Item", "Delivery Note", "against_sales_order")
	pls = linked("Pick List Item", "Pick List", "sales_order")
	sis = linked("Sales Invoice Item", "Sales Invoice", "sales_order")
	return ErpState(
		sales_order=sales_order,
		docstatus=so.docstatus,
		delivered_pct=flt(so.per_delivered),
		submitted_delivery_notes=tuple(n for n, d in dns if d == 1),
		draft_delivery_notes=tuple(n for n, d in dns if d == 0),
		submitted_pick_lists=tuple(n for n, d in pls if d == 1),
		draft_pick_lists=tuple(n for n, d in pls if d == 0),
		submitted_invoices=tuple(n for n, d in sis if d == 1),
		draft_invoices=tuple(n for n, d in sis if d == 0),
	)


# the field of each draft's rows that points at the Sales Order
RELEASE_FIELDS = {
	"Delivery Note": ("items", "against_sales_order"),
	"Pick List": ("locations", "sales_order"),
	"Sales Invoice": ("items", "sales_order"),
}


def release_draft(doctype: str, name: str, sales_order: str) -> None:
	"""Take the cancelled order's rows out of a draft; a draft left empty is deleted."""
	table, field = RELEASE_FIELDS[doctype]
	doc = frappe.get_doc(doctype, name)
	keep = [row for row in doc.get(table) if row.get(field) != sales_order]
	if keep:
		doc.set(table, keep)
		doc.flags.ignore_permissions = True
		doc.save()
		return
	if doctype == "Pick List":  # a wave that pointed at it no longer has a pick list
		for wave in frappe.get_all("Pick Wave", filters={"pick_list": name}, pluck="name"):
			frappe.db.set_value("Pick Wave", wave, {"pick_list": None, "status": "Draft"})
	frappe.delete_doc(doctype, name, ignore_permissions=True, force=True)


def release_waves(sales_order: str) -> None:
	"""Take the order out of the waves not yet picked; a wave left empty is cancelled."""
	if not frappe.db.table_exists("Pick Wave Order"):
		return
	for wave in frappe.get_all(
		"Pick Wave Order", filters={"sales_order": sales_order, "parenttype": "Pick Wave"}, pluck="parent"
	):
		doc = frappe.get_doc("Pick Wave", wave)
		if doc.status in ("Picked", "Cancelled"):
			continue
		keep = [row for row in doc.orders if row.sales_order != sales_order]
		if keep:
			doc.set("orders", keep)
			doc.flags.ignore_permissions = True
			doc.save()
		else:
			frappe.db.delete("Pick Wave Order", {"parent": wave, "sales_order": sales_order})
			frappe.db.set_value("Pick Wave", wave, {"status": "Cancelled", "pick_list": None})


def cancel_sales_order(log, order: CanonicalOrder, step) -> str:
	"""Cancel the Sales Order through ERPNext (its reservation goes with it), drafts released first.

	ERPNext refusing (a document made from it meanwhile) puts the order to Review with ERPNext's
	words; a temporary failure (lock, timeout) is retried like any other.
	"""
	name = log.sales_order
	frappe.db.savepoint("omni_cancel_so")
	try:
		for doctype, draft in step.release:
			release_draft(doctype, draft, name)
		release_waves(name)
		so = frappe.get_doc("Sales Order", name)
		so.flags.ignore_permissions = True
		so.cancel()
		so.add_comment("Comment", _why(order, step.reason), comment_email="Administrator")
	except frappe.ValidationError as e:
		frappe.db.rollback(save_point="omni_cancel_so")
		why = strip_html(str(e)) or type(e).__name__
		_set(
			log,
			status="Review",
			hold_reason=_why(
				order, f"cancelled on the platform, but ERPNext refused to cancel {name}: {why}"
			),
			next_attempt_at=None,
		)
		return name
	except Exception:
		frappe.db.rollback(save_point="omni_cancel_so")
		_retry_later(log)
		return name
	_set(log, status="Cancelled", hold_reason=_why(order, step.reason), error=None, next_attempt_at=None)
	return name


def _retry_later(log) -> None:
	attempts = (log.attempts or 0) + 1
	wait = RETRY_MINUTES[min(attempts, len(RETRY_MINUTES)) - 1]
	_set(
		log,
		status="Failed",
		attempts=attempts,
		error=frappe.get_traceback(),
		next_attempt_at=now_datetime() + timedelta(minutes=wait),
	)


def create(log, shop, order: CanonicalOrder) -> str | None:
	"""Make and submit the Sales Order for an open order without one."""
	mapping = map_skus(order, ErpItems())
	reasons = review(order, review_config(shop), mapping)
	if reasons:
		_set(log, status="Held", hold_reason="\n".join(r.message for r in reasons))
		return None
	items = {m.line.external_line_id: m.item_code for m in mapping.mapped}
	frappe.db.savepoint("omni_make_so")
	try:
		so = make_sales_order(order, shop, items, log.name)
	except OutOfStock as e:
		frappe.db.rollback(save_point="omni_make_so")
		_set(log, status="Held", hold_reason=str(e), error=None, next_attempt_at=None)
		return None
	except Exception:
		frappe.db.rollback(save_point="omni_make_so")
		_retry_later(log)
		return None
	_set(
		log,
		status="Created",
		sales_order=so.name,
		applied_payload=log.payload,
		hold_reason=None,
		error=None,
		next_attempt_at=None,
	)
	return so.name


def _set(log, **values) -> None:
	log.db_set(values, commit=False)


class ErpItems:
	"""The core's ItemLookup over ERPNext: an enabled Item by code, or an Item Barcode."""

	def by_sku(self, sku: str) -> str | None:
		return frappe.db.get_value("Item", {"name": sku, "disabled": 0})

	def by_barcode(self, barcode: str) -> str | None:
		return frappe.db.get_value("Item Barcode", {"barcode": barcode}, "parent")


def review_config(shop) -> ReviewConfig:
	crm = crm_blacklist(shop.platform)
	return ReviewConfig(
		amount_limit=Decimal(str(shop.review_amount_limit)) if flt(shop.review_amount_limit) > 0 else None,
		hold_on_buyer_note=bool(shop.hold_on_buyer_note),
		blacklist=make_blacklist((shop.blacklist or "").splitlines()) | frozenset(crm),
		blacklist_reasons=crm,
	)


def crm_blacklist(platform: str) -> dict[str, str]:
	"""online_crm's Party Blacklist for this platform's buyers (normalised id → reason), if installed."""
	if "online_crm" not in frappe.get_installed_apps():
		return {}
	from online_crm.erp.blacklist import channel_blacklist

	return channel_blacklist(platform)


def bin_for(item_code: str, warehouse: str) -> str:
	"""The bin under the shop's warehouse holding most of the item (the warehouse itself if it is a bin)."""
	lft, rgt, is_group = frappe.db.get_value("Warehouse", warehouse, ["lft", "rgt", "is_group"])
	if not is_group:
		return warehouse
	rows = frappe.db.sql(
		"""select w.name from `tabWarehouse` w left join `tabBin` b
		on b.warehouse = w.name and b.item_code = %s
		where w.lft >= %s and w.rgt <= %s and w.is_group = 0
		order by coalesce(b.actual_qty, 0) desc, w.name limit 1""",
		(item_code, lft, rgt),
	)
	return rows[0][0]


def make_sales_order(order: CanonicalOrder, shop, items: dict[str, str], log_name: str):
	"""The Sales Order at the prices the buyer paid on the platform, to the cent.

	Each open line at its exact net unit price rounded the way ERPNext rounds a rate; shipping, tax
	(unless the prices include it) and buyer-paid fees as "Actual" charges; the rounding difference
	as one more charge to the company's round-off account (`core.totals.plan`), so the grand total
	is the platform's total (less refunds and units the platform shipped itself).
	"""
	so = frappe.get_doc(
		{
			"doctype": "Sales Order",
			"customer": shop.customer,
			"company": shop.company,
			"order_type": "Sales",
			"transaction_date": nowdate(),
			"delivery_date": add_days(nowdate(), 3),
			"po_no": po_number(order, shop.customer, log_name),
			"th_channel": f"{shop.platform}:{shop.name}",
			"th_cod": 1 if order.cash_on_delivery else 0,
			"th_omni_order_log": log_name,
			"ignore_pricing_rule": 1,
			"currency": order.currency,
			"items": [],
		}
	)
	if shop.price_list:
		so.selling_price_list = shop.price_list
	address = ship_to_address(order, shop.customer)
	if address:
		so.shipping_address_name = address
		so.customer_address = address
	apply_plan(so, order, shop, items)
	from omni_channel.erp.gifts import add_gifts

	identity = order.buyer.identity if order.buyer else ""
	add_gifts(so, f"{shop.name}:{identity}" if identity else "", shop.warehouse, shop=shop.name)
	if shop.hold_when_short:
		check_free_stock(so, shop)
	so.flags.ignore_permissions = True
	so.insert()
	so.submit()
	return so


def po_number(order: CanonicalOrder, customer: str, log_name: str) -> str:
	"""The platform's order number as the customer's PO number, staff's search key.

	Order numbers are unique per shop only (Shopify numbers every shop's orders from #1001), and
	ERPNext refuses a second open Sales Order with the PO number of another for the same customer,
	so a number already taken by another order of this customer gets the platform's order id."""
	taken = frappe.db.exists(
		"Sales Order",
		{
			"customer": customer,
			"po_no": order.name,
			"docstatus": ("<", 2),
			"th_omni_order_log": ("!=", log_name),
		},
	)
	return f"{order.name} ({order.external_id})" if taken else order.name


class OutOfStock(Exception):
	"""The shop's warehouse has less free than the order wants: the order is held, not oversold."""


def check_free_stock(so, shop) -> None:
	"""Lock the order's Bin rows (the portal's rule, `erp.stock.lock_free_stock`) and refuse an order
	for more than is free. The locks are held until this order's reservation commits."""
	from omni_channel.core.stock import shortfalls
	from omni_channel.erp.stock import lock_free_stock

	free = lock_free_stock([d.item_code for d in so.items], shop.warehouse)
	# the order's own lines; a gift line was given only from free stock (erp.gifts)
	paid = [d for d in so.items if not d.get("th_gift_rule")]
	short = shortfalls([(d.item_code, d.qty) for d in paid if d.item_code in free], free)
	if short:
		raise OutOfStock(
			_(
				"Out of stock in {0}: {1}. Retry the order once stock arrives, or cancel it on the platform."
			).format(
				shop.warehouse,
				"; ".join(
					_("{0}: {1} ordered, {2} free").format(
						s.item, f"{s.wanted.normalize():f}", f"{s.free.normalize():f}"
					)
					for s in short
				),
			)
		)


def rate_rounding(so):
	"""(how ERPNext rounds a rate on this document, the smallest amount of its totals)."""
	from frappe.model.meta import get_field_precision

	precision = get_field_precision(frappe.get_meta("Sales Order Item").get_field("rate"), so)
	return (lambda d: Decimal(str(flt(float(d), precision)))), Decimal(1).scaleb(-precision)


def apply_plan(so, order: CanonicalOrder, shop, items: dict[str, str]):
	"""Set the Sales Order's items and charges from `core.totals.plan`; returns the plan."""
	round_rate, cent = rate_rounding(so)
	p = totals.plan(order, round_rate, cent)
	by_id = {ln.external_line_id: ln for ln in order.lines}
	so.set("items", [])
	for pl in p.lines:
		item = items[pl.external_line_id]
		so.append(
			"items",
			{
				"item_code": item,
				"th_omni_line_id": pl.external_line_id,
				"qty": pl.qty,
				"rate": flt(pl.rate),
				"description": by_id[pl.external_line_id].title or None,
				"delivery_date": so.delivery_date,
				"warehouse": bin_for(item, shop.warehouse),
			},
		)
	so.set("taxes", [])
	so.taxes_and_charges = None
	accounts = charge_accounts(shop)
	for c in p.charges:
		account, cost_center = accounts[c.kind]
		so.append(
			"taxes",
			{
				"charge_type": "Actual",
				"account_head": account,
				"cost_center": cost_center,
				"description": _(c.description),
				"tax_amount": flt(c.amount),
			},
		)
	return p


def charge_accounts(shop) -> dict[str, tuple[str, str]]:
	"""The account (and cost center) each kind of charge is booked to, for the shop's company."""
	company = frappe.get_cached_doc("Company", shop.company)
	cc = company.cost_center
	income = company.default_income_account
	round_off = company.round_off_account or income
	tax = (
		frappe.db.get_value(
			"Account", {"company": shop.company, "account_type": "Tax", "is_group": 0}, "name"
		)
		or income
	)
	return {
		"shipping": (shop.get("shipping_account") or income, cc),
		"tax": (tax, cc),
		"fee": (income, cc),
		"adjustment": (round_off, company.round_off_cost_center or cc),
		"rounding": (round_off, company.round_off_cost_center or cc),
	}


def plain(text: str | None, length: int) -> str:
	"""Buyer text for a field the desk may render as HTML: no tags, no '<' or '>'."""
	text = re.sub(r"[<>]", "", strip_html(text or ""))
	return " ".join(text.split())[:length]


def ship_to_address(order: CanonicalOrder, customer: str) -> str | None:
	"""An Address for the buyer's ship-to, linked to the shop's customer (reused when identical)."""
	a = order.ship_to
	if not (a.line1 and a.city):
		return None
	# the title names the Address document: buyer text without markup, and never '<' or '>' (which
	# Frappe refuses in a name, so a buyer typing them would otherwise stop their own order)
	title = re.sub(r"[<>]", "", strip_html(f"{a.name or order.buyer.name or order.name} {order.name}"))
	title = " ".join(title.split())[:140] or order.external_id
	# ERPNext renders an address as HTML (address_display on every document that uses it), and
	# Frappe's sanitiser keeps tags such as <img src=…>: a buyer's markup would reach the desk as
	# an element (a tracking pixel at least). Address fields hold the buyer's text without markup.
	lines = {
		"address_line1": plain(a.line1, 140) or title,
		"address_line2": plain(a.line2, 140),
		"city": plain(a.city, 140) or title,
		"pincode": plain(a.postcode, 140),
		"phone": plain(a.phone, 140),
	}
	existing = frappe.db.get_value("Address", {"address_title": title, **lines})
	if existing:  # the same address again; a changed one (an amended order) gets its own
		return existing
	country = frappe.db.get_value("Country", {"code": a.country_code.lower()}) if a.country_code else None
	lat, lng = a.latitude, a.longitude
	addr = frappe.get_doc(
		{
			"doctype": "Address",
			"address_title": title,
			"address_type": "Shipping",
			**lines,
			"state": plain(a.province, 140),
			"country": country or frappe.db.get_default("country") or "China",
			# not the shop customer's preferred shipping address: that would make each buyer's
			# address the default of the next order typed in the desk, and Frappe would clear the
			# flag on the previous one, a row every marketplace order of the shop then waits for
			"is_shipping_address": 0,
			"links": [{"link_doctype": "Customer", "link_name": customer}],
		}
	)
	if lat is not None and lng is not None and frappe.get_meta("Address").has_field("th_wms_lat"):
		addr.set("th_wms_lat", flt(lat))
		addr.set("th_wms_lng", flt(lng))
	addr.insert(ignore_permissions=True)
	return addr.name


def poll(shop_name: str, overlap_minutes: int = 10) -> dict[str, int]:
	"""Fetch the shop's orders changed since the last poll (with an overlap) and take each in exactly
	like a webhook: the same order log, so a poll racing a webhook still makes one Sales Order."""
	from omni_channel.erp.clients import client_for

	client, shop = client_for(shop_name)
	since = shop.last_polled_at and (get_datetime(shop.last_polled_at) - timedelta(minutes=overlap_minutes))
	started = now_datetime()
	if shop.platform == "Taobao":
		result = client.fetch_trades(since or started - timedelta(days=1), started)
	elif shop.platform == "WooCommerce":
		result = client.fetch_orders(since)
	else:
		result = client.fetch_orders(since)
	counts = {"created": 0, "updated": 0, "duplicate": 0, "unreadable": 0}
	meta = frappe._dict(name=shop.name, platform=shop.platform)
	for raw in result.raws:
		try:
			order = channels.to_canonical(shop.platform.lower(), raw, shop.name)
			external_id, version = order.external_id, order.updated_at
		except ChannelInputError:
			external_id, version = str(raw.get("id") or raw.get("tid_str") or raw.get("tid") or ""), None
			if not external_id:
				counts["unreadable"] += 1
				continue
		key = order_key(shop.name, external_id)
		state = store(key, meta, external_id, version, json.dumps(raw, ensure_ascii=False).encode(), None)
		counts[state] += 1
		if state in ("created", "updated"):
			process(key)
	frappe.db.set_value("Channel Shop", shop.name, "last_polled_at", started)
	return counts


def poll_all() -> None:
	"""Scheduler: every enabled shop with an API address, each in its own job."""
	for name in frappe.get_all(
		"Channel Shop", filters={"enabled": 1, "api_url": ("is", "set")}, pluck="name"
	):
		frappe.enqueue(
			"omni_channel.erp.orders.poll",
			queue="long",
			job_id=f"omni-poll::{name}",
			deduplicate=True,
			shop_name=name,
		)


def retry_due() -> int:
	"""Scheduler: wake the drain when an order's retry time has come or one waits in Received
	(a drain lost with its worker, or a wake-up lost with Redis); answers how many wait."""
	due = pending_orders(DRAIN_BATCH)
	if due:
		queue_drain()
	return len(due)


# ---- the drain: pending orders processed in batches, one job for many -----------------------------
# One job per order paid the worker's per-job setup (site init, connection, hooks) on every order:
# a flash sale drained at a fraction of the rate ERPNext makes Sales Orders. A drain job takes the
# pending logs in batches; each log is still processed under its own row lock and committed on its
# own, so a failure touches one order only, and exactly-once rests on the same lock as before.
# Several drain jobs (one per free worker) share the work: each takes a log with SKIP LOCKED, so two
# never wait on one another, and the log's status (no longer Received once processed) keeps a
# second drain from taking it again.

DRAIN_BATCH = 50  # logs read per query
DRAIN_SECONDS = 120  # a drain hands over to a fresh job after this, so other short jobs get a turn
DRAIN_TIMEOUT = 600
WAKE_KEY = "omni_channel:drain_queued"  # set while a drain job waits in the queue, not yet started
WAKE_TTL = 300  # a wake-up lost with its job (Redis flushed) is forgotten after this


def wake_drain() -> None:
	"""Make sure a drain job will run after this transaction commits (the new log visible to it)."""
	frappe.db.after_commit.add(queue_drain)


def queue_drain(queue: str = QUEUE) -> bool:
	"""Queue a drain job unless one is queued and not yet started; True when this call queued it.

	A queued drain clears the key when it starts, before it reads the pending logs: a log committed
	before a caller found the key set is seen by that job. A running drain does not count, so work
	that arrives while it is on its last batch is never left without a job."""
	if not frappe.cache.set(frappe.cache.make_key(WAKE_KEY), 1, ex=WAKE_TTL, nx=True):
		return False
	frappe.enqueue("omni_channel.erp.orders.drain", queue=queue, timeout=DRAIN_TIMEOUT, queue_name=queue)
	return True


# waiting to be processed: Received (a log `store` has just inserted has no status yet), or Failed
# with its retry time come
PENDING = """(status is null or status = 'Received' or (status = 'Failed' and next_attempt_at <= %(now)s))"""


def pending_orders(limit: int, exclude=()) -> list[str]:
	"""Logs waiting to be processed: Received, or Failed with their retry time come; oldest first."""
	not_in = "and name not in %(exclude)s" if exclude else ""
	rows = frappe.db.sql(
		f"""select name from `tabChannel Order Log` where {PENDING} {not_in}
		order by creation limit %(limit)s""",
		{"now": now_datetime(), "limit": limit, "exclude": tuple(exclude)},
	)
	return [r[0] for r in rows]


def claim(log_name: str) -> bool:
	"""Lock one pending log for this transaction; False when another drain holds it or it is done."""
	return bool(
		frappe.db.sql(
			f"""select name from `tabChannel Order Log` where name = %(name)s and {PENDING}
			for update skip locked""",
			{"name": log_name, "now": now_datetime()},
		)
	)


def drain(
	batch: int = DRAIN_BATCH, max_seconds: float = DRAIN_SECONDS, queue_name: str = QUEUE
) -> dict[str, int]:
	"""Background job: process pending orders, each under its own lock and commit, until none is left.

	A log that raises is rolled back alone, marked Failed with its next retry time (so this drain
	does not take it again, and `retry_due` or a later drain does), and the drain goes on with the
	next. While a full batch is waiting, one more drain is queued, so every free worker joins in.
	"""

	frappe.cache.delete(frappe.cache.make_key(WAKE_KEY))  # from here on, a new order queues another
	frappe.db.commit()  # read the pending logs in a fresh transaction
	with read_committed():  # for the whole drain, under each claim's lock
		return _drain(batch, max_seconds, queue_name)


def _drain(batch: int, max_seconds: float, queue_name: str) -> dict[str, int]:
	import random
	import time

	started = time.monotonic()
	tried: set[str] = set()
	counts = {"processed": 0, "failed": 0, "skipped": 0}
	while True:
		names = pending_orders(batch, exclude=tried)
		if not names:
			break
		if len(names) >= batch:  # more than one job's share: let another worker join
			queue_drain(queue_name)
		random.shuffle(names)  # two drains walking one list rarely reach for the same log at once
		for name in names:
			if time.monotonic() - started > max_seconds:
				frappe.db.commit()
				queue_drain(queue_name)  # hand the rest over to a fresh job
				return counts
			tried.add(name)
			if not claim(name):
				frappe.db.rollback()
				counts["skipped"] += 1
				continue
			try:
				_process(name)  # under the claim's lock, at READ COMMITTED (see read_committed)
				frappe.db.commit()
				counts["processed"] += 1
			except Exception:
				frappe.db.rollback()
				_failed_in_drain(name)
				counts["failed"] += 1
	frappe.db.commit()
	return counts


def _failed_in_drain(log_name: str) -> None:
	"""A log whose processing raised: Failed with the traceback and its next retry time, committed."""
	traceback = frappe.get_traceback()
	try:
		_retry_later(frappe.get_doc("Channel Order Log", log_name))  # the traceback as its error
		frappe.db.commit()
	except Exception:  # the database itself is in trouble: the log stays as it was, for retry_due
		frappe.db.rollback()
		frappe.log_error(title=f"omni_channel drain: {log_name}", message=traceback)
