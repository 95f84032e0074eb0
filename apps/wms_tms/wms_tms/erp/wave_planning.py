"""Plan Waves (desk page wms-wave-planning): the store's open Sales Order lines → a round of waves
for its carts (`core.wave_planning`), measured again after the lead moves orders, then accepted as
Pick Waves with their Pick Lists in walking order (`erp.picking`).

An order is open for a wave when it is a submitted Sales Order of the store's company, neither
closed nor on hold, with stock lines still to deliver from a warehouse under the store, and on no
Pick Wave that is still a draft or being picked. The orders are read with `frappe.get_list`, so
the lead's User Permissions (by company, customer, warehouse …) apply.

Each line is placed in the bins ERPNext's own Pick List would take it from
(`get_available_item_locations`, oldest stock first), so the walk the page shows is the walk the
Pick List gets. Weight is the Item's weight per unit (kg), volume the Item's `th_wms_volume` (m³).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

import frappe
from erpnext.stock.doctype.pick_list.pick_list import get_available_item_locations
from frappe import _
from frappe.utils import escape_html, flt, get_datetime, getdate, today

from wms_tms.core import wave_planning
from wms_tms.core.errors import WmsInputError
from wms_tms.core.waves import Cart, Line, Order
from wms_tms.erp import picking
from wms_tms.erp.layout import layout_of

OPEN_WAVE = ("Draft", "Picking")
NO_STOCK = "no_stock"
NO_PLACE = "no_place"
MAX_ORDERS = 2000  # one round; a larger backlog is narrowed by the filters


def cart_of(units=0, weight=0, volume=0) -> Cart:
	cart = Cart(units=flt(units), weight=flt(weight), volume=flt(volume))
	if min(cart.units, cart.weight, cart.volume) < 0 or not (cart.units or cart.weight or cart.volume):
		frappe.throw(_("Give the cart's capacity: units, weight or volume above zero."))
	return cart


def _store(store: str) -> tuple[str, int, int]:
	row = frappe.db.get_value("Warehouse", store, ["company", "lft", "rgt", "is_group"], as_dict=True)
	if not row or not row.is_group:
		frappe.throw(_("Choose a store: a group Warehouse with a Warehouse Layout."))
	return row.company, row.lft, row.rgt


def open_lines(
	store: str, filters: dict | None = None, orders: list[str] | None = None
) -> list[frappe._dict]:
	"""Open stock lines of the store's orders (most urgent first); `orders` narrows to those names."""
	company, lft, rgt = _store(store)
	filters = filters or {}
	conditions = [
		["docstatus", "=", 1],
		["company", "=", company],
		["status", "not in", ("Closed", "On Hold", "Completed")],
		["per_delivered", "<", 100],
	]
	has_channel = frappe.db.has_column("Sales Order", "th_channel")
	if filters.get("channel") and has_channel:
		conditions.append(["th_channel", "=", filters["channel"]])
	if filters.get("territory"):
		conditions.append(["territory", "=", filters["territory"]])
	if filters.get("due_by"):
		conditions.append(["delivery_date", "<=", getdate(filters["due_by"])])
	if orders is not None:
		if not orders:
			return []
		conditions.append(["name", "in", orders])
	names = frappe.get_list(
		"Sales Order",
		filters=conditions,
		pluck="name",
		limit_page_length=MAX_ORDERS,
		order_by="delivery_date asc",
	)
	if not names:
		return []
	channel = "so.th_channel" if has_channel else "''"
	return frappe.db.sql(
		f"""select soi.parent as sales_order, soi.name as row, soi.item_code, soi.idx,
			soi.stock_qty - soi.delivered_qty * soi.conversion_factor as qty,
			coalesce(it.weight_per_unit, 0) as weight_per_unit, coalesce(it.th_wms_volume, 0) as volume_per_unit,
			so.customer, so.customer_name, {channel} as channel, so.delivery_date, so.creation, so.territory
		from `tabSales Order Item` soi
			join `tabSales Order` so on so.name = soi.parent
			join `tabItem` it on it.name = soi.item_code
			join `tabWarehouse` w on w.name = soi.warehouse
		where soi.parent in %(names)s and it.is_stock_item = 1
			and w.lft >= %(lft)s and w.rgt <= %(rgt)s
			and soi.stock_qty - soi.delivered_qty * soi.conversion_factor > 0
			and not exists (select 1 from `tabPick Wave Order` pwo join `tabPick Wave` pw on pw.name = pwo.parent
				where pwo.sales_order = so.name and pw.status in %(open)s)
		order by so.delivery_date, so.creation, so.name, soi.idx""",
		{"names": names, "lft": lft, "rgt": rgt, "open": OPEN_WAVE},
		as_dict=True,
	)


