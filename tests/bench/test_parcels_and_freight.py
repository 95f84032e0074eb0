"""Parcels and freight on a real site: a carrier's waybill for a Delivery Note (tracking number on the
note, the expected charge from the carrier's template, reported to the marketplace), the carrier's
refusals as a retryable state with a clear reason, a courier's bill reconciled, a trip's cost."""

import frappe
import pytest
from frappe.utils import add_days, add_to_date, flt, get_datetime, nowdate, random_string

from tests.bench import builders
from tests.unit.omni_channel.simulator import Simulator
from tests.unit.wms_tms.carrier_simulator import CarrierSimulator

SHOP = builders.DEMO["channel_shop"]["shop_name"]


def parcel_item() -> str:
	"""A non-stock item of 1 kg: its notes move no stock, so these tests never wait on the stock
	ledger or the Stock Entry series that the other bench tests hold."""
	code = f"PCL-{random_string(8).upper()}"
	frappe.get_doc(
		{
			"doctype": "Item",
			"item_code": code,
			"item_name": "茶叶礼盒 Tea gift box",
			"item_group": "All Item Groups",
			"stock_uom": "Nos",
			"is_stock_item": 0,
			"is_sales_item": 1,
			"weight_per_unit": 1,
			"weight_uom": "Kg",
		}
	).insert(ignore_permissions=True)
	return code


@pytest.fixture(scope="module")
def sim():
	with CarrierSimulator() as s:
		yield s


def make_carrier(sim, **kw) -> str:
	template = frappe.get_doc(
		{
			"doctype": "Freight Template",
			"template_name": f"Express {random_string(6)}",
			"volume_divisor": 6000,
			"free_above": 99,
			"rates": [
				{
					"regions": "广东, Guangdong",
					"first_weight": 1,
					"first_charge": 8,
					"step_weight": 1,
					"step_charge": 2,
				},
				{"regions": "*", "first_weight": 1, "first_charge": 12, "step_weight": 1, "step_charge": 5},
			],
		}
	).insert()
	carrier = frappe.get_doc(
		{
			"doctype": "Parcel Carrier",
			"carrier_name": f"Express {random_string(6)}",
			"marketplace_code": "ZTO",
			"freight_template": template.name,
			"api_url": sim.url,
			"app_key": sim.app_key,
			"app_secret": sim.secret,
			"account_id": "ACC-1",
			"timeout_seconds": 1,
			"sender_name": "Demo Trading",
			"sender_phone": "02088888888",
			"sender_province": "广东省",
			"sender_city": "广州市",
			"sender_address": "天河路 1 号",
			**kw,
		}
	).insert()
	template.db_set("carrier", carrier.name)
	return carrier.name


def portal_note(state: str = "广东省", submit: bool = True):
	"""A Delivery Note of a fresh portal customer, its address in `state`."""
	from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note

	cust = builders.customer("Gold Dealers")
	address = frappe.db.get_value("Dynamic Link", {"link_name": cust.name, "parenttype": "Address"}, "parent")
	frappe.db.set_value("Address", address, {"state": state, "phone": "13900000000"})
	item = parcel_item()
	so = frappe.get_doc(
		{
			"doctype": "Sales Order",
			"customer": cust.name,
			"company": builders.company(),
			"delivery_date": add_days(nowdate(), 1),
			"items": [
				{"item_code": item, "qty": 2, "rate": 20, "warehouse": builders.bin_warehouse("A1-02-L")}
			],
		}
	).insert()
	so.submit()
	dn = make_delivery_note(so.name)
	dn.insert()
	if submit:
		dn.submit()
	return dn


