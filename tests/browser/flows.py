"""Documents the browser tests start from, made through the apps' own adapters and committed."""

import struct
import zlib

import frappe
from frappe.utils import flt

from tests.bench import builders


def png(width: int = 4, height: int = 4) -> bytes:
	"""A real (tiny, grey) PNG image, as a phone camera upload stands in for."""
	raw = b"".join(b"\x00" + b"\x80" * width * 3 for _ in range(height))

	def chunk(kind: bytes, data: bytes) -> bytes:
		return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

	header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
	return (
		b"\x89PNG\r\n\x1a\n"
		+ chunk(b"IHDR", header)
		+ chunk(b"IDAT", zlib.compress(raw))
		+ chunk(b"IEND", b"")
	)


def driver_login() -> tuple[str, str]:
	u = builders.DEMO["driver"]["user"]
	return u["email"], u["password"]


def cod_trip() -> frappe._dict:
	"""A cash-on-delivery order picked, delivered-noted, invoiced and on a trip for the demo driver."""
	from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note
	from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice

	from wms_tms.erp import delivery

	cust = builders.customer("Gold Dealers", lat=23.1291, lng=113.3240)
	item = builders.item_with_stock(20, bin_name="A1-03-L", price=12)
	so = frappe.get_doc(
		{
			"doctype": "Sales Order",
			"customer": cust.name,
			"company": builders.company(),
			"selling_price_list": "Wholesale Gold",
			"delivery_date": frappe.utils.add_days(frappe.utils.nowdate(), 1),
			"set_warehouse": builders.bin_warehouse("A1-03-L"),
			"th_cod": 1,
			"items": [{"item_code": item, "qty": 3}],
		}
	)
	so.insert(ignore_permissions=True)
	so.submit()
	dn = make_delivery_note(so.name)
	dn.insert(ignore_permissions=True)
	dn.submit()
	si = make_sales_invoice(dn.name)
	si.insert(ignore_permissions=True)
	si.submit()
	vehicle = builders.DEMO["vehicle"]["license_plate"]
	driver = frappe.db.get_value("Driver", {"th_wms_user": driver_login()[0]})
	trip = delivery.plan_trip([dn.name], vehicle, driver)
	frappe.db.commit()
	return frappe._dict(
		trip=trip.name,
		stop=trip.delivery_stops[0].name,
		delivery_note=dn.name,
		invoice=si.name,
		owed=flt(si.outstanding_amount),
		customer=cust.name,
	)
