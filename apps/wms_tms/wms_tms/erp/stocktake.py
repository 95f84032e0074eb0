"""Stock Take ↔ the core's count plan; the phone count; approval into ERPNext's Stock Reconciliation.

Book quantities and rates are ERPNext's Bin (actual_qty, valuation_rate) per bin Warehouse; the
plan's ABC classes come from `inventory.abc` over the last year's stock ledger. Only this module
writes Stock Take lines and the Stock Reconciliation made from them.
"""

import frappe
from frappe import _
from frappe.utils import add_days, cint, flt, nowdate

from wms_tms.core import inventory, stocktake
from wms_tms.core.errors import WmsInputError
from wms_tms.erp.floor import check_floor_user, resolve_bin, resolve_item
from wms_tms.erp.layout import layout_of, pick_route


def _core_error(e: WmsInputError):
	frappe.flags.disable_traceback = True
	frappe.throw(_(e.reason[:1].upper() + e.reason[1:]) + f": {e.record}", title=_("Refused"))


def _leaf_bins(store: str) -> list[frappe._dict]:
	lft, rgt = frappe.db.get_value("Warehouse", store, ["lft", "rgt"])
	return frappe.get_all(
		"Warehouse",
		filters={"lft": (">", lft), "rgt": ("<", rgt), "is_group": 0},
		fields=["name", "warehouse_name", "th_wms_aisle as aisle"],
	)


def book_rows(store: str) -> list[stocktake.BookRow]:
	bins = {b.name: b for b in _leaf_bins(store)}
	rows = frappe.get_all(
		"Bin",
		filters={"warehouse": ("in", list(bins) or [""]), "actual_qty": ("!=", 0)},
		fields=["warehouse", "item_code", "actual_qty", "valuation_rate"],
	)
	return [
		stocktake.BookRow(
			r.warehouse, r.item_code, flt(r.actual_qty), flt(r.valuation_rate), cint(bins[r.warehouse].aisle)
		)
		for r in rows
	]


def abc_classes(store: str, book: list[stocktake.BookRow]) -> dict[str, str]:
	"""ABC by a year's issue value and movements in the store's bins (inventory.abc)."""
	items = sorted({r.item for r in book})
	if not items:
		return {}
	bins = [b.name for b in _leaf_bins(store)]
	moved = frappe.get_all(
		"Stock Ledger Entry",
		filters={
			"item_code": ("in", items),
			"warehouse": ("in", bins),
			"actual_qty": ("<", 0),
			"is_cancelled": 0,
			"posting_date": (">=", add_days(nowdate(), -365)),
		},
		fields=["item_code", "sum(-actual_qty) as qty", "count(name) as moves"],
		group_by="item_code",
	)
	by_item = {m.item_code: m for m in moved}
	rate = {}
	for r in book:
		rate[r.item] = max(rate.get(r.item, 0.0), r.rate)
	stats = [
		inventory.ItemStats(
			item=i,
			unit_value=rate.get(i, 0.0),
			issued_per_year=flt(by_item[i].qty) if i in by_item else 0.0,
			issues_per_year=flt(by_item[i].moves) if i in by_item else 0.0,
		)
		for i in items
	]
	return inventory.abc(stats)


def check_scope(doc) -> None:
	if flt(doc.recount_value) < 0 or flt(doc.recount_pct) < 0:
		frappe.throw(_("Recount thresholds cannot be negative."))
	if doc.warehouse and not cint(frappe.db.get_value("Warehouse", doc.warehouse, "is_group")):
		frappe.throw(_("Choose the store (a group Warehouse), not a bin."))


def _split(text: str | None) -> list[str]:
	return [x.strip() for x in (text or "").replace(",", "\n").splitlines() if x.strip()]