def _bins(store: str) -> list[str]:
	lft, rgt = frappe.db.get_value("Warehouse", store, ["lft", "rgt"])
	return frappe.get_all(
		"Warehouse", filters={"lft": (">", lft), "rgt": ("<", rgt), "is_group": 0}, pluck="name"
	)


def to_orders(store: str, lines: list[frappe._dict], layout) -> tuple[list[Order], dict, list[dict]]:
	"""Core orders with each line in its bins; orders that cannot be placed are left with the reason."""
	company = frappe.get_cached_value("Warehouse", store, "company")
	bins = _bins(store)
	need: dict[str, float] = defaultdict(float)
	for ln in lines:
		need[ln.item_code] += flt(ln.qty)
	stock: dict[str, list[list]] = {}
	for item, qty in need.items():
		found = get_available_item_locations(item, bins, qty, company, ignore_validation=True)
		stock[item] = [[loc.warehouse, flt(loc.qty)] for loc in found if flt(loc.qty) > 0]

	by_order: dict[str, list[frappe._dict]] = defaultdict(list)
	for ln in lines:
		by_order[ln.sales_order].append(ln)
	today_ = getdate(today())
	orders, info, left = [], {}, []
	for so, rows in by_order.items():
		head = rows[0]
		info[so] = {
			"sales_order": so,
			"customer": head.customer,
			"customer_name": head.customer_name,
			"channel": head.channel or "",
			"delivery_date": str(head.delivery_date or ""),
			"placed": head.creation,
		}
		placed: list[Line] = []
		problem = None
		for ln in rows:
			want = flt(ln.qty)
			for spot in stock.get(ln.item_code, []):
				if want <= 1e-9:
					break
				take = min(want, spot[1])
				if take <= 0:
					continue
				spot[1] -= take
				want -= take
				placed.append(
					Line(
						so,
						spot[0],
						ln.item_code,
						take,
						weight=take * flt(ln.weight_per_unit),
						volume=take * flt(ln.volume_per_unit),
					)
				)
			if want > 1e-9:
				problem = (
					NO_STOCK,
					_("{0}: {1} of {2} are in the store's bins").format(
						ln.item_code, flt(ln.qty) - want, ln.qty
					),
				)
				break
		if problem is None:
			for line in placed:
				try:
					layout.spot(line.bin)
				except WmsInputError:
					problem = (
						NO_PLACE,
						_("bin {0} has no aisle and position on the store's layout").format(line.bin),
					)
					break
		if problem:
			left.append({**info[so], "reason": problem[0], "detail": problem[1]})
			continue
		due = getdate(head.delivery_date) if head.delivery_date else today_
		orders.append(Order(so, tuple(placed), priority=(today_ - due).days))
	return orders, info, left


def _wave_view(m, info: dict, orders: dict[str, Order]) -> dict:
	return {
		"orders": [
			{
				**{k: v for k, v in info[so].items() if k != "placed"},
				"units": orders[so].load[0],
				"weight": orders[so].load[1],
				"volume": orders[so].load[2],
				"lines": len(orders[so].lines),
			}
			for so in m.orders
		],
		"units": m.units,
		"weight": m.weight,
		"volume": m.volume,
		"over": list(m.over),
		"distance": round(m.distance, 1),
		"one_by_one": round(m.one_by_one, 1),
		"bins": list(m.bins),
	}


def _left_view(left: list[dict]) -> list[dict]:
	return [{k: v for k, v in x.items() if k != "placed"} for x in left]


