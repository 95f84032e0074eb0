"""Stock back to the shops: what ERPNext has free, shared out by each shop's ratio, changes only.

Free stock is read from ERPNext's Bins (actual − reserved) over the bins under each shop's
warehouse — never a copy of stock. The core's StockPlanner applies ratio, buffer and the
no-oversell check, and compares with what each Channel Listing last offered, so only changed
quantities are sent. A push that fails leaves the listing unchanged and is tried next time.
"""

from decimal import Decimal

import frappe
from frappe.utils import flt, now_datetime

from omni_channel.channels.base import ChannelError, StockUpdate
from omni_channel.core.stock import Level, Push, ShopPolicy, StockPlanner
from omni_channel.erp.clients import client_for


def _leaves(warehouse: str) -> tuple[str, ...]:
	lft, rgt, is_group = frappe.db.get_value("Warehouse", warehouse, ["lft", "rgt", "is_group"])
	if not is_group:
		return (warehouse,)
	return tuple(
		frappe.get_all(
			"Warehouse", filters={"lft": (">=", lft), "rgt": ("<=", rgt), "is_group": 0}, pluck="name"
		)
	)


def plan(shops: list[str] | None = None) -> list[Push]:
	"""The pushes due for the enabled shops (or these), one per listing whose quantity changed."""
	filters = {"enabled": 1} if shops is None else {"name": ("in", shops)}
	shop_docs = frappe.get_all(
		"Channel Shop", filters=filters, fields=["name", "warehouse", "stock_ratio", "safety_stock"]
	)
	if not shop_docs:
		return []
	policies = [
		ShopPolicy(
			shop=s.name,
			warehouses=_leaves(s.warehouse),
			ratio=Decimal(str(flt(s.stock_ratio))) / 100,
			buffer=int(flt(s.safety_stock)),
		)
		for s in shop_docs
	]
	listings = frappe.get_all(
		"Channel Listing",
		filters={"shop": ("in", [s.name for s in shop_docs]), "enabled": 1},
		fields=["shop", "item_code", "last_pushed_qty", "last_pushed_at"],
	)
	items = sorted({row.item_code for row in listings})
	stock: dict[str, dict[str, Level]] = {}
	if items:
		for b in frappe.get_all(
			"Bin",
			filters={"item_code": ("in", items)},
			fields=["item_code", "warehouse", "actual_qty", "reserved_qty"],
		):
			stock.setdefault(b.item_code, {})[b.warehouse] = Level(flt(b.actual_qty), flt(b.reserved_qty))
	last = {(row.shop, row.item_code): row.last_pushed_qty for row in listings if row.last_pushed_at}
	listed = {(row.shop, row.item_code) for row in listings}
	return [p for p in StockPlanner(policies).plan(stock, last, items) if (p.shop, p.item) in listed]


def push(shops: list[str] | None = None) -> dict[str, int]:
	"""Send the due quantities; per shop, how many listings were updated."""
	done: dict[str, int] = {}
	by_shop: dict[str, list[Push]] = {}
	for p in plan(shops):
		by_shop.setdefault(p.shop, []).append(p)
	for shop_name, pushes in by_shop.items():
		client, shop = client_for(shop_name)
		listing = {
			r.item_code: r
			for r in frappe.get_all(
				"Channel Listing",
				filters={"shop": shop_name, "item_code": ("in", [p.item for p in pushes])},
				fields=["name", "item_code", "sku", "product_id", "variant_id"],
			)
		}
		updates = [
			StockUpdate(
				sku=listing[p.item].sku or p.item,
				quantity=p.qty,
				product_id=listing[p.item].product_id or "",
				variant_id=listing[p.item].variant_id or "",
				location_id=shop.location_id or "",
			)
			for p in pushes
		]
		try:
			if shop.platform == "Shopify":
				client.set_inventory(updates)
			else:
				client.push_stock(updates)
		except (ChannelError, ValueError):
			frappe.log_error(f"Stock push to {shop_name} failed", frappe.get_traceback())
			continue
		now = now_datetime()
		for p in pushes:
			frappe.db.set_value(
				"Channel Listing", listing[p.item].name, {"last_pushed_qty": p.qty, "last_pushed_at": now}
			)
		done[shop_name] = len(pushes)
	return done


def push_all() -> None:
	"""Scheduler: every enabled shop."""
	push()


def lock_free_stock(item_codes: list[str], warehouse: str) -> dict[str, float]:
	"""Free stock (actual − reserved) per stock item over the bins under the shop's warehouse, read
	under an exclusive lock on each of those Bin rows.

	The same rule as the B2B portal's checkout (b2b_mall.erp.orders.lock_free_stock): every Bin row
	of the order, locked in one statement in (item, warehouse) order, held until the Sales Order that
	reserves the stock commits. A portal cart and a marketplace order for the same item therefore
	take turns, and neither ever waits for the other in a circle. Non-stock items are left out.
	"""
	stock_items = sorted(
		set(frappe.get_all("Item", filters={"name": ("in", item_codes), "is_stock_item": 1}, pluck="name"))
	)
	if not stock_items:
		return {}
	rows = frappe.db.sql(
		"""select item_code, warehouse, actual_qty, reserved_qty from `tabBin`
		where item_code in %(items)s and warehouse in %(warehouses)s
		order by item_code, warehouse for update""",
		{"items": tuple(stock_items), "warehouses": _leaves(warehouse)},
		as_dict=True,
	)
	free = dict.fromkeys(stock_items, 0.0)
	for r in rows:
		free[r.item_code] += flt(r.actual_qty) - flt(r.reserved_qty)
	return free
