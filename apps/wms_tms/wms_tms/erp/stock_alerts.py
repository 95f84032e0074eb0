"""Stock alerts read from ERPNext: stock per bin from Bin, issues from the Stock Ledger, safety stock
from the Item's reorder levels (Item Reorder, per bin or per store; the Item's own Safety Stock for a
store without one). The rules are core.stock_alerts'. Replenishment becomes a draft Material Request;
a daily job tells the Stock Managers what the alerts are (Notification Log).

A store is a group Warehouse with a Warehouse Layout; its bins are the leaf Warehouses under it.
"""

from collections import defaultdict
from urllib.parse import quote

import frappe
from frappe import _
from frappe.utils import add_days, cint, flt, getdate, nowdate

from wms_tms.core import stock_alerts
from wms_tms.core.errors import WmsInputError

REPORT = "WMS Stock Alerts"
MANAGER_ROLE = "Stock Manager"


def kind_label(kind: str) -> str:
	return {
		stock_alerts.BELOW_SAFETY: _("Below safety stock"),
		stock_alerts.SLOW_MOVING: _("Slow-moving"),
		stock_alerts.OVERSTOCK: _("Overstock"),
	}.get(kind, kind)


def stores(company: str | None = None, store: str | None = None) -> list[frappe._dict]:
	filters = {}
	if store:
		filters["warehouse"] = store
	rows = frappe.get_all("Warehouse Layout", filters=filters, pluck="warehouse")
	out = []
	for name in rows:
		w = frappe.db.get_value("Warehouse", name, ["name", "lft", "rgt", "company"], as_dict=True)
		if w and (not company or w.company == company):
			out.append(w)
	return out


def read(
	company: str | None = None, store: str | None = None, item: str | None = None, as_of=None
) -> list[stock_alerts.LocationStock]:
	"""Bins and stores as the core judges them, for the stores asked for (all if none)."""
	as_of = getdate(as_of or nowdate())
	year_ago = add_days(as_of, -365)
	out: list[stock_alerts.LocationStock] = []
	for st in stores(company, store):
		bins = frappe.db.sql(
			"select name from `tabWarehouse` where lft > %s and rgt < %s and is_group = 0", (st.lft, st.rgt)
		)
		bin_names = [b[0] for b in bins]
		if not bin_names:
			continue
		cond, args = "", {"bins": bin_names, "since": year_ago, "as_of": as_of}
		if item:
			cond, args["item"] = " and item_code = %(item)s", item
		stock = {
			(r.warehouse, r.item_code): flt(r.actual_qty)
			for r in frappe.db.sql(
				f"""select warehouse, item_code, actual_qty from `tabBin`
				where warehouse in %(bins)s and actual_qty != 0{cond}""",
				args,
				as_dict=True,
			)
		}
		issues = {
			(r.warehouse, r.item_code): r
			for r in frappe.db.sql(
				f"""select warehouse, item_code,
					sum(case when posting_date >= %(since)s then -actual_qty else 0 end) as issued,
					max(posting_date) as last_issue
				from `tabStock Ledger Entry`
				where warehouse in %(bins)s and actual_qty < 0 and is_cancelled = 0
					and voucher_type != 'Stock Reconciliation' and posting_date <= %(as_of)s{cond}
				group by warehouse, item_code""",
				args,
				as_dict=True,
			)
		}
		reorder = defaultdict(dict)  # warehouse → item → (level, qty)
		for r in frappe.db.sql(
			f"""select parent as item_code, warehouse, warehouse_reorder_level, warehouse_reorder_qty
			from `tabItem Reorder` where parenttype = 'Item' and warehouse in %(places)s{cond.replace("item_code", "parent")}""",
			{**args, "places": [*bin_names, st.name]},
			as_dict=True,
		):
			reorder[r.warehouse][r.item_code] = (flt(r.warehouse_reorder_level), flt(r.warehouse_reorder_qty))
		keys = set(stock) | set(issues) | {(w, i) for w in bin_names for i in reorder.get(w, {})}
		bin_rows = []
		for wh, it in sorted(keys):
			iss = issues.get((wh, it))
			level, qty = reorder.get(wh, {}).get(it, (0.0, 0.0))
			bin_rows.append(
				stock_alerts.LocationStock(
					it,
					wh,
					"bin",
					max(stock.get((wh, it), 0.0), 0.0),
					flt(iss.issued) if iss else 0.0,
					getdate(iss.last_issue) if iss and iss.last_issue else None,
					level,
					qty,
				)
			)
		items = {r.item for r in bin_rows} | set(reorder.get(st.name, {}))
		item_safety = dict(
			frappe.get_all(
				"Item",
				filters={"name": ("in", list(items) or [""])},
				fields=["name", "safety_stock"],
				as_list=True,
			)
		)
		safety = {}
		for it in items:
			level, qty = reorder.get(st.name, {}).get(it, (flt(item_safety.get(it)), 0.0))
			if level or qty:
				safety[(st.name, it)] = (level, qty)
		out += bin_rows
		out += stock_alerts.store_levels(bin_rows, {b: st.name for b in bin_names}, safety)
	return out


