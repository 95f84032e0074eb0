"""Gift rules (智能赠品) on the orders the suite makes: a marketplace order as its Sales Order is made,
a portal order at checkout. Desk orders are left to the desk.

The rules are the enabled Order Gift Rules for the order's channel (B2B Portal, or the marketplace
shop), highest priority first; `core.gifts.apply_gifts` decides. Each gift is one more line on the
Sales Order: its item at a 100% discount (ERPNext's own free-item flag, so no price or margin check
trips on it), in the bin of the order's store with the most free stock, naming its rule. What the
rules gave, and why a matched rule gave nothing (the gift out of stock, the buyer's limit reached),
is written on the order under its items. A rule never stops an order.

A buyer's limit counts the gift sets on this buyer's earlier orders that are not cancelled: a
portal buyer is their customer; a marketplace buyer is the platform's buyer id within the shop
(every marketplace order of a shop has the shop's one customer).
"""

from __future__ import annotations

from decimal import Decimal

import frappe
from frappe import _
from frappe.utils import cint, flt, get_datetime, now_datetime

from omni_channel.core.gifts import GiftRule, apply_gifts

PORTAL = "B2B Portal"


def rules_for(channel: str, shop: str | None) -> list[frappe._dict]:
	"""The enabled rules that apply to orders of `channel` (PORTAL or a marketplace shop)."""
	rows = frappe.get_all(
		"Order Gift Rule",
		filters={"enabled": 1},
		fields=[
			"name",
			"applies_to",
			"shop",
			"spend_over",
			"units_over",
			"buy_item",
			"buy_item_group",
			"buy_qty",
			"repeat",
			"starts",
			"ends",
			"per_buyer_limit",
			"gift_item",
			"gift_qty",
			"priority",
		],
		order_by="priority desc, creation asc",
	)
	out = []
	for r in rows:
		if channel == PORTAL:
			if r.applies_to not in ("All channels", PORTAL) or r.shop:
				continue
		elif r.applies_to == PORTAL or (r.shop and r.shop != shop):
			continue
		out.append(r)
	return out


def group_items(item_group: str, codes: list[str]) -> frozenset[str]:
	"""Which of `codes` belong to `item_group` or a group under it."""
	lft, rgt = frappe.db.get_value("Item Group", item_group, ["lft", "rgt"]) or (0, 0)
	if not codes or not lft:
		return frozenset()
	groups = frappe.get_all("Item Group", filters={"lft": [">=", lft], "rgt": ["<=", rgt]}, pluck="name")
	return frozenset(
		frappe.get_all("Item", filters={"name": ["in", codes], "item_group": ["in", groups]}, pluck="name")
	)


def core_rule(r: frappe._dict, codes: list[str]) -> GiftRule:
	return GiftRule(
		name=r.name,
		gift_item=r.gift_item,
		gift_qty=cint(r.gift_qty),
		spend_over=Decimal(str(flt(r.spend_over))) if flt(r.spend_over) else None,
		units_over=cint(r.units_over) if cint(r.units_over) else None,
		buy_item=r.buy_item or None,
		buy_items=group_items(r.buy_item_group, codes) if r.buy_item_group else None,
		buy_label=r.buy_item_group or "",
		buy_qty=cint(r.buy_qty),
		repeat=bool(r.repeat),
		starts=get_datetime(r.starts) if r.starts else None,
		ends=get_datetime(r.ends) if r.ends else None,
		per_buyer_limit=cint(r.per_buyer_limit) if r.per_buyer_limit not in (None, "", 0) else None,
	)