def _view(layout, groups: list[list[Order]], cart: Cart, info: dict, left: list[dict]) -> dict:
	measured = wave_planning.evaluate(layout, groups, cart)
	by_name = {o.name: o for g in groups for o in g}
	waves = [_wave_view(m, info, by_name) for m in measured]
	return {
		"waves": waves,
		"left": _left_view(left),
		"distance": round(sum(w["distance"] for w in waves), 1),
		"one_by_one": round(sum(w["one_by_one"] for w in waves), 1),
	}


def propose(store: str, cart: Cart, carts: int, cutoff=None, filters: dict | None = None) -> dict:
	layout = layout_of(store)
	lines = open_lines(store, filters)
	orders, info, left = to_orders(store, lines, layout)
	cutoff_at: datetime | None = get_datetime(cutoff) if cutoff else None
	try:
		plan = wave_planning.propose(
			layout,
			orders,
			cart,
			int(carts or 0),
			cutoff=cutoff_at,
			placed={so: get_datetime(i["placed"]) for so, i in info.items()},
		)
	except WmsInputError as e:
		frappe.throw(escape_html(e.reason))
	left += [{**info[x.order], "reason": x.reason, "detail": x.detail} for x in plan.left]
	return _view(layout, [w.orders for w in plan.waves], cart, info, left)


def _groups(store: str, waves: list[list[str]], layout) -> tuple[list[list[Order]], dict, list[dict]]:
	"""The lead's waves (lists of Sales Order names), each order checked to be open in the store."""
	if not isinstance(waves, list) or not all(isinstance(w, list) for w in waves):
		frappe.throw(_("Waves must be lists of Sales Orders."))
	names = [str(so) for w in waves for so in w]
	if len(set(names)) != len(names):
		frappe.throw(_("A Sales Order is in two waves."))
	if len(names) > MAX_ORDERS:
		frappe.throw(_("At most {0} orders in one round.").format(MAX_ORDERS))
	lines = open_lines(store, orders=names)
	orders, info, left = to_orders(store, lines, layout)
	by_name = {o.name: o for o in orders}
	missing = [so for so in names if so not in by_name]
	if missing:
		reasons = {x["sales_order"]: x["detail"] for x in left}
		frappe.throw(
			_("Not open for picking in this store: {0}").format(
				", ".join(escape_html(f"{so} ({reasons[so]})" if so in reasons else so) for so in missing)
			)
		)
	return [[by_name[so] for so in w] for w in waves], info, left


def evaluate(store: str, cart: Cart, waves: list[list[str]]) -> dict:
	layout = layout_of(store)
	groups, info, _left = _groups(store, waves, layout)
	return _view(layout, groups, cart, info, [])


def accept(store: str, cart: Cart, waves: list[list[str]]) -> list[dict]:
	"""Pick Waves with their Pick Lists in walking order, one per non-empty wave; all or none."""
	waves = [w for w in waves if w]
	if not waves:
		frappe.throw(_("No wave to accept."))
	names = sorted({so for w in waves for so in w})
	# two leads accepting the same orders: the second waits here, then finds them on a wave
	frappe.db.sql("select name from `tabSales Order` where name in %(n)s for update", {"n": names})
	layout = layout_of(store)
	groups, _info, _left = _groups(store, waves, layout)
	for i, m in enumerate(wave_planning.evaluate(layout, groups, cart), start=1):
		if m.over:
			frappe.throw(
				_("Wave {0} is more than a cart holds ({1}): move an order out first.").format(
					i, ", ".join(_(x) for x in m.over)
				)
			)
	company = frappe.db.get_value("Warehouse", store, "company")
	made = []
	for group in groups:
		wave = picking.create_wave(company, store, [o.name for o in group])
		pick_list = picking.make_pick_list(wave.name)
		made.append(
			{
				"wave": wave.name,
				"pick_list": pick_list.name,
				"orders": [o.name for o in group],
				"distance": round(flt(frappe.db.get_value("Pick Wave", wave.name, "path_length")), 1),
			}
		)
	return made