def alerts(
	company=None,
	store=None,
	item=None,
	as_of=None,
	cover_days: int = 30,
	slow_days: int = 90,
	overstock_days: int = 180,
) -> list[stock_alerts.LocationAlert]:
	try:
		return stock_alerts.location_alerts(
			read(company, store, item, as_of),
			getdate(as_of or nowdate()),
			cint(cover_days),
			cint(slow_days),
			cint(overstock_days),
		)
	except WmsInputError as e:
		frappe.throw(_("Cannot work out the alerts: {0}").format(str(e)))


def make_material_request(lines: list[dict], cover_days: int = 30) -> list[str]:
	"""Draft Material Requests for the chosen (item, warehouse) alerts, with the quantity the rules
	suggest now (what the browser sent is only which lines, never how much): one request per type
	(the Item Reorder row's type for that warehouse, Purchase otherwise) and company."""
	if isinstance(lines, str):
		lines = frappe.parse_json(lines)
	wanted = {(str(ln.get("item") or ""), str(ln.get("warehouse") or "")) for ln in lines or []}
	wanted.discard(("", ""))
	if not wanted:
		frappe.throw(_("Choose the alerts to replenish."))
	suggestions = []
	for item, warehouse in sorted(wanted):
		if not frappe.db.exists("Warehouse", warehouse) or not frappe.db.exists("Item", item):
			frappe.throw(_("{0} in {1} is not an item in a warehouse.").format(item, warehouse))
		frappe.has_permission("Warehouse", "read", warehouse, throw=True)
		store = _store_of(warehouse)
		found = [
			a
			for a in alerts(store=store, item=item, cover_days=cover_days)
			if a.location == warehouse and a.kind == stock_alerts.BELOW_SAFETY
		]
		suggestions += stock_alerts.replenishment(found)
	if not suggestions:
		frappe.throw(_("Nothing to replenish: none of these is below its safety stock now."))
	groups = defaultdict(list)
	for s in suggestions:
		mr_type = frappe.db.get_value(
			"Item Reorder", {"parent": s.item, "warehouse": s.warehouse}, "material_request_type"
		)
		mr_type = {"Transfer": "Material Transfer"}.get(mr_type, mr_type or "Purchase")
		company = frappe.db.get_value("Warehouse", s.warehouse, "company")
		groups[(mr_type, company)].append(s)
	made = []
	for (mr_type, company), rows in groups.items():
		mr = frappe.get_doc(
			{
				"doctype": "Material Request",
				"material_request_type": mr_type,
				"company": company,
				"transaction_date": nowdate(),
				"schedule_date": add_days(nowdate(), 1),
				"items": [
					{
						"item_code": s.item,
						"qty": s.qty,
						"warehouse": s.warehouse,
						"schedule_date": add_days(nowdate(), 1),
					}
					for s in rows
				],
			}
		)
		mr.insert()
		made.append(mr.name)
	return made


def _store_of(warehouse: str) -> str:
	w = warehouse
	while w:
		if frappe.db.exists("Warehouse Layout", w):
			return w
		w = frappe.db.get_value("Warehouse", w, "parent_warehouse")
	frappe.throw(_("{0} is not in a store with a Warehouse Layout.").format(warehouse))


def notify_daily() -> int:
	"""Scheduler (daily): one Notification Log per store with alerts for each Stock Manager, naming
	how many items are below safety stock, slow-moving and overstocked, linking the report."""
	managers = [
		u
		for u in frappe.get_all(
			"Has Role", filters={"role": MANAGER_ROLE, "parenttype": "User"}, pluck="parent", distinct=True
		)
		if u not in ("Administrator", "Guest")
		and frappe.db.get_value("User", u, ["enabled", "user_type"]) == (1, "System User")
	]
	if not managers:
		return 0
	sent = 0
	for st in stores():
		found = alerts(store=st.name)
		counts = {k: len({(a.item, a.location) for a in found if a.kind == k}) for k in stock_alerts.KINDS}
		if not any(counts.values()):
			continue
		subject = _("Stock alerts for {0}: {1} below safety stock, {2} slow-moving, {3} overstock").format(
			st.name,
			counts[stock_alerts.BELOW_SAFETY],
			counts[stock_alerts.SLOW_MOVING],
			counts[stock_alerts.OVERSTOCK],
		)
		for user in managers:
			frappe.get_doc(
				{
					"doctype": "Notification Log",
					"subject": frappe.utils.escape_html(subject),
					"for_user": user,
					"type": "Alert",
					"document_type": "Report",
					"document_name": REPORT,
					"link": f"/app/query-report/{REPORT}?store={quote(st.name)}",
				}
			).insert(ignore_permissions=True)
			sent += 1
	return sent
