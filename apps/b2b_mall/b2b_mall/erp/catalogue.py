"""ERPNext side of the mall's catalogue: which items a buyer finds, ERPNext's price for them at each
quantity break, and what is free to sell.

Prices are ERPNext's: an unsaved Sales Order for the buyer's customer (its price list, its pricing
rules) priced by ERPNext's own `set_missing_values` (get_item_details, pricing rules) and
`calculate_taxes_and_totals`, exactly as `orders.place_order` prices the real order. Pricing an item
costs tens of milliseconds, so each price is cached per (item, customer) for the day and for
PRICE_TTL seconds, and dropped whenever an Item Price, Pricing Rule, Price List, Customer or Customer
Group changes (hooks.py).
"""

import hashlib
import json
from collections import defaultdict

import frappe
from frappe.utils import cint, flt, nowdate

from b2b_mall.core.cart import CartLine, Problem, check_items
from b2b_mall.core.catalogue import (
	Page,
	QuickLine,
	order_step,
	pages,
	price_breaks,
	stock_band,
)
from b2b_mall.erp import orders

PRICE_TTL = 10 * 60
SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€", "HKD": "HK$", "JPY": "¥", "GBP": "£"}
PRICE_KEY = "b2b_mall:price:"  # + customer + ":" + item
BUYER_KEY = "b2b_mall:buyer:"  # + customer: its price list
GROUPS_KEY = "b2b_mall:groups"
COUNT_KEY = "b2b_mall:count:"
COUNT_TTL = 60
MALL_ITEM = "i.disabled = 0 and i.is_sales_item = 1 and i.th_b2b_show_in_mall = 1 and i.has_variants = 0"


def symbol_of(currency: str) -> str:
	return frappe.get_cached_value("Currency", currency, "symbol") or SYMBOLS.get(currency, currency + " ")


def display() -> frappe._dict:
	"""How stock is shown (B2B Mall Settings): a number, or a band with its low level."""
	s = frappe.get_cached_doc("B2B Mall Settings")
	return frappe._dict(
		stock_display=s.get("stock_display") or "Number",
		low_stock_level=flt(s.get("low_stock_level")),
		page_size=cint(s.get("catalogue_page_size")) or 20,
	)


def price_list_of(customer: str, company: str) -> str | None:
	key = BUYER_KEY + customer
	cached = frappe.cache().get_value(key, expires=True)
	if cached is None:
		cached = orders.party_details(customer, company).get("selling_price_list") or ""
		frappe.cache().set_value(key, cached, expires_in_sec=PRICE_TTL)
	return cached or None


def forget_prices(doc=None, method=None) -> None:
	"""doc_events: what a price depends on changed. An Item or its Item Price drops that item's
	prices, a Customer its own; a Pricing Rule, Price List or Customer Group every cached price."""
	cache = frappe.cache()
	doctype = doc.doctype if doc is not None else None
	if doctype in ("Item", "Item Price"):
		item = doc.name if doctype == "Item" else doc.item_code
		cache.delete_keys(f"{PRICE_KEY}*:{item}")
		if doctype == "Item":
			cache.delete_value(GROUPS_KEY)
		return
	if doctype == "Customer":
		cache.delete_keys(f"{PRICE_KEY}{doc.name}:")
		cache.delete_value(BUYER_KEY + doc.name)
		return
	cache.delete_keys(PRICE_KEY)
	cache.delete_keys(BUYER_KEY)


# ---------------------------------------------------------------- finding items


def _escape_like(text: str) -> str:
	return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def find(q: str, item_group: str | None, page: Page, price_list: str | None) -> tuple[list, int]:
	"""A page of the mall's items that have a price in the buyer's price list, found by name, code
	or barcode, within an Item Group's subtree; and how many there are in all."""
	conditions = [MALL_ITEM]
	values: dict = {"price_list": price_list or ""}
	# a correlated count, not `exists`: MariaDB would materialise every price of the list for an
	# `exists`, where this reads the item_code index for the items of the page only
	conditions.append(
		"(select count(*) from `tabItem Price` ip force index (item_code) where ip.item_code = i.name"
		" and ip.price_list = %(price_list)s and ip.selling = 1) > 0"
	)
	q = (q or "").strip()
	if q:
		values["q"] = q
		values["like"] = f"%{_escape_like(q)}%"
		conditions.append(
			"(i.name like %(like)s or i.item_name like %(like)s"
			" or i.name in (select b.parent from `tabItem Barcode` b where b.barcode = %(q)s))"
		)
	if item_group:
		bounds = frappe.db.get_value("Item Group", item_group, ["lft", "rgt"])
		if not bounds:
			return [], 0
		values["lft"], values["rgt"] = bounds
		conditions.append(
			"i.item_group in (select g.name from `tabItem Group` g where g.lft >= %(lft)s and g.rgt <= %(rgt)s)"
		)
	where = " and ".join(conditions)
	total = _count(where, values)
	if not total or page.offset >= total:
		return [], total
	rows = frappe.db.sql(
		f"""select i.name as item_code, i.item_name, i.item_group, i.image, i.stock_uom,
			i.th_b2b_moq as moq, i.th_b2b_pack_qty as pack
		from `tabItem` i force index (primary) where {where}
		order by i.name limit %(limit)s offset %(offset)s""",
		{**values, "limit": page.size, "offset": page.offset},
		as_dict=True,
	)
	return rows, total


