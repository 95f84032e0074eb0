"""Stock alerts per bin and per store: below safety stock (with the quantity to order), slow-moving,
overstock. The report's button turns the chosen suggestions into a draft Material Request."""

import frappe
from frappe import _
from frappe.utils import cint

from wms_tms.erp import stock_alerts


def execute(filters=None):
	f = frappe._dict(filters or {})
	if f.store:
		frappe.has_permission("Warehouse", "read", f.store, throw=True)
	found = stock_alerts.alerts(
		company=f.company,
		store=f.store,
		item=f.item,
		cover_days=cint(f.cover_days or 30),
		slow_days=cint(f.slow_days or 90),
		overstock_days=cint(f.overstock_days or 180),
	)
	if f.level in ("bin", "warehouse"):
		found = [a for a in found if a.level == f.level]
	if f.kind:
		found = [a for a in found if a.kind == f.kind]
	names = dict(
		frappe.get_all(
			"Item",
			filters={"name": ("in", list({a.item for a in found}) or [""])},
			fields=["name", "item_name"],
			as_list=True,
		)
	)
	data = [
		{
			"level": _("Bin") if a.level == "bin" else _("Warehouse"),
			"level_key": a.level,
			"location": a.location,
			"item": a.item,
			"item_name": names.get(a.item),
			"alert": stock_alerts.kind_label(a.kind),
			"kind": a.kind,
			"on_hand": a.on_hand,
			"safety_stock": a.safety_stock,
			"days_of_cover": round(a.days_of_cover) if a.days_of_cover is not None else None,
			"days_since_issue": a.days_since_issue,
			"suggested_qty": a.suggested_qty or None,
		}
		for a in found
	]
	summary = [
		{
			"value": sum(1 for a in found if a.kind == k),
			"label": stock_alerts.kind_label(k),
			"datatype": "Int",
			"indicator": "Red" if k == "below_safety" else "Orange",
		}
		for k in ("below_safety", "slow_moving", "overstock")
	]
	return columns(), data, None, None, summary


def columns():
	return [
		{"fieldname": "level", "label": _("Level"), "fieldtype": "Data", "width": 90},
		{
			"fieldname": "location",
			"label": _("Bin / Warehouse"),
			"fieldtype": "Link",
			"options": "Warehouse",
			"width": 180,
		},
		{"fieldname": "item", "label": _("Item"), "fieldtype": "Link", "options": "Item", "width": 150},
		{"fieldname": "item_name", "label": _("Item Name"), "fieldtype": "Data", "width": 180},
		{"fieldname": "alert", "label": _("Alert"), "fieldtype": "Data", "width": 140},
		{"fieldname": "on_hand", "label": _("On Hand"), "fieldtype": "Float", "width": 90},
		{"fieldname": "safety_stock", "label": _("Safety Stock"), "fieldtype": "Float", "width": 100},
		{"fieldname": "days_of_cover", "label": _("Days of Cover"), "fieldtype": "Int", "width": 110},
		{
			"fieldname": "days_since_issue",
			"label": _("Days Since Last Issue"),
			"fieldtype": "Int",
			"width": 130,
		},
		{"fieldname": "suggested_qty", "label": _("Suggested Order"), "fieldtype": "Float", "width": 120},
	]
