"""The picker's phone: a wave's Pick List line by line, scans checked, short picks, packing.

Who: a login with the WMS Picker, Stock User or Stock Manager role, and only on a wave whose
`picker` is that login. Every write takes the Pick List's row lock first, so two phones on the
same wave cannot both add to a line past its quantity. Quantities are ERPNext's own: `picked_qty`
on the Pick List rows; on finishing, the Pick List is submitted and ERPNext's own Pick List →
Delivery Note mapping makes the notes from the picked quantities (drafts, for the packing scan,
which submits each one once the parcel matches it). What was not picked stays open on the Sales
Order.
"""

from contextlib import contextmanager

import frappe
from erpnext.stock.doctype.pick_list.pick_list import create_delivery_note
from frappe import _
from frappe.utils import cint, flt

from wms_tms.core import scanning

FLOOR_ROLES = ("WMS Picker", "Stock User", "Stock Manager")


def check_floor_user() -> str:
	user = frappe.session.user
	if user == "Guest":
		frappe.throw(_("Please log in."), frappe.PermissionError)
	if not set(FLOOR_ROLES) & set(frappe.get_roles(user)):
		frappe.throw(_("Your login is not a picker's."), frappe.PermissionError)
	return user


def _not_yours():
	frappe.flags.disable_traceback = True
	frappe.throw(_("This wave is not yours."), frappe.PermissionError)


def my_wave(wave: str, lock: bool = False) -> frappe._dict:
	"""The wave, if the caller picks it; the same refusal whether it exists or not."""
	user = check_floor_user()
	if not isinstance(wave, str) or not wave:
		_not_yours()
	row = frappe.db.get_value(
		"Pick Wave",
		wave,
		["name", "picker", "pick_list", "status", "warehouse", "company"],
		as_dict=True,
		for_update=lock,
	)
	if not row or row.picker != user or not row.pick_list:
		_not_yours()
	return row


def my_waves() -> list[dict]:
	user = check_floor_user()
	return frappe.get_all(
		"Pick Wave",
		filters={"picker": user, "status": ("in", ["Picking", "Picked"]), "pick_list": ("is", "set")},
		fields=["name", "status", "pick_list", "warehouse", "path_length"],
		order_by="creation",
	)


def _shorts(wave: str) -> dict[str, str]:
	return dict(
		frappe.get_all(
			"Pick Wave Short",
			filters={"parent": wave, "parenttype": "Pick Wave"},
			fields=["pick_list_item", "reason"],
			as_list=True,
		)
	)


def _rows(pick_list: str) -> list[frappe._dict]:
	return frappe.get_all(
		"Pick List Item",
		filters={"parent": pick_list, "parenttype": "Pick List"},
		fields=[
			"name",
			"idx",
			"warehouse",
			"item_code",
			"item_name",
			"stock_qty",
			"picked_qty",
			"sales_order",
		],
		order_by="idx",
	)


def lines(wave: str) -> dict:
	"""What the page shows: the Pick List rows in walking order, with bin label, picture, barcodes."""
	w = my_wave(wave)
	shorts = _shorts(w.name)
	rows = _rows(w.pick_list)
	items = {r.item_code for r in rows}
	images = dict(
		frappe.get_all(
			"Item", filters={"name": ("in", list(items) or [""])}, fields=["name", "image"], as_list=True
		)
	)
	codes: dict[str, list[str]] = {}
	for barcode, item in frappe.get_all(
		"Item Barcode",
		filters={"parent": ("in", list(items) or [""]), "parenttype": "Item"},
		fields=["barcode", "parent"],
		as_list=True,
	):
		codes.setdefault(item, []).append(barcode)
	labels = dict(
		frappe.get_all(
			"Warehouse",
			filters={"name": ("in", list({r.warehouse for r in rows}) or [""])},
			fields=["name", "warehouse_name"],
			as_list=True,
		)
	)
	out = []
	for r in rows:
		out.append(
			{
				"row": r.name,
				"idx": r.idx,
				"bin": r.warehouse,
				"bin_label": labels.get(r.warehouse) or r.warehouse,
				"item_code": r.item_code,
				"item_name": r.item_name,
				"image": images.get(r.item_code) or "",
				"barcodes": [r.item_code, *codes.get(r.item_code, [])],
				"qty": flt(r.stock_qty),
				"picked_qty": flt(r.picked_qty),
				"short_reason": shorts.get(r.name, ""),
			}
		)
	docstatus = frappe.db.get_value("Pick List", w.pick_list, "docstatus")
	return {
		"wave": w.name,
		"status": w.status,
		"pick_list": w.pick_list,
		"finished": cint(docstatus) == 1,
		"lines": out,
		"parcels": parcels(w) if cint(docstatus) == 1 else [],
		"reasons": list(scanning.SHORT_REASONS),
	}