def _count(where: str, values: dict) -> int:
	"""How many items a search finds; counting a large catalogue costs more than reading a page, so
	the count is kept for COUNT_TTL seconds (new and removed items show in the total within a minute;
	the page itself is always read live)."""
	key = COUNT_KEY + hashlib.sha1(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()
	total = frappe.cache().get_value(key, expires=True)
	if total is None:
		total = cint(frappe.db.sql(f"select count(*) from `tabItem` i where {where}", values)[0][0])
		frappe.cache().set_value(key, total, expires_in_sec=COUNT_TTL)
	return total


def groups() -> list[dict]:
	"""Item Groups that hold mall items (with their counts), for browsing; cached for a few minutes."""
	cached = frappe.cache().get_value(GROUPS_KEY, expires=True)
	if cached is None:
		cached = [
			{"name": r[0], "count": cint(r[1])}
			for r in frappe.db.sql(
				f"select i.item_group, count(*) from `tabItem` i where {MALL_ITEM}"
				" group by i.item_group order by i.item_group"
			)
		]
		frappe.cache().set_value(GROUPS_KEY, cached, expires_in_sec=300)
	return cached


# ---------------------------------------------------------------- prices


def _rule_thresholds(items: list[frappe._dict]) -> dict[str, set[float]]:
	"""Minimum quantities of the enabled selling Pricing Rules that name an item, its group (or a
	parent group) or its brand. Whether a rule applies to this buyer is ERPNext's to say."""
	today = nowdate()
	rules = frappe.db.sql(
		"""select pr.name, pr.apply_on, pr.min_qty from `tabPricing Rule` pr
		where pr.disable = 0 and pr.selling = 1 and pr.min_qty > 0
		and (pr.valid_from is null or pr.valid_from <= %(today)s)
		and (pr.valid_upto is null or pr.valid_upto >= %(today)s)""",
		{"today": today},
		as_dict=True,
	)
	if not rules:
		return {}
	names = [r.name for r in rules]
	min_qty = {r.name: flt(r.min_qty) for r in rules}
	out: dict[str, set[float]] = defaultdict(set)
	codes = {i.item_code for i in items}
	for row in frappe.get_all(
		"Pricing Rule Item Code", filters={"parent": ("in", names)}, fields=["parent", "item_code"]
	):
		if row.item_code in codes:
			out[row.item_code].add(min_qty[row.parent])
	group_rules = frappe.get_all(
		"Pricing Rule Item Group", filters={"parent": ("in", names)}, fields=["parent", "item_group"]
	)
	if group_rules:
		bounds = {g.name: (g.lft, g.rgt) for g in frappe.get_all("Item Group", fields=["name", "lft", "rgt"])}
		for i in items:
			lft, _rgt = bounds.get(i.item_group, (0, 0))
			for row in group_rules:
				glft, grgt = bounds.get(row.item_group, (1, 0))
				if glft <= lft <= grgt:
					out[i.item_code].add(min_qty[row.parent])
	brand_rules = frappe.get_all(
		"Pricing Rule Brand", filters={"parent": ("in", names)}, fields=["parent", "brand"]
	)
	if brand_rules:
		brands = dict(
			frappe.get_all(
				"Item", filters={"name": ("in", list(codes))}, fields=["name", "brand"], as_list=True
			)
		)
		for row in brand_rules:
			for code, brand in brands.items():
				if brand and brand == row.brand:
					out[code].add(min_qty[row.parent])
	return out


def _erpnext_rates(customer: str, cfg: frappe._dict, lines: list[CartLine]) -> list[float]:
	"""ERPNext's rate of each line for this customer, as the Sales Order would have it."""
	if not lines:
		return []
	so = orders.draft_sales_order(customer, lines, cfg, {})
	return [flt(row.rate) for row in so.items]


def prices(customer: str, items: list[frappe._dict]) -> dict[str, dict]:
	"""Per item: {"rate": at the smallest quantity the buyer can order, "breaks": [[qty, rate], …]}."""
	today = nowdate()
	cache = frappe.cache()
	found: dict[str, dict] = {}
	missing = []
	for i in items:
		hit = cache.get_value(f"{PRICE_KEY}{customer}:{i.item_code}", expires=True)
		if hit and hit.get("day") == today:
			found[i.item_code] = hit
		else:
			missing.append(i)
	if not missing:
		return found
	cfg = orders.settings()
	thresholds = _rule_thresholds(missing)
	base_qty = {i.item_code: order_step(flt(i.moq), flt(i.pack)) for i in missing}
	# one unsaved order per level: every item at its least quantity, then each at its k-th break
	levels: list[list[CartLine]] = [[CartLine(i.item_code, base_qty[i.item_code]) for i in missing]]
	per_item = {code: sorted(q for q in thresholds.get(code, ()) if q > base_qty[code]) for code in base_qty}
	depth = max((len(v) for v in per_item.values()), default=0)
	for k in range(depth):
		levels.append([CartLine(code, qs[k]) for code, qs in per_item.items() if len(qs) > k])
	priced_at: dict[str, list[tuple[float, float]]] = defaultdict(list)
	for level in levels:
		for line, rate in zip(level, _erpnext_rates(customer, cfg, level), strict=True):
			priced_at[line.item_code].append((line.qty, rate))
	for code, points in priced_at.items():
		base = points[0][1]
		entry = {
			"day": today,
			"rate": base,
			"breaks": [[b.min_qty, b.rate] for b in price_breaks(base, points[1:])],
		}
		cache.set_value(f"{PRICE_KEY}{customer}:{code}", entry, expires_in_sec=PRICE_TTL)
		found[code] = entry
	return found


# ---------------------------------------------------------------- the page of items


def free_stock(codes: list[str], warehouse: str) -> dict[str, float]:
	"""Σ (actual − reserved) per item over the store's bins, as orders.free_stock, with the list of
	bins kept for a few minutes (the warehouse tree seldom changes; the order's own check reads it live)."""
	key = f"b2b_mall:bins:{warehouse}"
	leaves = frappe.cache().get_value(key, expires=True)
	if leaves is None:
		leaves = orders.leaf_warehouses(warehouse)
		frappe.cache().set_value(key, leaves, expires_in_sec=300)
	rows = frappe.db.sql(
		"""select item_code, sum(actual_qty - reserved_qty) from `tabBin`
		where item_code in %(codes)s and warehouse in %(leaves)s group by item_code""",
		{"codes": tuple(codes), "leaves": tuple(leaves) or ("",)},
	)
	return {code: flt(qty) for code, qty in rows}


def search(user: str, q: str, item_group: str | None, page: Page) -> dict:
	"""A page of the catalogue for the logged-in buyer: their prices, free stock, MOQ and packs."""
	customer = orders.customer_of(user)
	cfg = orders.settings()
	shown = display()
	price_list = price_list_of(customer, cfg.company)
	rows, total = find(q, item_group, page, price_list)
	priced = prices(customer, rows) if rows else {}
	free = free_stock([r.item_code for r in rows], cfg.warehouse) if rows else {}
	items = []
	for r in rows:
		p = priced.get(r.item_code) or {"rate": 0, "breaks": []}
		available = max(0.0, flt(free.get(r.item_code)))
		items.append(
			{
				"item_code": r.item_code,
				"item_name": r.item_name,
				"item_group": r.item_group,
				"image": r.image if (r.image or "").startswith(("/files/", "http://", "https://")) else None,
				"uom": r.stock_uom,
				"moq": flt(r.moq),
				"pack": flt(r.pack),
				"step": order_step(flt(r.moq), flt(r.pack)),
				"rate": p["rate"],
				"breaks": p["breaks"],
				**(
					{"stock": stock_band(available, shown.low_stock_level)}
					if shown.stock_display == "Band"
					else {"available": available}
				),
			}
		)
	currency = frappe.get_cached_value("Company", cfg.company, "default_currency")
	return {
		"items": items,
		"total": total,
		"page": page.number,
		"page_size": page.size,
		"pages": pages(total, page.size),
		"currency": currency,
		"symbol": symbol_of(currency),
		"stock_display": shown.stock_display,
	}


# ---------------------------------------------------------------- quick order and reorder


def item_rows(codes: list[str]) -> dict[str, frappe._dict]:
	rows = frappe.get_all(
		"Item",
		filters={"name": ("in", codes)},
		fields=[
			"name as item_code",
			"item_name",
			"item_group",
			"th_b2b_moq as moq",
			"th_b2b_pack_qty as pack",
		],
	)
	return {r.item_code: r for r in rows}


def resolve(skus: list[str]) -> dict[str, str]:
	"""Item code or barcode as the buyer typed it (any case) → the Item's code."""
	if not skus:
		return {}
	out = {}
	for code in frappe.get_all("Item", filters={"name": ("in", skus)}, pluck="name"):
		out[code.lower()] = code
	for b in frappe.get_all(
		"Item Barcode", filters={"barcode": ("in", skus), "parenttype": "Item"}, fields=["parent", "barcode"]
	):
		out.setdefault(b.barcode.lower(), b.parent)
	return {s: out[s.lower()] for s in skus if s.lower() in out}


def sold_to(customer: str, codes: list[str]) -> dict:
	"""Of these item codes, those the customer may order, with their facts (ItemFacts): sellable in
	the mall and with a selling price on the customer's price list."""
	if not codes:
		return {}
	facts = orders.item_facts(codes)
	price_list = price_list_of(customer, orders.settings().company)
	priced = set(
		frappe.get_all(
			"Item Price",
			filters={"price_list": price_list or "", "selling": 1, "item_code": ("in", codes)},
			pluck="item_code",
		)
	)
	return {code: f for code, f in facts.items() if f.sellable and code in priced}


def cart_lines(user: str, lines: list[QuickLine]) -> tuple[list[dict], list[tuple[int, Problem]]]:
	"""Quick-order or reorder lines → the lines the buyer may put in the cart (with today's price for
	their customer) and, for every other line, the reason, naming its line."""
	customer = orders.customer_of(user)
	codes = resolve(sorted({ln.sku for ln in lines}))
	facts = sold_to(customer, sorted(set(codes.values())))
	meta = item_rows(sorted(facts))
	good, bad = [], []
	for ln in lines:
		code = codes.get(ln.sku)
		item = facts.get(code) if code else None
		if item is None:
			bad.append(
				(
					ln.line,
					Problem("unknown_item", "{item}: no such item in the mall.", ln.sku, (("item", ln.sku),)),
				)
			)
			continue
		problems = check_items([CartLine(code, ln.qty)], {code: item})
		limit = orders.limits().cart.max_qty
		if not problems and limit and ln.qty > limit:
			problems = [
				Problem(
					"over_max_qty",
					"{item}: one order takes at most {max_qty:g}, you asked for {qty:g}.",
					code,
					(("item", code), ("max_qty", limit), ("qty", ln.qty)),
				)
			]
		if problems:
			bad += [(ln.line, p) for p in problems]
			continue
		good.append((ln, code))
	priced = prices(customer, [meta[code] for _ln, code in good]) if good else {}
	out = []
	for ln, code in good:
		m = meta[code]
		out.append(
			{
				"line": ln.line,
				"item_code": code,
				"item_name": m.item_name,
				"qty": ln.qty,
				"moq": flt(m.moq),
				"pack": flt(m.pack),
				"rate": priced.get(code, {}).get("rate", 0),
			}
		)
	return out, bad


def order_lines(user: str, sales_order: str) -> list[QuickLine]:
	"""The lines of one of the buyer's own submitted Sales Orders; anyone else's is 'not found'."""
	customer = orders.customer_of(user)
	so = frappe.db.get_value("Sales Order", sales_order, ["customer", "docstatus"], as_dict=True)
	if not so or so.customer != customer or so.docstatus != 1:
		raise frappe.DoesNotExistError(frappe._("No such order of yours."))
	qty: dict[str, float] = {}
	for row in frappe.get_all(
		"Sales Order Item",
		filters={"parent": sales_order, "parenttype": "Sales Order"},
		fields=["item_code", "stock_qty", "idx"],
		order_by="idx",
	):
		qty[row.item_code] = qty.get(row.item_code, 0.0) + flt(row.stock_qty)
	return [QuickLine(n, code, q) for n, (code, q) in enumerate(qty.items(), start=1)]


def recent_orders(user: str, limit: int = 10) -> list[dict]:
	customer = orders.customer_of(user)
	return frappe.get_all(
		"Sales Order",
		filters={"customer": customer, "docstatus": 1},
		fields=["name", "transaction_date", "grand_total", "currency", "status"],
		order_by="creation desc",
		limit=limit,
	)


def addresses(user: str) -> list[dict]:
	"""The buyer's customer's addresses, for the delivery address of an order."""
	customer = orders.customer_of(user)
	return orders.addresses_of(customer)
