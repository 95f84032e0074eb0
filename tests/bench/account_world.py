"""A buyer's account with history, for the bench and browser tests of b2b_mall's My orders, statement
and points: a customer in a Loyalty Program with a buyer; a desk order of 10 delivered in two notes —
the first invoiced, driven and delivered by the driver app with a photo and the cash taken, the second
on the road with an ETA — and a portal order half picked on the floor."""

import frappe
from frappe.utils import add_days, nowdate, random_string

from tests.bench import builders


def png(width: int = 6, height: int = 6) -> bytes:
	return builders.png(width, height)


def loyalty_program(conversion_factor: float = 0.5, collection_factor: float = 10) -> str:
	"""ERPNext's Loyalty Program: one point per `collection_factor` of invoice, each point worth
	`conversion_factor` when redeemed."""
	company = builders.company()
	expense = frappe.get_all(
		"Account",
		filters={"company": company, "root_type": "Expense", "is_group": 0, "account_type": ""},
		pluck="name",
		limit=1,
	)[0]
	return (
		frappe.get_doc(
			{
				"doctype": "Loyalty Program",
				"loyalty_program_name": f"Mall Points {random_string(6)}",
				"loyalty_program_type": "Single Tier Program",
				"company": company,
				"from_date": add_days(nowdate(), -400),
				"conversion_factor": conversion_factor,
				"expiry_duration": 365,
				"expense_account": expense,
				"cost_center": frappe.get_cached_value("Company", company, "cost_center"),
				"collection_rules": [
					{"tier_name": "Base", "collection_factor": collection_factor, "min_spent": 0}
				],
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def enrolled_customer(program: str | None = None) -> frappe._dict:
	cust = builders.customer("Gold Dealers")
	frappe.db.set_value("Customer", cust.name, "loyalty_program", program or loyalty_program())
	return frappe._dict(customer=cust.name, buyer=builders.portal_user_for(cust.name))


def desk_order(customer: str, item: str, qty: float, cod: int = 0, **extra):
	so = frappe.get_doc(
		{
			"doctype": "Sales Order",
			"customer": customer,
			"company": builders.company(),
			"selling_price_list": "Wholesale Gold",
			"delivery_date": add_days(nowdate(), 1),
			"set_warehouse": builders.bin_warehouse("A1-03-L"),
			"th_cod": cod,
			"items": [{"item_code": item, "qty": qty}],
			**extra,
		}
	)
	so.insert(ignore_permissions=True)
	so.submit()
	return so


def delivery_note(sales_order: str, qty: float):
	from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note

	dn = make_delivery_note(sales_order)
	for row in dn.items:
		row.qty = qty
	dn.insert(ignore_permissions=True)
	dn.submit()
	return dn


def invoice_of_note(delivery_note: str):
	from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice

	si = make_sales_invoice(delivery_note)
	si.insert(ignore_permissions=True)
	si.submit()
	return si


def driver() -> frappe._dict:
	user = f"driver-{random_string(8).lower()}@test.local"
	u = frappe.get_doc(
		{"doctype": "User", "email": user, "first_name": "Driver", "user_type": "Website User"}
	)
	u.flags.no_welcome_mail = True
	u.insert(ignore_permissions=True)
	d = frappe.get_doc(
		{
			"doctype": "Driver",
			"full_name": f"Driver {random_string(6)}",
			"status": "Active",
			"th_wms_user": user,
		}
	).insert(ignore_permissions=True)
	return frappe._dict(name=d.name, user=user)


def account_world() -> frappe._dict:
	from wms_tms.erp import delivery, picking

	w = enrolled_customer()
	w.other = enrolled_customer(frappe.db.get_value("Customer", w.customer, "loyalty_program")).buyer
	w.item = builders.item_with_stock(40, bin_name="A1-03-L", price=300)
	w.order = desk_order(w.customer, w.item, 10, cod=1).name  # 3,000: typed in the desk
	first = delivery_note(w.order, 6)
	w.delivered_note = first.name
	w.invoice = invoice_of_note(first.name)  # 1,800 → 180 points
	w.earned = 180
	drv = driver()
	vehicle = builders.DEMO["vehicle"]["license_plate"]
	trip = delivery.plan_trip([first.name], vehicle, drv.name)
	done = delivery.close_stop(trip.delivery_stops[0].name, drv.name, "Mr Wu", png(), w.invoice.grand_total)
	w.payment = done.payment_entry
	second = delivery_note(w.order, 4)
	w.road_note = second.name
	w.road_trip = delivery.plan_trip([second.name], vehicle, drv.name, add_days(nowdate(), 1)).name
	w.eta = frappe.db.get_value("Delivery Stop", {"delivery_note": second.name}, "estimated_arrival")
	# a portal order on the floor: 2 of 4 picked so far
	portal = desk_order(w.customer, w.item, 4, th_channel="B2B Portal")
	w.portal_order = portal.name
	wave = picking.create_wave(builders.company(), builders.store(), [portal.name])
	pick_list = frappe.get_doc("Pick List", picking.make_pick_list(wave.name).name)
	pick_list.locations[0].picked_qty = 2
	pick_list.save(ignore_permissions=True)
	w.invoice = w.invoice.name
	return w