def resolve_bin(code: str, store: str) -> str | None:
	"""A bin under the store by its full name or its short name (what its label's barcode says)."""
	code = (code or "").strip()
	if not code:
		return None
	lft, rgt = frappe.db.get_value("Warehouse", store, ["lft", "rgt"])
	for field in ("name", "warehouse_name"):
		name = frappe.db.get_value(
			"Warehouse", {field: code, "lft": (">", lft), "rgt": ("<", rgt), "is_group": 0}, "name"
		)
		if name:
			return name
	return None


def resolve_item(code: str) -> str | None:
	code = (code or "").strip()
	if not code:
		return None
	return frappe.db.get_value("Item Barcode", {"barcode": code, "parenttype": "Item"}, "parent") or (
		code if frappe.db.exists("Item", code) else None
	)


def _refuse(refusal: scanning.Refusal):
	frappe.flags.disable_traceback = True
	frappe.throw(_(refusal.message).format(*refusal.args), title=_("Refused"))


def _line(wave: frappe._dict, row: str) -> tuple[frappe._dict, scanning.PickLine]:
	"""The Pick List row on this wave's list (locked with it), still open for picking."""
	frappe.db.sql("select name from `tabPick List` where name = %s for update", wave.pick_list)
	if cint(frappe.db.get_value("Pick List", wave.pick_list, "docstatus")) != 0:
		frappe.throw(_("This wave is already finished."))
	r = next((r for r in _rows(wave.pick_list) if r.name == row), None)
	if r is None:
		_not_yours()
	line = scanning.PickLine(
		r.name,
		r.warehouse,
		r.item_code,
		flt(r.stock_qty),
		flt(r.picked_qty),
		_shorts(wave.name).get(r.name, ""),
	)
	return r, line


def record_pick(wave: str, row: str, bin_code: str, code: str, qty: float = 1) -> dict:
	w = my_wave(wave, lock=True)
	_r, line = _line(w, row)
	item = resolve_item(code)
	scanned_bin = None if item else resolve_bin(code, w.warehouse)
	if scanned_bin:  # the picker reached a bin: the line's, or refused
		refusal = scanning.check_bin(line, scanned_bin)
		if refusal:
			_refuse(refusal)
		return {"row": row, "at_bin": scanned_bin, "picked_qty": line.picked, "done": False}
	bin_name = resolve_bin(bin_code, w.warehouse) if bin_code else None
	refusal = scanning.check_pick(line, bin_name or "", item, flt(qty))
	if refusal:
		_refuse(refusal)
	picked = line.picked + flt(qty)
	frappe.db.set_value("Pick List Item", row, "picked_qty", picked)
	return {"row": row, "picked_qty": picked, "done": picked >= line.qty - 1e-9}


def record_short(wave: str, row: str, reason: str) -> dict:
	w = my_wave(wave, lock=True)
	r, line = _line(w, row)
	refusal = scanning.check_short(line, reason)
	if refusal:
		_refuse(refusal)
	_add_short(w.name, r, line.qty, line.picked, reason)
	return {"row": row, "short_reason": reason, "picked_qty": line.picked}


def _add_short(wave: str, r, qty: float, picked: float, reason: str) -> None:
	"""A row of the wave's Short Picks: the Pick List line, what it asked, what was picked, why."""
	doc = frappe.get_doc("Pick Wave", wave)
	doc.append(
		"shorts",
		{
			"pick_list_item": r.name,
			"sales_order": r.sales_order,
			"item_code": r.item_code,
			"warehouse": r.warehouse,
			"qty": qty,
			"picked_qty": picked,
			"reason": reason,
			"recorded_by": frappe.session.user,
		},
	)
	doc.flags.ignore_permissions = True
	doc.save()


def record_short_in_desk(wave: str, row: str, picked_qty: float, reason: str) -> dict:
	"""The lead records a short pick from the desk (Pick Wave write permission checked by the caller):
	the row's picked quantity (below what it asks) and why."""
	w = (
		frappe.db.get_value(
			"Pick Wave", wave, ["name", "pick_list", "warehouse"], as_dict=True, for_update=True
		)
		if isinstance(wave, str) and wave
		else None
	)
	if not w or not w.pick_list:
		frappe.throw(_("The wave has no Pick List yet."))
	r, line = _line(w, row)
	picked = flt(picked_qty)
	if picked < 0 or picked >= line.qty:
		frappe.throw(_("A short pick is between 0 and less than {0}.").format(f"{line.qty:g}"))
	line = scanning.PickLine(line.row, line.bin, line.item, line.qty, picked, line.short_reason)
	refusal = scanning.check_short(line, reason)
	if refusal:
		_refuse(refusal)
	frappe.db.set_value("Pick List Item", row, "picked_qty", picked)
	_add_short(w.name, r, line.qty, picked, reason)
	return {"row": row, "picked_qty": picked, "short_reason": reason}


def desk_picked(wave: str, pick_list: str) -> dict[str, float]:
	"""What "Picked: make Delivery Notes" confirms: each row in full, or what its short pick recorded."""
	shorts = _shorts(wave)
	return {r.name: flt(r.picked_qty) if r.name in shorts else flt(r.stock_qty) for r in _rows(pick_list)}