def test_a_waybill_is_stored_on_the_note_and_reported_to_the_marketplace(sim):
	from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note

	from omni_channel.erp.orders import process
	from tests.bench.test_order_path import post_webhook, shopify_order
	from wms_tms.erp import parcels

	carrier = make_carrier(sim)
	item = parcel_item()
	payload = shopify_order(
		861001 + int(random_string(4), 36) % 9000, item, 2, "15.00", "2026-11-30T09:00:00+08:00", cod=False
	)
	status, body = post_webhook(payload, webhook_id=f"wh-parcel-{random_string(6)}")
	assert status == 200, body
	so = frappe.get_doc("Sales Order", process(body["order"]))
	dn = make_delivery_note(so.name)
	dn.insert()
	dn.submit()

	with Simulator(shopify_orders=[payload]) as shop_sim:
		shop = frappe.get_doc("Channel Shop", SHOP)
		shop.api_url = shop_sim.url
		shop.api_secret = shop_sim.shopify_token
		shop.save()
		before = len(sim.accepted)
		result = parcels.request_waybill(dn.name, carrier, weight=2.3)
		assert result["ok"], result
		tracking = result["tracking_no"]
		note = frappe.get_doc("Delivery Note", dn.name)
		assert note.lr_no == tracking and note.th_wms_carrier == carrier
		assert note.th_wms_waybill_status == "Requested" and not note.th_wms_waybill_error
		assert note.th_wms_sort_code == "300-W01-00"
		# Guangdong, 2.3 kg: first kilogram ¥8 + two started kilograms at ¥2
		assert flt(note.th_wms_freight_expected) == 12.0
		sent = sim.accepted[before]
		assert sent["partnerOrderCode"] == dn.name and sent["receiver"]["prov"] == "Guangdong"
		assert sent["receiver"]["mobile"] == "13912345678" and sent["parcel"]["weight"] == "2.3"
		# through omni_channel's shipment push: the shop has the carrier's number and code
		(fulfillment,) = shop_sim.fulfillments
		assert fulfillment["tracking_number"] == tracking
		assert fulfillment["tracking_company"] == "ZTO"

		# asked again: the same number, no second parcel at the carrier
		again = parcels.request_waybill(dn.name, carrier)
		assert again["tracking_no"] == tracking and len(sim.accepted) == before + 1


def test_carrier_refusals_leave_a_clear_reason_and_the_note_can_ask_again(sim):
	from wms_tms.erp import parcels

	carrier = make_carrier(sim)
	dn = portal_note("西藏自治区")
	sim.refuse_province("西藏")
	try:
		result = parcels.request_waybill(dn.name, carrier, weight=1)
	finally:
		sim.refused_provinces.discard("西藏")
	assert not result["ok"] and not result["retryable"]
	assert "refused the address" in result["message"] and "Correct the shipping address" in result["message"]
	note = frappe.db.get_value(
		"Delivery Note", dn.name, ["th_wms_waybill_status", "th_wms_waybill_error", "lr_no"], as_dict=True
	)
	assert note.th_wms_waybill_status == "Failed" and "超区" in note.th_wms_waybill_error and not note.lr_no

	# a wrong secret: our settings, said so
	frappe.db.set_value("Parcel Carrier", carrier, "app_secret", "not-the-secret")
	frappe.get_doc("Parcel Carrier", carrier).save()
	wrong = parcels.request_waybill(dn.name, carrier)
	assert not wrong["ok"] and "credentials" in wrong["message"] and "app key and secret" in wrong["message"]

	# no answer in time: retryable, and the next click gets the number
	carrier_doc = frappe.get_doc("Parcel Carrier", carrier)
	carrier_doc.app_secret = sim.secret
	carrier_doc.save()
	sim.hang(1, seconds=1.5)
	slow = parcels.request_waybill(dn.name, carrier)
	assert not slow["ok"] and slow["retryable"] and "did not answer" in slow["message"]
	ok = parcels.request_waybill(dn.name, carrier)
	assert ok["ok"] and frappe.db.get_value("Delivery Note", dn.name, "lr_no") == ok["tracking_no"]
	assert frappe.db.get_value("Delivery Note", dn.name, "th_wms_waybill_status") == "Requested"
	# 西藏 falls to the template's other row: ¥12 for the first kilogram
	assert flt(frappe.db.get_value("Delivery Note", dn.name, "th_wms_freight_expected")) == 12.0