def sets_given(rules: list[frappe._dict], buyer: str) -> dict[tuple[str, str], int]:
	"""Gift sets each rule already gave this buyer, on orders not cancelled."""
	limited = [r for r in rules if cint(r.per_buyer_limit)]
	if not limited or not buyer:
		return {}
	rows = frappe.db.sql(
		"""select i.th_gift_rule, sum(i.qty) from `tabSales Order Item` i
		join `tabSales Order` so on so.name = i.parent
		where so.th_gift_buyer = %(buyer)s and so.docstatus < 2 and i.th_gift_rule in %(rules)s
		group by i.th_gift_rule""",
		{"buyer": buyer, "rules": tuple(r.name for r in limited)},
	)
	per_set = {r.name: max(cint(r.gift_qty), 1) for r in limited}
	return {(rule, buyer): int(flt(qty) // per_set[rule]) for rule, qty in rows}


def free_in_bins(item_codes: list[str], warehouses: tuple[str, ...]) -> dict[str, dict[str, float]]:
	"""Free stock (actual − reserved) per item and bin."""
	if not item_codes or not warehouses:
		return {}
	rows = frappe.db.sql(
		"""select item_code, warehouse, actual_qty - reserved_qty from `tabBin`
		where item_code in %(items)s and warehouse in %(warehouses)s""",
		{"items": tuple(item_codes), "warehouses": warehouses},
	)
	out: dict[str, dict[str, float]] = {}
	for item, wh, qty in rows:
		out.setdefault(item, {})[wh] = flt(qty)
	return out


def leaves(store: str) -> tuple[str, ...]:
	lft, rgt, is_group = frappe.db.get_value("Warehouse", store, ["lft", "rgt", "is_group"]) or (0, 0, 0)
	if not is_group:
		return (store,) if lft else ()
	return tuple(
		frappe.get_all(
			"Warehouse", filters={"lft": [">=", lft], "rgt": ["<=", rgt], "is_group": 0}, pluck="name"
		)
	)


def add_gifts(so, buyer: str, store: str, shop: str | None = None) -> list[str]:
	"""Add the gift lines the order earns to the (unsaved) Sales Order `so`; answer the skip reasons.

	`buyer` is who a per-buyer limit counts (see the module's note); `store` the warehouse (or
	group of bins) the order ships from; `shop` the Channel Shop of a marketplace order."""
	channel = PORTAL if shop is None else "marketplace"
	rules = rules_for(channel, shop)
	so.th_gift_buyer = buyer
	if not rules:
		return []
	paid = [d for d in so.items if not d.get("th_gift_rule")]
	items: dict[str, int] = {}
	for d in paid:
		items[d.item_code] = items.get(d.item_code, 0) + int(flt(d.stock_qty or d.qty))
	goods = sum((Decimal(str(flt(d.qty) * flt(d.rate))) for d in paid), Decimal(0))
	codes = list(items)
	bins = free_in_bins(sorted({r.gift_item for r in rules}), leaves(store))
	# what the order's own lines take of a gift item is not free for its gift
	gift_stock = {item: int(sum(by_bin.values()) - items.get(item, 0)) for item, by_bin in bins.items()}
	outcome = apply_gifts(
		items,
		goods,
		now_datetime(),
		buyer,
		[core_rule(r, codes) for r in rules],
		sets_given(rules, buyer),
		gift_stock,
	)
	notes = []
	for gift in outcome.gifts:
		by_bin = bins.get(gift.item_code) or {}
		warehouse = max(sorted(by_bin), key=lambda w: by_bin[w]) if by_bin else store
		so.append(
			"items",
			{
				"item_code": gift.item_code,
				"qty": gift.qty,
				"is_free_item": 1,
				"discount_percentage": 100,
				"rate": 0,
				"th_gift_rule": gift.rule,
				"delivery_date": so.delivery_date,
				"warehouse": warehouse,
			},
		)
		notes.append(_("Gift {0} × {1} ({2})").format(gift.qty, gift.item_code, gift.reason))
	skipped = [_("No gift: {0}").format(reason) for reason in outcome.skipped]
	if notes or skipped:
		so.th_gift_note = "\n".join(notes + skipped)
	return list(outcome.skipped)