@contextmanager
def _acting_for_picker():
	"""ERPNext's Delivery Note mapping checks the session user's rights with no ignore_permissions
	path; the picker has none. After our own checks, the mapping runs as Administrator (session
	data, form_dict and caches kept; the user restored however the block ends)."""
	session = frappe.local.session
	user = session.user
	session.user = "Administrator"
	try:
		yield user
	finally:
		session.user = user


def finish(wave: str) -> list[str]:
	"""Every line picked or short: the Pick List is submitted with what was picked (rows picked
	nothing dropped), and ERPNext makes the Delivery Notes from it, as drafts for packing."""
	w = my_wave(wave, lock=True)
	frappe.db.sql("select name from `tabPick List` where name = %s for update", w.pick_list)
	pl = frappe.get_doc("Pick List", w.pick_list)
	if pl.docstatus != 0:
		frappe.throw(_("This wave is already finished."))
	shorts = _shorts(w.name)
	lines_ = [
		scanning.PickLine(
			loc.name,
			loc.warehouse,
			loc.item_code,
			flt(loc.stock_qty),
			flt(loc.picked_qty),
			shorts.get(loc.name, ""),
		)
		for loc in pl.locations
	]
	if not scanning.wave_done(lines_):
		open_items = ", ".join(ln.item for ln in lines_ if ln.open)
		frappe.throw(_("Lines still open: {0}. Pick them or record them short.").format(open_items))
	keep = [loc for loc in pl.locations if flt(loc.picked_qty) > 0]
	if not keep:
		frappe.throw(_("Nothing was picked on this wave."))
	pl.set("locations", keep)
	for i, loc in enumerate(pl.locations, start=1):
		loc.idx = i
	pl.flags.ignore_permissions = True
	with _acting_for_picker():
		pl.save()
		pl.submit()
		create_delivery_note(pl.name)
	frappe.db.set_value("Pick Wave", w.name, "status", "Picked")
	return frappe.get_all("Delivery Note", filters={"pick_list": pl.name, "docstatus": 0}, pluck="name")


def parcels(w: frappe._dict) -> list[dict]:
	"""The wave's Delivery Notes with their items to pack (drafts) or packed (submitted)."""
	out = []
	for dn in frappe.get_all(
		"Delivery Note",
		filters={"pick_list": w.pick_list, "docstatus": ("<", 2)},
		fields=["name", "customer_name", "docstatus"],
		order_by="name",
	):
		items: dict[str, float] = {}
		for it in frappe.get_all(
			"Delivery Note Item", filters={"parent": dn.name}, fields=["item_code", "stock_qty"]
		):
			items[it.item_code] = items.get(it.item_code, 0) + flt(it.stock_qty)
		out.append(
			{
				"delivery_note": dn.name,
				"customer_name": dn.customer_name,
				"packed": dn.docstatus == 1,
				"items": [{"item_code": k, "qty": v} for k, v in items.items()],
			}
		)
	return out


def pack(delivery_note: str, scanned: dict) -> dict:
	"""The parcel's scanned items (code → count) match the draft Delivery Note of the caller's wave:
	then it is submitted. A missing or extra item refuses it, naming each."""
	check_floor_user()
	if not isinstance(delivery_note, str) or not delivery_note:
		_not_yours()
	dn = frappe.db.get_value(
		"Delivery Note",
		delivery_note,
		["name", "pick_list", "docstatus"],
		as_dict=True,
		for_update=True,
	)
	wave = frappe.db.get_value("Pick Wave", {"pick_list": dn.pick_list}) if dn and dn.pick_list else None
	if not wave:
		_not_yours()
	my_wave(wave)
	if dn.docstatus != 0:
		frappe.throw(_("Delivery Note {0} is already packed.").format(dn.name))
	counted: dict[str, float] = {}
	for code, n in (scanned or {}).items():
		item = resolve_item(code) or str(code)
		counted[item] = counted.get(item, 0) + flt(n)
	doc = frappe.get_doc("Delivery Note", dn.name)
	expected: dict[str, float] = {}
	for it in doc.items:
		expected[it.item_code] = expected.get(it.item_code, 0) + flt(it.stock_qty)
	problems = scanning.check_parcel(expected, counted)
	if problems:
		frappe.flags.disable_traceback = True
		frappe.throw(
			"; ".join(
				(
					_("Missing {0}: {1} of {2} scanned.")
					if p.kind == "missing"
					else _("Extra {0}: {1} scanned, {2} on the note.")
				).format(frappe.utils.escape_html(p.item), f"{p.scanned:g}", f"{p.expected:g}")
				for p in problems
			),
			title=_("Parcel does not match"),
		)
	doc.flags.ignore_permissions = True
	with _acting_for_picker():
		doc.submit()
	return {"delivery_note": doc.name, "packed": True}
