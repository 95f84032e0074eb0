"""Builders for ERPNext documents in bench tests, on top of the demo master data (fixtures/demo).

Each builder makes a real document through ERPNext and returns it; names are unique per call
so tests never collide with each other or with the demo data.
"""

import json
from pathlib import Path

import frappe
from frappe.utils import flt, random_string

DEMO = json.loads((Path(__file__).resolve().parents[2] / "fixtures" / "demo" / "demo.json").read_text())


def company() -> str:
	return DEMO["company"]["company_name"]


def abbr() -> str:
	return frappe.get_cached_value("Company", company(), "abbr")


def store() -> str:
	return f"{DEMO['store']['warehouse_name']} - {abbr()}"


def bin_warehouse(bin_name: str) -> str:
	return f"{bin_name} - {abbr()}"


def demo_customer(group: str) -> str:
	"""The demo customer of a customer group ("Gold Dealers", "Silver Dealers", "Marketplace Buyers")."""
	return next(c["customer_name"] for c in DEMO["customers"] if c["customer_group"] == group)


def demo_user(group: str) -> str:
	return next(c["user"]["email"] for c in DEMO["customers"] if c["customer_group"] == group)


def customer(
	group: str = "Gold Dealers", credit_limit: float = 0, with_address: bool = True, lat=23.13, lng=113.32
):
	"""A fresh Customer in a tier, with a shipping address at (lat, lng) and optional credit limit."""
	name = f"Test Buyer {random_string(6)}"
	cust = frappe.get_doc(
		{"doctype": "Customer", "customer_name": name, "customer_group": group, "customer_type": "Company"}
	)
	if credit_limit:
		cust.append("credit_limits", {"company": company(), "credit_limit": credit_limit})
	cust.insert(ignore_permissions=True)
	if with_address:
		frappe.get_doc(
			{
				"doctype": "Address",
				"address_title": name,
				"address_type": "Shipping",
				"address_line1": "1 Test Road",
				"city": "Guangzhou",
				"country": DEMO["company"]["country"],
				"is_primary_address": 1,
				"is_shipping_address": 1,
				"th_wms_lat": lat,
				"th_wms_lng": lng,
				"links": [{"link_doctype": "Customer", "link_name": cust.name}],
			}
		).insert(ignore_permissions=True)
	return cust


def portal_user_for(customer_name: str) -> str:
	"""A Website User listed in the customer's Portal Users (ERPNext gives it the Customer role)."""
	email = f"buyer-{random_string(8).lower()}@test.local"
	frappe.get_doc(
		{
			"doctype": "User",
			"email": email,
			"first_name": "Buyer",
			"user_type": "Website User",
			"send_welcome_email": 0,
		}
	).insert(ignore_permissions=True)
	cust = frappe.get_doc("Customer", customer_name)
	cust.append("portal_users", {"user": email})
	cust.save(ignore_permissions=True)
	return email


def item_with_stock(qty: float, bin_name: str = "A1-03-L", price: float = 10.0, moq: float = 0):
	"""A fresh stock Item received into one bin, priced in every tier price list."""
	code = f"TST-{random_string(8).upper()}"
	frappe.get_doc(
		{
			"doctype": "Item",
			"item_code": code,
			"item_name": code,
			"item_group": "All Item Groups",
			"stock_uom": "Nos",
			"is_stock_item": 1,
			"is_sales_item": 1,
			"valuation_rate": price / 2,
			"weight_per_unit": 1,
			"weight_uom": "Kg",
			"th_b2b_moq": moq,
			"barcodes": [{"barcode": f"99{random_string(10)}"}],
		}
	).insert(ignore_permissions=True)
	for pl in ("Standard Selling", "Wholesale Gold", "Wholesale Silver", "Marketplace"):
		frappe.get_doc(
			{
				"doctype": "Item Price",
				"item_code": code,
				"price_list": pl,
				"price_list_rate": price,
				"uom": "Nos",
			}
		).insert(ignore_permissions=True)
	if qty:
		receive_stock(code, qty, bin_name, price / 2)
	return code


def receive_stock(item_code: str, qty: float, bin_name: str, rate: float) -> None:
	se = frappe.get_doc(
		{
			"doctype": "Stock Entry",
			"stock_entry_type": "Material Receipt",
			"company": company(),
			"items": [
				{
					"item_code": item_code,
					"qty": qty,
					"t_warehouse": bin_warehouse(bin_name),
					"basic_rate": rate,
				}
			],
		}
	)
	se.insert(ignore_permissions=True)
	se.submit()


def stock_in_store(item_code: str) -> float:
	"""Σ actual qty of the item over the store's bins, from the Stock Ledger."""
	lft, rgt = frappe.db.get_value("Warehouse", store(), ["lft", "rgt"])
	return flt(
		frappe.db.sql(
			"""select sum(sle.actual_qty) from `tabStock Ledger Entry` sle
			join `tabWarehouse` w on w.name = sle.warehouse
			where sle.item_code = %s and sle.is_cancelled = 0 and w.lft >= %s and w.rgt <= %s""",
			(item_code, lft, rgt),
		)[0][0]
	)


def receivable(customer_name: str) -> float:
	"""The customer's balance in the General Ledger (debit − credit on party entries)."""
	return flt(
		frappe.db.sql(
			"""select sum(debit - credit) from `tabGL Entry`
			where party_type = 'Customer' and party = %s and is_cancelled = 0""",
			customer_name,
		)[0][0]
	)


def png(width: int = 4, height: int = 4) -> bytes:
	"""A real (tiny, grey) PNG image, as a phone camera's photo of a signature stands in for."""
	import io

	from PIL import Image

	buf = io.BytesIO()
	Image.new("RGB", (width, height), (128, 128, 128)).save(buf, format="PNG")
	return buf.getvalue()
