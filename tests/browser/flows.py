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


def _cod_note(lat: float, lng: float, qty: float = 3) -> frappe._dict:
	"""A cash-on-delivery order for a new customer at (lat, lng): picked, delivery-noted, invoiced."""
	from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note
	from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice

	cust = builders.customer("Gold Dealers", lat=lat, lng=lng)
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
			"items": [{"item_code": item, "qty": qty}],
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
	return frappe._dict(
		customer=cust.name, delivery_note=dn.name, invoice=si.name, owed=flt(si.outstanding_amount)
	)


def cod_trip() -> frappe._dict:
	"""A cash-on-delivery order picked, delivered-noted, invoiced and on a trip for the demo driver."""
	job = cod_trip_of(1)
	return frappe._dict(job.stops[0], trip=job.trip)


def cod_trip_of(count: int) -> frappe._dict:
	"""`count` cash-on-delivery orders (customers a few hundred metres apart) on one trip for the demo
	driver: {trip, stops: [{stop, delivery_note, invoice, owed, customer}] in visiting order}."""
	from wms_tms.erp import delivery

	notes = [_cod_note(23.1291 + 0.003 * i, 113.3240 + 0.002 * i, qty=3 + i) for i in range(count)]
	vehicle = builders.DEMO["vehicle"]["license_plate"]
	driver = frappe.db.get_value("Driver", {"th_wms_user": driver_login()[0]})
	trip = delivery.plan_trip([n.delivery_note for n in notes], vehicle, driver)
	frappe.db.commit()
	by_note = {n.delivery_note: n for n in notes}
	return frappe._dict(
		trip=trip.name,
		driver=driver,
		stops=[frappe._dict(by_note[s.delivery_note], stop=s.name) for s in trip.delivery_stops],
	)