def to_lines(doc) -> list[stocktake.CountLine]:
	return [
		stocktake.CountLine(
			ln.bin,
			ln.item_code,
			flt(ln.book_qty),
			flt(ln.valuation_rate),
			flt(ln.counted_qty),
			bool(ln.counted),
			bool(ln.recount),
			flt(ln.first_count),
		)
		for ln in doc.lines
	]


def from_lines(doc, lines: list[stocktake.CountLine]) -> None:
	doc.set("lines", [])
	for ln in lines:
		doc.append(
			"lines",
			{
				"bin": ln.bin,
				"item_code": ln.item,
				"book_qty": ln.book,
				"valuation_rate": ln.rate,
				"counted_qty": ln.counted,
				"counted": int(ln.done),
				"recount": int(ln.recount),
				"first_count": ln.first_count,
				"difference": ln.difference if ln.done else 0,
				"difference_value": ln.value if ln.done else 0,
			},
		)
	doc.total_difference_value = sum(ln.value for ln in lines if ln.done)


def make_plan(name: str):
	"""The lines to count, from the books and the plan's basis; the take is then open for counting."""
	doc = frappe.get_doc("Stock Take", name)
	if doc.status != "Draft":
		frappe.throw(_("Stock Take {0} is already planned.").format(doc.name))
	book = book_rows(doc.warehouse)
	bins = [resolve_bin(b, doc.warehouse) or b for b in _split(doc.bins)]
	try:
		lines = stocktake.scope(
			book,
			doc.basis,
			bins=bins,
			items=_split(doc.items),
			zone=cint(doc.zone),
			classes=abc_classes(doc.warehouse, book) if doc.basis == "ABC" else None,
			abc_class=doc.abc_class,
		)
	except WmsInputError as e:
		_core_error(e)
	if doc.basis == "Bin":  # a bin the books say is empty is still counted: mark it to be opened
		listed = {ln.bin for ln in lines}
		unknown = [b for b in bins if not frappe.db.exists("Warehouse", b)]
		if unknown:
			frappe.throw(_("Unknown bins: {0}").format(", ".join(unknown)))
		if not lines:
			frappe.throw(
				_("The books hold nothing in {0}.").format(", ".join(b for b in bins if b not in listed))
			)
	from_lines(doc, lines)
	doc.status = "Counting"
	doc.save()
	return doc


# ---------------------------------------------------------------- the counter's phone


def my_takes() -> list[dict]:
	user = check_floor_user()
	return frappe.get_all(
		"Stock Take",
		filters={"counter": user, "status": "Counting"},
		fields=["name", "warehouse", "basis", "blind"],
		order_by="creation",
	)


def _mine(name: str, lock: bool = False) -> frappe._dict:
	user = check_floor_user()
	row = (
		frappe.db.get_value(
			"Stock Take",
			name,
			["name", "counter", "status", "warehouse", "blind"],
			as_dict=True,
			for_update=lock,
		)
		if isinstance(name, str) and name
		else None
	)
	if not row or row.counter != user:
		frappe.flags.disable_traceback = True
		frappe.throw(_("This stock take is not yours."), frappe.PermissionError)
	if row.status != "Counting":
		frappe.throw(_("Stock Take {0} is not open for counting.").format(row.name))
	return row


def count_data(name: str) -> dict:
	"""Bins in walking order with their lines; book quantities only when the count is not blind."""
	t = _mine(name)
	doc = frappe.get_doc("Stock Take", t.name)
	labels = {b.name: b.warehouse_name for b in _leaf_bins(t.warehouse)}
	bins = list(dict.fromkeys(ln.bin for ln in doc.lines))
	try:
		order = pick_route(layout_of(t.warehouse), bins).bins
	except Exception:  # a store without a layout is counted by bin name
		order = []
	rank = {b: i for i, b in enumerate(order)}
	bins.sort(key=lambda b: (rank.get(b, len(rank)), b))
	out = []
	for b in bins:
		lines = [ln for ln in doc.lines if ln.bin == b]
		out.append(
			{
				"bin": b,
				"label": labels.get(b, b),
				"open": any(not ln.counted for ln in lines),
				"lines": [
					{
						"item_code": ln.item_code,
						"counted": flt(ln.counted_qty) if ln.counted else None,
						"recount": bool(ln.recount),
						**({} if t.blind else {"book": flt(ln.book_qty)}),
					}
					for ln in lines
				],
			}
		)
	return {"take": t.name, "blind": bool(t.blind), "bins": out}