def test_a_draft_note_keeps_its_waybill_and_the_endpoint_answers_a_refusal_as_417(sim, monkeypatch):
	from wms_tms.api.parcels import get_waybill
	from wms_tms.erp import parcels

	carrier = make_carrier(sim)
	dn = portal_note(submit=False)
	frappe.db.set_value("Address", dn.shipping_address_name or dn.customer_address, "address_line1", "")
	frappe.db.set_value("Address", dn.shipping_address_name or dn.customer_address, "address_line2", "")
	result = parcels.request_waybill(dn.name, carrier, weight=0.5)
	assert not result["ok"] and "地址不完整" in result["message"]
	frappe.db.set_value(
		"Address", dn.shipping_address_name or dn.customer_address, "address_line1", "1 Test Road"
	)
	result = parcels.request_waybill(dn.name, carrier, weight=0.5)
	assert result["ok"]
	draft = frappe.get_doc("Delivery Note", dn.name)
	assert draft.docstatus == 0 and draft.lr_no == result["tracking_no"]
	draft.submit()  # the waybill stays through the submit
	assert frappe.db.get_value("Delivery Note", dn.name, "lr_no") == result["tracking_no"]

	# the desk endpoint says what is wrong, as a ValidationError (HTTP 417), not a traceback
	other = portal_note()
	frappe.db.set_value("Parcel Carrier", carrier, "disabled", 1)
	monkeypatch.setattr(frappe.db, "commit", lambda: None)  # this test's transaction is rolled back
	with pytest.raises(parcels.WaybillError, match="disabled"):
		get_waybill(other.name, carrier, 1)
	assert frappe.db.get_value("Delivery Note", other.name, "th_wms_waybill_status") == "Failed"


def test_a_courier_bill_is_matched_to_notes_and_lists_its_variances(sim):
	from wms_tms.erp import parcels

	carrier = make_carrier(sim)
	a, b = portal_note(), portal_note("新疆")
	ta = parcels.request_waybill(a.name, carrier, weight=2.3)["tracking_no"]  # expected 12.00
	tb = parcels.request_waybill(b.name, carrier, weight=1)["tracking_no"]  # expected 12.00 (other row)
	csv = (
		f"运单号,计费重量,运费\n{ta},2.3,12.00\n{tb},3,22.00\n999999999999,1,8\n{ta},2.3,12.00\n,1,5\n"
	).encode("gbk")
	file = frappe.get_doc(
		{"doctype": "File", "file_name": f"bill-{random_string(6)}.csv", "content": csv, "is_private": 1}
	).insert()
	bill = frappe.get_doc(
		{"doctype": "Courier Bill", "carrier": carrier, "bill_file": file.file_url}
	).insert()
	got = [
		(
			r.line_no,
			r.tracking_no,
			r.delivery_note,
			flt(r.billed),
			flt(r.expected),
			flt(r.difference),
			r.status,
		)
		for r in bill.lines
	]
	assert got[:3] == [
		(2, ta, a.name, 12.0, 12.0, 0.0, "Matched"),
		(3, tb, b.name, 22.0, 12.0, 10.0, "Overcharged"),
		(4, "999999999999", None, 8.0, 0.0, 8.0, "Not ours"),
	]
	refused = {r.line_no: r.reason for r in bill.lines if r.status == "Refused"}
	assert refused[5].startswith(f"{ta} is billed again (first on line 2)")
	assert refused[6].startswith("no tracking number")
	assert (bill.lines_read, bill.lines_refused, bill.variance_count) == (3, 2, 2)
	assert (flt(bill.billed_total), flt(bill.expected_total), flt(bill.difference_total)) == (
		42.0,
		24.0,
		18.0,
	)
	assert bill.status == "Variances"

	# a file that is not a bill at all is refused whole, with the reason
	bad = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": f"bad-{random_string(6)}.csv",
			"content": b"foo,bar\n1,2\n",
			"is_private": 1,
		}
	).insert()
	with pytest.raises(frappe.ValidationError, match="no column for tracking_no and amount"):
		frappe.get_doc({"doctype": "Courier Bill", "carrier": carrier, "bill_file": bad.file_url}).insert()


