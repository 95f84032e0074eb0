"""Marketplace orders into ERPNext, exactly once.

1. `receive` (in the web request): verify the signature, store the raw payload in a Channel
   Order Log whose *name* is the order key `<shop>:<external id>` — the primary key makes a
   second copy impossible, also under races — and queue the job. A replay with the same or
   an older platform version changes nothing.
2. `process` (background job): lock the log row, map the payload to the canonical order,
   map SKUs to Items, and create + submit the Sales Order, linked back through a unique field.
   An unmapped SKU holds the order for a person; an ERP failure leaves it to be retried.

The only module of omni_channel that writes ERPNext documents.
"""

import json
import re
from datetime import timedelta, timezone
from decimal import Decimal

import frappe
from dateutil.parser import isoparse
from frappe.database.database import savepoint
from frappe.utils import add_days, flt, get_datetime, now_datetime, nowdate, strip_html

from omni_channel import channels
from omni_channel.core.errors import ChannelInputError
from omni_channel.core.order import CanonicalOrder, compare_versions, order_key
from omni_channel.core.payload import loads
from omni_channel.core.review import ReviewConfig, make_blacklist, review
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
	state = store(key, shop, external_id, version, raw, event.webhook_id if event else None)
	if state in ("created", "updated"):
		frappe.enqueue(
			"omni_channel.erp.orders.process",
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


def store(key: str, shop, external_id: str, version, raw: bytes, webhook_id: str | None) -> str:
	"""Insert the log, or update it when this payload is a newer version. 'created' | 'updated' | 'duplicate'.

	Many deliveries of one order may arrive at once. The insert decides who is first (primary
	key); the others read the stored version under the shared lock their failed insert already
	holds, and only a newer version asks for a write lock — so replays never deadlock.
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
	row = frappe.db.sql(
		"""select platform_updated_at, sales_order from `tabChannel Order Log`
		where name = %s lock in share mode""",
		key,
		as_dict=True,
	)[0]
	stored = isoparse(row.platform_updated_at) if row.platform_updated_at else None
	if compare_versions(version, stored) != "newer":
		return "duplicate"
	update = {k: values[k] for k in ("webhook_id", "platform_updated_at", "payload")}
	if not row.sales_order:
		update["status"] = "Received"
	frappe.db.set_value("Channel Order Log", key, update)
	return "duplicate" if row.sales_order else "updated"


def version_text(version) -> str | None:
	"""The platform version as fixed-width UTC text, so stored versions also compare as text."""
	return version.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ") if version else None


def process(log_name: str) -> str | None:
	"""Make the Sales Order for one logged order; safe to run any number of times, also at once."""
	log = frappe.get_doc("Channel Order Log", log_name, for_update=True)
	if log.sales_order:
		return log.sales_order
	shop = frappe.get_doc("Channel Shop", log.shop)
	try:
		order = channels.to_canonical(shop.platform.lower(), json.loads(log.payload), shop.name)
	except (ChannelInputError, ValueError) as e:
		_set(log, status="Failed", error=str(e), next_attempt_at=None)
		return None
	mapping = map_skus(order, ErpItems())
	reasons = review(order, review_config(shop), mapping)
	if reasons:
		_set(log, status="Held", hold_reason="\n".join(r.message for r in reasons))
		return None
	items = {m.line.external_line_id: m.item_code for m in mapping.mapped}
	frappe.db.savepoint("omni_make_so")
	try:
		so = make_sales_order(order, shop, items, log.name)
	except Exception:
		frappe.db.rollback(save_point="omni_make_so")
		attempts = (log.attempts or 0) + 1
		wait = RETRY_MINUTES[min(attempts, len(RETRY_MINUTES)) - 1]
		_set(
			log,
			status="Failed",
			attempts=attempts,
			error=frappe.get_traceback(),
			next_attempt_at=now_datetime() + timedelta(minutes=wait),
		)
		return None
	_set(log, status="Created", sales_order=so.name, hold_reason=None, error=None, next_attempt_at=None)
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
	return ReviewConfig(
		amount_limit=Decimal(str(shop.review_amount_limit)) if flt(shop.review_amount_limit) > 0 else None,
		hold_on_buyer_note=bool(shop.hold_on_buyer_note),
		blacklist=make_blacklist((shop.blacklist or "").splitlines()),
	)


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
	"""The Sales Order at the prices the buyer paid on the platform."""
	so = frappe.get_doc(
		{
			"doctype": "Sales Order",
			"customer": shop.customer,
			"company": shop.company,
			"order_type": "Sales",
			"transaction_date": nowdate(),
			"delivery_date": add_days(nowdate(), 3),
			"po_no": order.name,
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
	for line in order.lines:
		if line.open_qty <= 0:
			continue
		so.append(
			"items",
			{
				"item_code": items[line.external_line_id],
				"th_omni_line_id": line.external_line_id,
				"qty": line.open_qty,
				"rate": flt(line.amount / line.quantity) if line.quantity else 0,
				"delivery_date": so.delivery_date,
				"warehouse": bin_for(items[line.external_line_id], shop.warehouse),
			},
		)
	so.flags.ignore_permissions = True
	so.insert()
	so.submit()
	return so


def ship_to_address(order: CanonicalOrder, customer: str) -> str | None:
	"""An Address for the buyer's ship-to, linked to the shop's customer (reused when identical)."""
	a = order.ship_to
	if not (a.line1 and a.city):
		return None
	# the title names the Address document: buyer text without markup, and never '<' or '>' (which
	# Frappe refuses in a name, so a buyer typing them would otherwise stop their own order)
	title = re.sub(r"[<>]", "", strip_html(f"{a.name or order.buyer.name or order.name} {order.name}"))
	title = " ".join(title.split())[:140] or order.external_id
	existing = frappe.db.get_value("Address", {"address_title": title})
	if existing:
		return existing
	country = frappe.db.get_value("Country", {"code": a.country_code.lower()}) if a.country_code else None
	lat, lng = a.latitude, a.longitude
	addr = frappe.get_doc(
		{
			"doctype": "Address",
			"address_title": title,
			"address_type": "Shipping",
			"address_line1": a.line1[:140],
			"address_line2": a.line2[:140],
			"city": a.city,
			"state": a.province,
			"pincode": a.postcode,
			"phone": a.phone,
			"country": country or frappe.db.get_default("country") or "China",
			"is_shipping_address": 1,
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
	"""Scheduler: queue again every order whose retry time has come, and any stuck in Received."""
	names = frappe.get_all(
		"Channel Order Log",
		filters=[["status", "=", "Failed"], ["next_attempt_at", "<=", now_datetime()]],
		pluck="name",
	) + frappe.get_all(
		"Channel Order Log",
		filters=[["status", "=", "Received"], ["modified", "<", now_datetime() - timedelta(minutes=10)]],
		pluck="name",
	)
	for name in names:
		frappe.enqueue(
			"omni_channel.erp.orders.process",
			queue=QUEUE,
			job_id=f"omni-order::{name}",
			deduplicate=True,
			log_name=name,
		)
	return len(names)