def scan(name: str, bin_code: str, code: str, qty: float = 1, set_to: bool = False) -> dict:
	"""A bin scanned opens it; an item scanned (in the opened bin) adds qty, or sets it."""
	t = _mine(name, lock=True)
	doc = frappe.get_doc("Stock Take", t.name)
	lines = to_lines(doc)
	item = resolve_item(code)
	scanned_bin = None if item else resolve_bin(code, t.warehouse)
	try:
		if scanned_bin:
			lines = stocktake.open_bin(lines, scanned_bin)
			answer = {"at_bin": scanned_bin}
		else:
			bin_name = resolve_bin(bin_code, t.warehouse) if bin_code else None
			if not bin_name:
				frappe.throw(_("Scan a bin first."))
			if not item:
				frappe.throw(_("Unknown barcode: {0}").format(frappe.utils.escape_html(code or "")))
			book, rate = frappe.db.get_value(
				"Bin", {"warehouse": bin_name, "item_code": item}, ["actual_qty", "valuation_rate"]
			) or (0, 0)
			if not flt(rate):
				rate = frappe.db.get_value("Item", item, "valuation_rate")
			lines = stocktake.add_count(
				lines, bin_name, item, flt(qty), flt(book), flt(rate), set_to=bool(cint(set_to))
			)
			line = next(ln for ln in lines if ln.bin == bin_name and ln.item == item)
			answer = {"bin": bin_name, "item_code": item, "counted": line.counted}
	except WmsInputError as e:
		_core_error(e)
	from_lines(doc, lines)
	doc.flags.ignore_permissions = True
	doc.save()
	return answer


def finish(name: str) -> dict:
	"""Close the counting round: recounts asked above the threshold, else the take goes to review."""
	t = _mine(name, lock=True)
	doc = frappe.get_doc("Stock Take", t.name)
	try:
		result = stocktake.close_round(to_lines(doc), flt(doc.recount_value), flt(doc.recount_pct))
	except WmsInputError as e:
		_core_error(e)
	from_lines(doc, result.lines)
	if result.final:
		doc.status = "Review"
	doc.flags.ignore_permissions = True
	doc.save()
	return {
		"status": doc.status,
		"recounts": [{"bin": ln.bin, "item_code": ln.item} for ln in result.recounts],
	}


# ---------------------------------------------------------------- approval in the desk


def approve(name: str) -> str | None:
	"""An ERPNext Stock Reconciliation (submitted) setting each line with a difference to its count."""
	doc = frappe.get_doc("Stock Take", name)
	if doc.status != "Review":
		frappe.throw(_("Stock Take {0} is not ready for approval.").format(doc.name))
	changed = [ln for ln in doc.lines if ln.counted and abs(flt(ln.difference)) > 1e-9]
	sr_name = None
	if changed:
		sr = frappe.get_doc(
			{
				"doctype": "Stock Reconciliation",
				"company": doc.company,
				"purpose": "Stock Reconciliation",
				"items": [
					{
						"item_code": ln.item_code,
						"warehouse": ln.bin,
						"qty": flt(ln.counted_qty),
						"valuation_rate": flt(ln.valuation_rate)
						or flt(frappe.db.get_value("Item", ln.item_code, "valuation_rate")),
					}
					for ln in changed
				],
			}
		)
		sr.insert()
		sr.submit()
		sr_name = sr.name
	doc.stock_reconciliation = sr_name
	doc.status = "Reconciled"
	doc.save()
	return sr_name