def test_a_trip_costs_distance_and_driver_time_shared_over_its_orders():
	from wms_tms.erp import delivery

	sys_driver = frappe.get_doc(
		{
			"doctype": "Driver",
			"full_name": f"Driver {random_string(5)}",
			"status": "Active",
			"th_wms_hourly_rate": 30,
		}
	).insert()
	plate = builders.DEMO["vehicle"]["license_plate"]
	frappe.db.set_value("Vehicle", plate, "th_wms_rate_per_km", 1.8)
	notes = [portal_note(), portal_note()]
	frappe.db.set_value("Delivery Note", notes[0].name, "total_net_weight", 30)
	frappe.db.set_value("Delivery Note", notes[1].name, "total_net_weight", 10)
	trip = delivery.plan_trip([n.name for n in notes], plate, sys_driver.name)
	trip = frappe.get_doc("Delivery Trip", trip if isinstance(trip, str) else trip.name)
	last = max(get_datetime(s.estimated_arrival) for s in trip.delivery_stops)
	hours = round((last - get_datetime(trip.departure_time)).total_seconds() / 3600, 2)
	assert flt(trip.th_wms_trip_hours) == hours > 0
	assert flt(trip.th_wms_trip_cost) == round(flt(trip.total_distance) * 1.8 + hours * 30, 2)

	# a longer day costs more driver time
	from wms_tms.erp.freight import on_trip_validate

	trip.departure_time = add_to_date(trip.departure_time, hours=-1)
	on_trip_validate(trip)
	assert flt(trip.th_wms_trip_hours) == round(hours + 1, 2)

	from wms_tms.wms_tms.report.freight_cost.freight_cost import execute

	_cols, rows, _m, _c, summary = execute({"delivery_trip": trip.name})
	shares = {r["delivery_note"]: r["cost"] for r in rows}
	total = flt(frappe.db.get_value("Delivery Trip", trip.name, "th_wms_trip_cost"))  # as planned
	assert total == round(flt(trip.total_distance) * 1.8 + hours * 30, 2)
	assert round(sum(shares.values()), 2) == total
	# shared by weight, 30 : 10
	assert shares[notes[0].name] == pytest.approx(round(total * 0.75, 2), abs=0.01)
	assert {s["label"]: s["value"] for s in summary}["Own trips"] == pytest.approx(total)


def test_a_note_with_a_waybill_cannot_go_on_our_own_trip(sim):
	"""ERPNext writes the trip's name into lr_no on submit: a parcel planned on a van would lose its
	tracking number (and the shop would be told the trip's name). The trip is refused, saying which."""
	from wms_tms.erp import delivery, parcels

	carrier = make_carrier(sim)
	parcel, van_note = portal_note(), portal_note()
	tracking = parcels.request_waybill(parcel.name, carrier, weight=1)["tracking_no"]
	plate = builders.DEMO["vehicle"]["license_plate"]
	driver = frappe.db.get_value("Driver", {"status": "Active"})
	with pytest.raises(frappe.ValidationError) as refused:
		delivery.plan_trip([parcel.name, van_note.name], plate, driver)
	assert parcel.name in str(refused.value) and tracking in str(refused.value)
	assert van_note.name not in str(refused.value)
	assert frappe.db.get_value("Delivery Note", parcel.name, "lr_no") == tracking
	# the van's own note plans as before, and gets the trip's name from ERPNext
	trip = delivery.plan_trip([van_note.name], plate, driver)
	name = trip if isinstance(trip, str) else trip.name
	assert frappe.db.get_value("Delivery Note", van_note.name, "lr_no") == name
