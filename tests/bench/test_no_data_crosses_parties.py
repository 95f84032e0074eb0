"""Issue 10, "No data crosses parties": two customers (two buyers each), two drivers and two shops;
every whitelisted method and every www page of our four apps is called by each party with the OTHER
party's document names. Each answers 403 / 404 (PermissionError, DoesNotExistError, the page's 403),
or, for what is keyed on the session alone (the mall, the statement, the driver's page and trips), the
caller's own data only; the other party's names and amounts appear nowhere in the answer.

The suite walks the apps (whitelisted functions of apps/*/*/api/*.py and apps/*/*/www/*.py, and the
pages under apps/*/*/www/): an endpoint or page without a case in CASES fails it.

Methods are called the way Frappe's handler calls them (`frappe.handler.execute_cmd`: whitelist,
HTTP method, arguments filtered by the signature), pages are rendered by `frappe.website.serve`,
all inside the test's transaction, switching users in the test only."""

import importlib
import json
import time
from pathlib import Path

import frappe
import pytest
from frappe.utils import add_days, flt, nowdate, random_string
from werkzeug.test import EnvironBuilder

from tests.bench import builders
from tests.bench.test_webhook_security import call as call_webhook
from tests.bench.test_webhook_security import new_shop, shopify_headers

APPS = Path(__file__).resolve().parents[2] / "apps"
REFUSED = (frappe.PermissionError, frappe.DoesNotExistError)


# ---------------------------------------------------------------- the two of everything


def system_user(*roles: str) -> str:
	email = f"desk-{random_string(8).lower()}@test.local"
	user = frappe.get_doc(
		{"doctype": "User", "email": email, "first_name": "Desk", "user_type": "System User"}
	)
	user.flags.no_welcome_mail = True
	user.insert(ignore_permissions=True)
	if roles:
		user.add_roles(*roles)
	return email


def website_user(prefix: str) -> str:
	email = f"{prefix}-{random_string(8).lower()}@test.local"
	user = frappe.get_doc(
		{"doctype": "User", "email": email, "first_name": prefix.title(), "user_type": "Website User"}
	)
	user.flags.no_welcome_mail = True
	user.insert(ignore_permissions=True)
	return email


def sales_order(customer: str, item: str, qty: float, cod: int = 1):
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
		}
	)
	so.insert(ignore_permissions=True)
	so.submit()
	return so


def party(label: str, item: str, qty: float) -> frappe._dict:
	"""One customer with two buyers, an order delivered and invoiced, a driver with that stop on a
	trip, an open order on a pick wave, and a shop with an order log, a refund and a settlement."""
	from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note
	from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice

	from wms_tms.erp import delivery

	cust = builders.customer("Gold Dealers", lat=23.1291, lng=113.3240)
	buyers = [builders.portal_user_for(cust.name), builders.portal_user_for(cust.name)]
	so = sales_order(cust.name, item, qty)
	dn = make_delivery_note(so.name)
	dn.insert(ignore_permissions=True)
	dn.submit()
	si = make_sales_invoice(dn.name)
	si.insert(ignore_permissions=True)
	si.submit()

	driver_user = website_user(f"driver{label.lower()}")
	driver = frappe.get_doc(
		{
			"doctype": "Driver",
			"full_name": f"Driver {label} {random_string(5)}",
			"status": "Active",
			"th_wms_user": driver_user,
		}
	).insert(ignore_permissions=True)
	trip = delivery.plan_trip([dn.name], builders.DEMO["vehicle"]["license_plate"], driver.name)

	open_so = sales_order(cust.name, item, 1, cod=0)
	wave = frappe.get_doc(
		{
			"doctype": "Pick Wave",
			"company": builders.company(),
			"warehouse": builders.store(),
			"orders": [{"sales_order": open_so.name}],
		}
	).insert(ignore_permissions=True)
	# the floor: a picker of the wave with its Pick List, counting a stock take of the party's item
	from wms_tms.erp import picking, stocktake

	picker = system_user("WMS Picker")
	floor_wave = picking.create_wave(
		builders.company(), builders.store(), [sales_order(cust.name, item, 1, cod=0).name]
	)
	floor_wave.db_set("picker", picker)
	pick_list = picking.make_pick_list(floor_wave.name).name
	take = frappe.get_doc(
		{
			"doctype": "Stock Take",
			"company": builders.company(),
			"warehouse": builders.store(),
			"basis": "Item",
			"items": item,
			"counter": picker,
		}
	).insert(ignore_permissions=True)
	stocktake.make_plan(take.name)

	shop = new_shop(secret=f"secret-{label}-{random_string(12)}")
	log = frappe.get_doc(
		{
			"doctype": "Channel Order Log",
			"shop": shop,
			"external_id": f"ext-{label}-{random_string(8)}",
			"status": "Held",
			"payload": "{}",
		}
	).insert(ignore_permissions=True)
	refund = frappe.get_doc(
		{"doctype": "Channel Refund", "shop": shop, "refund_id": f"rf-{random_string(8)}", "payload": "{}"}
	).insert(ignore_permissions=True)
	settlement = frappe.get_doc(
		{
			"doctype": "Channel Settlement",
			"shop": shop,
			"statement_id": f"ST-{label}-{random_string(6)}",
			"period_end": nowdate(),
			"payout": 57,
			"lines": [{"order_id": log.external_id, "kind": "sale", "amount": 57}],
		}
	).insert(ignore_permissions=True)
	return frappe._dict(
		customer=cust.name,
		buyers=buyers,
		sales_order=so.name,
		open_order=open_so.name,
		delivery_note=dn.name,
		invoice=si.name,
		amount=flt(si.grand_total),
		driver=driver.name,
		driver_user=driver_user,
		trip=trip.name,
		stop=trip.delivery_stops[0].name,
		wave=wave.name,
		picker=picker,
		floor_wave=floor_wave.name,
		pick_list=pick_list,
		take=take.name,
		shop=shop,
		secret=frappe.utils.password.get_decrypted_password("Channel Shop", shop, "webhook_secret"),
		log=log.name,
		external_id=log.external_id,
		refund=refund.name,
		settlement=settlement.name,
	)


def markers(p: frappe._dict) -> list[str]:
	"""What of party p must never show in another party's answer: names, and the invoice amount."""
	names = [
		p.customer,
		p.sales_order,
		p.open_order,
		p.delivery_note,
		p.invoice,
		p.driver,
		p.trip,
		p.stop,
		p.wave,
		p.floor_wave,
		p.pick_list,
		p.take,
		p.picker,
		p.shop,
		p.log,
		p.external_id,
		p.refund,
		p.settlement,
		*p.buyers,
		p.driver_user,
	]
	return names + [f"{p.amount:.2f}", f"{p.amount:,.2f}"]


def build_world() -> frappe._dict:
	# amounts no other document of the site is likely to show: 7 × 1237.31 and 9 × 2459.83
	item_a = builders.item_with_stock(30, bin_name="A1-03-L", price=1237.31)
	item_b = builders.item_with_stock(30, bin_name="A1-03-L", price=2459.83)
	a, b = party("A", item_a, 7), party("B", item_b, 9)
	# each customer's own price break on item_a (case_catalogue_items makes the rules)
	a.break_rate, b.break_rate = 1111.17, 1222.29
	return frappe._dict(
		a=a,
		b=b,
		nobody=system_user(),  # a desk login without any of the roles
		item=item_a,
		vehicle=builders.DEMO["vehicle"]["license_plate"],
	)


@pytest.fixture(autouse=True)
def rollback(site):
	"""Replaces conftest's per-test rollback: the world below is built once for the module, inside
	one transaction that is rolled back at its end; each case runs in a savepoint of it."""
	yield


@pytest.fixture(scope="module")
def world(site):
	for attempt in range(4):  # other suites on the shared site may deadlock us on the stock rows
		frappe.db.rollback()
		frappe.set_user("Administrator")
		try:
			built = build_world()
			break
		except frappe.QueryDeadlockError:
			if attempt == 3:
				raise
			time.sleep(1 + attempt)
	yield built
	frappe.db.rollback()
	frappe.set_user("Administrator")
	frappe.local.response = frappe._dict()


@pytest.fixture
def each_case(world):
	frappe.db.savepoint("cross_party_case")
	yield world
	frappe.db.rollback(save_point="cross_party_case")
	frappe.set_user("Administrator")
	frappe.local.response = frappe._dict()
	frappe.local.uploaded_file = None


# ---------------------------------------------------------------- calling as a party


def as_user(user: str, fn, *args, **kwargs):
	frappe.set_user(user)
	try:
		return fn(*args, **kwargs)
	finally:
		frappe.set_user("Administrator")
		frappe.local.uploaded_file = None


def api(user: str, method: str, http: str = "POST", **kwargs):
	"""The whitelisted method as Frappe's handler runs it for `user`: (result, everything said)."""
	from frappe.handler import execute_cmd

	frappe.set_user(user)  # set_user empties form_dict: the request's arguments come after it
	try:
		frappe.local.request = EnvironBuilder(method=http, path=f"/api/method/{method}").get_request()
		frappe.local.request_ip = "127.0.0.1"
		frappe.local.form_dict = frappe._dict(kwargs, cmd=method)
		frappe.local.response = frappe._dict()
		frappe.local.message_log = []
		result = execute_cmd(method)
	finally:
		frappe.set_user("Administrator")
		frappe.local.uploaded_file = None
	return result, said(result)


def said(*things) -> str:
	return " ".join(
		[frappe.as_json(t) if not isinstance(t, str) else t for t in things]
		+ [json.dumps(m, default=str) for m in frappe.local.message_log or []]
		+ [frappe.as_json(frappe.local.response or {})]
	)


def refused(user: str, method: str, leak_of: frappe._dict, http: str = "POST", **kwargs) -> str:
	frappe.local.message_log = []
	with pytest.raises(REFUSED) as e:
		api(user, method, http=http, **kwargs)
	text = said(str(e.value))
	no_leak(text, leak_of, f"{method} as {user}")
	return text


def no_leak(text: str, p: frappe._dict, who: str, allow: tuple = ()) -> None:
	leaked = [m for m in markers(p) if m and m not in allow and m in text]
	assert not leaked, f"{who} shows the other party's {leaked}"


def page(user: str, path: str, **query) -> tuple[int, str]:
	"""The www page rendered for `user` the way Frappe serves it: (status, html)."""
	from frappe.website.serve import get_response

	frappe.set_user(user)
	try:
		frappe.local.request = EnvironBuilder(method="GET", path=path, query_string=query).get_request()
		frappe.local.request_ip = "127.0.0.1"
		frappe.local.form_dict = frappe._dict(query)
		frappe.local.response = frappe._dict()
		frappe.local.message_log = []
		frappe.local.flags.redirect_location = None
		response = get_response(path)
	finally:
		frappe.set_user("Administrator")
	return response.status_code, response.get_data(as_text=True)


def buyers(w):
	"""(caller, the other party) for every buyer of both customers."""
	return [(u, w.b) for u in w.a.buyers] + [(u, w.a) for u in w.b.buyers]


def drivers(w):
	return [(w.a.driver_user, w.b), (w.b.driver_user, w.a)]


def desk_callers(w):
	"""Who must be refused a desk action on either party's document: buyers, drivers, a bare desk login."""
	return buyers(w) + drivers(w) + [(w.nobody, w.a), (w.nobody, w.b)]


# ---------------------------------------------------------------- the cases


def case_place_order(w):
	"""A buyer who names the other customer still orders for their own; drivers and desk logins without
	a customer are refused."""
	for user, other in buyers(w):
		mine = w.a if other is w.b else w.b
		result, text = api(
			user,
			"b2b_mall.api.orders.place_order",
			items=[{"item_code": w.item, "qty": 1}],
			customer=other.customer,
			party_name=other.customer,
		)
		assert frappe.local.response.get("http_status_code") in (None, 200), text
		assert result.customer == mine.customer, text
		assert frappe.db.get_value("Sales Order", result.sales_order, "customer") == mine.customer
		no_leak(text, other, f"place_order as {user}")
	for user, other in [*drivers(w), (w.nobody, w.a), (w.nobody, w.b)]:
		refused(
			user,
			"b2b_mall.api.orders.place_order",
			other,
			items=[{"item_code": w.item, "qty": 1}],
			customer=other.customer,
		)
	refused(
		"Guest",
		"b2b_mall.api.orders.place_order",
		w.a,
		items=[{"item_code": w.item, "qty": 1}],
		customer=w.a.customer,
	)


def case_catalogue_items(w):
	"""The catalogue answers with the caller's own customer's prices, whatever customer is named; a
	price break for the other customer (a rule at its own amount) never shows. Everyone else: 403."""
	for p in (w.a, w.b):
		frappe.get_doc(
			{
				"doctype": "Pricing Rule",
				"title": f"cross-party break {random_string(6)}",
				"apply_on": "Item Code",
				"items": [{"item_code": w.item}],
				"price_or_product_discount": "Price",
				"selling": 1,
				"applicable_for": "Customer",
				"customer": p.customer,
				"min_qty": 5,
				"rate_or_discount": "Rate",
				"rate": p.break_rate,
				"currency": "CNY",
				"company": builders.company(),
			}
		).insert(ignore_permissions=True)
	for user, other in buyers(w):
		mine = w.a if other is w.b else w.b
		result, text = api(
			user,
			"b2b_mall.api.catalogue.items",
			http="GET",
			q=w.item,
			customer=other.customer,
			party=other.customer,
			price_list="Wholesale Silver",
		)
		[row] = [i for i in result["items"] if i["item_code"] == w.item]
		assert row["breaks"] == [[5, mine.break_rate]], text
		assert f"{other.break_rate}" not in text
		no_leak(text, other, f"catalogue.items as {user}")
	for user, other in [*drivers(w), (w.nobody, w.a), (w.nobody, w.b), ("Guest", w.a)]:
		refused(user, "b2b_mall.api.catalogue.items", other, http="GET", q=w.item, customer=other.customer)


def case_quick_order(w):
	"""Quick-order lines are priced for the caller's own customer; non-buyers and guests: 403."""
	for user, other in buyers(w):
		result, text = api(
			user, "b2b_mall.api.catalogue.quick_order", text=f"{w.item} 1", customer=other.customer
		)
		assert [ln["item_code"] for ln in result["lines"]] == [w.item], text
		no_leak(text, other, f"quick_order as {user}")
	for user, other in [*drivers(w), (w.nobody, w.a), (w.nobody, w.b), ("Guest", w.a)]:
		refused(user, "b2b_mall.api.catalogue.quick_order", other, text=f"{w.item} 1")


def case_reorder(w):
	"""The other customer's order is not found (404) for a buyer, and refused for everyone else; the
	buyer's own order answers its lines."""
	for user, other in buyers(w):
		refused(user, "b2b_mall.api.catalogue.reorder", other, sales_order=other.sales_order)
		mine = w.a if other is w.b else w.b
		result, text = api(user, "b2b_mall.api.catalogue.reorder", sales_order=mine.sales_order)
		assert result["sales_order"] == mine.sales_order, text
		no_leak(text, other, f"reorder as {user}")
	for user, other in [*drivers(w), (w.nobody, w.a), (w.nobody, w.b), ("Guest", w.a)]:
		refused(user, "b2b_mall.api.catalogue.reorder", other, sales_order=other.sales_order)


def case_cart(w):
	"""Each buyer reads and writes only their own cart (a Mall Cart named after the session user),
	whatever user, cart or customer is named: four buyers save four quantities and each reads back
	their own. Drivers, desk logins without a customer and guests: 403."""
	mine_qty = {}
	for n, (user, other) in enumerate(buyers(w), start=1):
		victim = other.buyers[0]
		mine_qty[user] = 10 + n
		result, text = api(
			user,
			"b2b_mall.api.cart.save",
			items=[{"item_code": w.item, "qty": 10 + n}],
			owner=victim,
			name=victim,
			customer=other.customer,
		)
		assert [(ln["item_code"], ln["qty"]) for ln in result["lines"]] == [(w.item, 10 + n)], text
		no_leak(text, other, f"cart.save as {user}")
	for user, other in buyers(w):
		result, text = api(
			user, "b2b_mall.api.cart.get", http="GET", owner=other.buyers[0], name=other.buyers[0]
		)
		assert [(ln["item_code"], ln["qty"]) for ln in result["lines"]] == [(w.item, mine_qty[user])], text
		no_leak(text, other, f"cart.get as {user}")
		assert frappe.db.get_value("Mall Cart", user, "customer") == (w.a if other is w.b else w.b).customer
	for user, other in [*drivers(w), (w.nobody, w.a), (w.nobody, w.b), ("Guest", w.a)]:
		refused(user, "b2b_mall.api.cart.get", other, http="GET", owner=other.buyers[0])
		refused(
			user,
			"b2b_mall.api.cart.save",
			other,
			items=[{"item_code": w.item, "qty": 1}],
			owner=other.buyers[0],
		)
	for user, _other in buyers(w):  # nobody else's save reached a buyer's cart
		assert frappe.get_all("Mall Cart Item", filters={"parent": user}, pluck="qty") == [mine_qty[user]]


def case_rfm_recompute(w):
	"""A full RFM run is for Sales Managers and System Managers only: buyers, drivers, a desk login
	without the roles and guests get 403, whatever customer they name (the role is checked before anything is queued)."""
	for user, other in [*desk_callers(w), ("Guest", w.a)]:
		refused(user, "online_crm.api.rfm.recompute", other, customer=other.customer)


def case_webhook_receive(w):
	"""A guest holding shop A's secret cannot deliver to shop B (and the reverse): the same 401, no data."""
	for mine, other in ((w.a, w.b), (w.b, w.a)):
		raw = json.dumps({"id": 990001, "name": other.external_id, "line_items": []}).encode()
		status, body, _r = call_webhook(raw, shopify_headers(raw, secret=mine.secret), shop=other.shop)
		assert status == 401, body
		no_leak(json.dumps(body), other, "webhook with another shop's name")
		status, body, _r = call_webhook(raw, shopify_headers(raw, secret="guess"), shop=other.shop)
		assert status == 401, body


def case_make_pick_list(w):
	for user, other in desk_callers(w):
		refused(user, "wms_tms.api.waves.make_pick_list", other, wave=other.wave)
	assert not frappe.db.get_value("Pick Wave", w.a.wave, "pick_list")
	assert not frappe.db.get_value("Pick Wave", w.b.wave, "pick_list")


def case_confirm_picked(w):
	for user, other in desk_callers(w):
		refused(user, "wms_tms.api.waves.confirm_picked", other, wave=other.wave)


def case_record_short(w):
	"""A short pick on the other party's wave is recorded by nobody (nor by a desk login without rights)."""
	for user, other in [*pickers(w), *desk_callers(w)]:
		refused(
			user,
			"wms_tms.api.waves.record_short",
			other,
			wave=other.floor_wave,
			row=first_row(other),
			picked_qty=0,
			reason="Damaged",
		)
	assert not frappe.db.count("Pick Wave Short", {"parent": ("in", [w.a.floor_wave, w.b.floor_wave])})


def case_plan_for_wave(w):
	before = frappe.db.count("Delivery Trip")
	for user, other in desk_callers(w):
		refused(
			user,
			"wms_tms.api.trips.plan_for_wave",
			other,
			wave=other.wave,
			vehicle=w.vehicle,
			driver=other.driver,
		)
	assert frappe.db.count("Delivery Trip") == before


def case_retry(w):
	for user, other in desk_callers(w):
		refused(user, "omni_channel.api.orders.retry", other, log_name=other.log)
	assert frappe.db.get_value("Channel Order Log", w.a.log, "status") == "Held"
	assert frappe.db.get_value("Channel Order Log", w.b.log, "status") == "Held"


def case_refund_book(w):
	for user, other in desk_callers(w):
		refused(user, "omni_channel.api.refunds.book", other, name=other.refund)
	assert frappe.db.get_value("Channel Refund", w.a.refund, "status") != "Booked"


def case_settlement_post(w):
	for user, other in desk_callers(w):
		refused(user, "omni_channel.api.settlements.post", other, name=other.settlement)
	assert not frappe.db.get_value("Channel Settlement", w.a.settlement, "journal_entry")
	assert not frappe.db.get_value("Channel Settlement", w.b.settlement, "journal_entry")


def case_settlement_import(w):
	"""A payout file is imported by accounts staff only: nobody else, with either party's shop."""
	sample = APPS.parent / "tests/unit/omni_channel/settlement_files/shopify_payout.json"
	payout_id = str(int(time.time() * 1000))
	content = sample.read_bytes().replace(b"USD", b"CNY").replace(b"512467833", payout_id.encode())
	f = frappe.get_doc({"doctype": "File", "file_name": "payout.json", "content": content, "is_private": 1})
	f.insert(ignore_permissions=True)
	try:
		for user, other in desk_callers(w):
			refused(
				user,
				"omni_channel.api.settlements.import_file",
				other,
				shop=other.shop,
				file_format="shopify",
				file_url=f.file_url,
			)
	finally:
		Path(f.get_full_path()).unlink(missing_ok=True)
	assert not frappe.db.exists("Channel Settlement", {"statement_id": payout_id})


def case_my_trips(w):
	"""A driver sees their own trip only, whatever driver or trip they name; buyers and desk logins are refused."""
	for user, other in drivers(w):
		mine = w.a if other is w.b else w.b
		trips, text = api(
			user, "wms_tms.api.driver.my_trips", http="GET", driver=other.driver, trip=other.trip
		)
		assert [t["name"] for t in trips] == [mine.trip], text
		no_leak(text, other, f"my_trips as {user}")
	for user, other in [*buyers(w), (w.nobody, w.a), (w.nobody, w.b)]:
		refused(user, "wms_tms.api.driver.my_trips", other, http="GET", driver=other.driver)


def case_deliver(w):
	"""Nobody closes the other driver's stop; buyers and desk logins close none."""
	for user, other in [*drivers(w), *buyers(w), (w.nobody, w.a), (w.nobody, w.b)]:
		frappe.local.uploaded_file = builders.png()
		frappe.local.uploaded_filename = "pod.png"
		refused(
			user,
			"wms_tms.api.driver.deliver",
			other,
			stop=other.stop,
			recipient="X",
			cash_collected=other.amount,
		)
	for p in (w.a, w.b):
		assert not frappe.db.get_value("Delivery Stop", p.stop, "visited")
		assert frappe.db.count("Payment Entry Reference", {"reference_name": p.invoice}) == 0


def case_fail(w):
	"""Nobody records a failure on the other driver's stop, not even with a key the other driver used."""
	for user, other in [*drivers(w), *buyers(w), (w.nobody, w.a), (w.nobody, w.b)]:
		refused(user, "wms_tms.api.driver.fail", other, stop=other.stop, reason="Not home")
	key = "shared-key-0001"
	done, _text = api(
		w.a.driver_user, "wms_tms.api.driver.fail", stop=w.a.stop, reason="Refused", idempotency_key=key
	)
	assert done["outcome"] == "Failed"
	# the other driver's resend with the same key finds nothing of A's: the key is per user
	refused(
		w.b.driver_user,
		"wms_tms.api.driver.fail",
		w.a,
		stop=w.a.stop,
		reason="Refused",
		idempotency_key=key,
	)
	assert not frappe.db.get_value("Delivery Stop", w.b.stop, "visited")


def case_dispatch(method: str, http: str = "POST"):
	"""Dispatch a Day reads and plans a store's deliveries: buyers, drivers and a desk login without
	Delivery Trip rights are refused, and no trip is made or submitted."""

	def case(w):
		before = frappe.db.count("Delivery Trip")
		for user, other in desk_callers(w):
			refused(
				user,
				method,
				other,
				http=http,
				store=builders.store(),
				day=nowdate(),
				vehicles=json.dumps([{"vehicle": w.vehicle, "driver": other.driver}]),
			)
		assert frappe.db.count("Delivery Trip") == before
		assert frappe.db.get_value("Delivery Trip", w.a.trip, "docstatus") == 1

	return case


def case_wave_planning(method: str):
	"""Plan Waves reads a store's open orders and makes Pick Waves: buyers, drivers and a desk login
	without Pick Wave rights are refused, and no wave is made."""

	def case(w):
		before = frappe.db.count("Pick Wave")
		for user, other in desk_callers(w):
			refused(
				user,
				method,
				other,
				store=builders.store(),
				carts=2,
				units=100,
				waves=json.dumps([[other.open_order]]),
			)
		assert frappe.db.count("Pick Wave") == before

	return case


def case_stock_alert_request(w):
	"""A draft Material Request from the stock alerts is made by nobody without Material Request rights."""
	before = frappe.db.count("Material Request")
	for user, other in desk_callers(w):
		refused(
			user,
			"wms_tms.api.stock_alerts.make_material_request",
			other,
			lines=json.dumps([{"item": w.item, "warehouse": builders.bin_warehouse("A1-03-L")}]),
		)
	assert frappe.db.count("Material Request") == before


def raw_get(user: str, method: str) -> str:
	"""A GET of a whitelisted method that answers with its own Response (not JSON): its body."""
	from frappe.handler import execute_cmd

	frappe.set_user(user)
	try:
		frappe.local.request = EnvironBuilder(method="GET", path=f"/api/method/{method}").get_request()
		frappe.local.form_dict = frappe._dict(cmd=method)
		frappe.local.response = frappe._dict()
		response = execute_cmd(method)
	finally:
		frappe.set_user("Administrator")
	return response.get_data(as_text=True)


def case_pwa_asset(method: str):
	"""The manifest and the service worker name nobody, whoever asks (the manifest is in the caller's
	language, nothing else of theirs)."""

	def case(w):
		bodies = set()
		for user, other in [*drivers(w), *buyers(w), (w.nobody, w.a), ("Guest", w.a), ("Guest", w.b)]:
			body = raw_get(user, method)
			no_leak(body, other, f"{method} as {user}")
			bodies.add(body.replace("zh", "en"))
		assert all("/driver" in b for b in bodies), f"{method} serves the driver's page"

	return case


def case_cod_cashier(method: str, **args_of):
	"""Only a desk user with rights to post a hand-over (Accounts User) reads or hands over a trip's
	cash: drivers, buyers and a bare desk login are refused, on either trip."""

	def case(w):
		for user, other in desk_callers(w):
			refused(
				user, method, other, **{k: other[v] for k, v in args_of.items()}, counted=1, to_account="x"
			)
		assert not frappe.db.exists("COD Handover", {"delivery_trip": ("in", [w.a.trip, w.b.trip])})

	return case


def pickers(w):
	return [(w.a.picker, w.b), (w.b.picker, w.a)]


def floor_callers(w):
	"""Who must be refused on either party's wave or count: the other picker, buyers, drivers, a bare
	desk login."""
	return pickers(w) + desk_callers(w)


def first_row(p) -> str:
	return frappe.get_all("Pick List Item", filters={"parent": p.pick_list}, pluck="name", order_by="idx")[0]


def case_wave_lines(w):
	"""A picker reads their own wave's lines, none of the other's; everyone else is refused."""
	for user, other in pickers(w):
		mine = w.a if other is w.b else w.b
		data, text = api(user, "wms_tms.api.picking.wave_lines", http="GET", wave=mine.floor_wave)
		assert data["pick_list"] == mine.pick_list and data["lines"], text
		no_leak(text, other, f"wave_lines as {user}")
	for user, other in floor_callers(w):
		refused(user, "wms_tms.api.picking.wave_lines", other, http="GET", wave=other.floor_wave)


def case_pick_scan(w):
	for user, other in floor_callers(w):
		bin_name = frappe.db.get_value("Pick List Item", first_row(other), "warehouse")
		refused(
			user,
			"wms_tms.api.picking.scan",
			other,
			wave=other.floor_wave,
			row=first_row(other),
			bin=bin_name,
			code=w.item,
		)
		refused(
			user,
			"wms_tms.api.picking.scan",
			other,
			wave=other.floor_wave,
			row=first_row(other),
			bin="",
			code=bin_name,
		)
	for p in (w.a, w.b):
		assert not frappe.db.get_value("Pick List Item", first_row(p), "picked_qty")


def case_pick_short(w):
	for user, other in floor_callers(w):
		refused(
			user,
			"wms_tms.api.picking.short",
			other,
			wave=other.floor_wave,
			row=first_row(other),
			reason="Damaged",
		)
	assert not frappe.db.count("Pick Wave Short", {"parent": ("in", [w.a.floor_wave, w.b.floor_wave])})


def case_pick_finish(w):
	for user, other in floor_callers(w):
		refused(user, "wms_tms.api.picking.finish", other, wave=other.floor_wave)
	assert frappe.db.get_value("Pick List", w.a.pick_list, "docstatus") == 0


def case_pack(w):
	"""A draft Delivery Note from a party's Pick List is packed by nobody but that wave's picker."""
	from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note

	for p in (w.a, w.b):
		dn = make_delivery_note(p.open_order)
		dn.pick_list = p.pick_list
		dn.insert(ignore_permissions=True)
		p["draft_note"] = dn.name
	try:
		for user, other in floor_callers(w):
			refused(
				user,
				"wms_tms.api.picking.pack",
				other,
				delivery_note=other.draft_note,
				scanned=json.dumps({w.item: 1}),
			)
		assert frappe.db.get_value("Delivery Note", w.a.draft_note, "docstatus") == 0
	finally:
		w.a.pop("draft_note", None)
		w.b.pop("draft_note", None)


def case_get_waybill(w):
	"""Asking a carrier for a Delivery Note's waybill is a desk action on that note: pickers, buyers,
	drivers and a bare desk login are refused on either party's note, before any carrier is asked."""
	for user, other in floor_callers(w):
		refused(user, "wms_tms.api.parcels.get_waybill", other, delivery_note=other.delivery_note)
	assert not frappe.db.get_value("Delivery Note", w.a.delivery_note, "th_wms_waybill_status")


def case_take_desk(method: str):
	"""Planning and approving a stock take are desk actions on Stock Take: pickers (WMS Picker only),
	buyers, drivers and a bare desk login are refused."""

	def case(w):
		for user, other in floor_callers(w):
			refused(user, method, other, take=other.take)
		assert frappe.db.get_value("Stock Take", w.a.take, "status") == "Counting"

	return case


def case_count_data(w):
	for user, other in pickers(w):
		mine = w.a if other is w.b else w.b
		data, text = api(user, "wms_tms.api.stocktake.count_data", http="GET", take=mine.take)
		assert data["take"] == mine.take, text
		no_leak(text, other, f"count_data as {user}")
	for user, other in floor_callers(w):
		refused(user, "wms_tms.api.stocktake.count_data", other, http="GET", take=other.take)


def case_count_scan(w):
	for user, other in floor_callers(w):
		refused(user, "wms_tms.api.stocktake.scan", other, take=other.take, bin="", code="A1-03-L")
	assert not frappe.db.count("Stock Take Line", {"parent": w.a.take, "counted": 1})


def case_count_finish(w):
	for user, other in floor_callers(w):
		refused(user, "wms_tms.api.stocktake.finish", other, take=other.take)
	assert frappe.db.get_value("Stock Take", w.b.take, "status") == "Counting"


def floor_page(route: str, own: str, **query_of):
	"""/pick and /count show a picker their own wave or count only, whatever they name; buyers,
	drivers and a bare desk login get the 403 page; a guest is sent to log in."""

	def case(w):
		for user, other in pickers(w):
			mine = w.a if other is w.b else w.b
			status, html = page(user, route, **{k: other[v] for k, v in query_of.items()})
			assert status == 200 and mine[own] in html, html[:500]
			no_leak(html, other, f"{route} as {user}")
		for user, other in [*buyers(w), *drivers(w), (w.nobody, w.a), (w.nobody, w.b)]:
			status, html = page(user, route, **{k: other[v] for k, v in query_of.items()})
			assert status in (403, 404), f"{route} as {user}: {status}"
			no_leak(html, other, f"{route} as {user}")
		status, _html = page("Guest", route)
		assert status in (301, 302, 303) and (frappe.local.flags.redirect_location or "").startswith("/login")

	return case


def session_page(route: str, owners, **query_of):
	"""A page keyed on the session: its owners see their own data only, whatever they name in the
	query string; everyone else gets the 403 page."""

	def case(w):
		mine_of = {
			**{u: w.a for u in w.a.buyers + [w.a.driver_user]},
			**{u: w.b for u in w.b.buyers + [w.b.driver_user]},
		}
		allowed = owners(w)
		for user, other in allowed:
			status, html = page(user, route, **{k: other[v] for k, v in query_of.items()})
			assert status == 200, html[:500]
			mine = mine_of[user]
			no_leak(html, other, f"{route} as {user}")
			assert mine.customer in html or mine.trip in html, f"{route} shows {user} their own data"
		for user, other in [*buyers(w), *drivers(w), (w.nobody, w.a), (w.nobody, w.b)]:
			if (user, other) in allowed:
				continue
			status, html = page(user, route, **{k: other[v] for k, v in query_of.items()})
			assert status in (403, 404), f"{route} as {user}: {status}"
			no_leak(html, other, f"{route} as {user}")
		status, _html = page("Guest", route)
		location = frappe.local.flags.redirect_location or ""
		assert status in (301, 302, 303) and location.startswith("/login"), "a guest is sent to log in"

	return case


def case_statement(w):
	session_page("/statement", buyers, customer="customer", party="customer", invoice="invoice")(w)
	for user, other in buyers(w):  # the statement does show the buyer's own invoice
		mine = w.a if other is w.b else w.b
		_s, html = page(user, "/statement")
		assert mine.invoice in html


def erpnext_doc_page(route: str, field: str):
	"""ERPNext's portal page of another customer's document: 403 or 404 for everyone but its customer."""

	def case(w):
		for user, other in [*buyers(w), *drivers(w), (w.nobody, w.a), (w.nobody, w.b)]:
			status, html = page(user, f"{route}/{other[field]}")
			assert status in (403, 404), f"{route}/{other[field]} as {user}: {status}"
			# the refusal page repeats the path the caller sent, nothing of the document behind it
			no_leak(html, other, f"{route}/{other[field]} as {user}", allow=(other[field],))
		for p in (w.a, w.b):  # its own buyers see it
			for user in p.buyers:
				status, html = page(user, f"{route}/{p[field]}")
				assert status == 200 and p[field] in html

	return case


def payment_gateway_on(w) -> frappe._dict:
	"""B2B Mall Payment Settings switched on (in the case's savepoint) with keys made here; a simulated
	Alipay platform to sign notifications."""
	from b2b_mall.erp import payments
	from tests.unit.b2b_mall.alipay_simulator import Simulator, bare_private, bare_public, new_key

	app_key = new_key()
	sim = Simulator("2021000122601111", app_key)
	s = frappe.get_doc(payments.SETTINGS)
	s.update(
		{
			"enabled": 1,
			"provider": "Alipay",
			"app_id": sim.app_id,
			"private_key": bare_private(app_key),
			"platform_public_key": bare_public(sim.platform_key),
			"gateway_url": "http://127.0.0.1:9/gateway.do",
			"notify_url": "http://test.localhost:8000/api/method/b2b_mall.api.payments.notify",
		}
	)
	s.save(ignore_permissions=True)
	frappe.clear_document_cache(payments.SETTINGS, payments.SETTINGS)
	return sim


def case_pay_start(w):
	"""A buyer pays their own customer's balance; the other customer's order or invoice is not found
	(404) and gets no Payment Request; drivers, desk logins and guests are refused."""
	from b2b_mall.erp import payments

	payment_gateway_on(w)
	try:
		for user, other in buyers(w):
			mine = w.a if other is w.b else w.b
			for name in (other.sales_order, other.open_order, other.invoice):
				refused(user, "b2b_mall.api.payments.start", other, what=name, customer=other.customer)
			result, text = api(user, "b2b_mall.api.payments.start", what="balance", customer=other.customer)
			assert frappe.db.get_value(payments.PAYMENT, result["payment"], "customer") == mine.customer
			no_leak(text, other, f"payments.start as {user}")
		for user, other in [*drivers(w), (w.nobody, w.a), (w.nobody, w.b), ("Guest", w.a)]:
			refused(user, "b2b_mall.api.payments.start", other, what=other.open_order)
		for p in (w.a, w.b):
			assert not frappe.db.exists(
				"Payment Request", {"reference_name": ("in", [p.sales_order, p.open_order])}
			)
	finally:
		frappe.clear_document_cache(payments.SETTINGS, payments.SETTINGS)


def case_pay_status(w):
	"""A buyer reads their own customer's online payment; the other's is not found for everyone else."""
	from b2b_mall.erp import payments

	payment_gateway_on(w)
	try:
		paid = {}
		for p in (w.a, w.b):
			frappe.set_user(p.buyers[0])
			paid[p.customer] = payments.start(p.buyers[0], "balance").payment
			frappe.set_user("Administrator")
		for user, other in buyers(w):
			mine = w.a if other is w.b else w.b
			refused(user, "b2b_mall.api.payments.status", other, http="GET", payment=paid[other.customer])
			result, text = api(user, "b2b_mall.api.payments.status", http="GET", payment=paid[mine.customer])
			assert result["name"] == paid[mine.customer] and result["documents"] == [mine.invoice], text
			no_leak(text, other, f"payments.status as {user}")
		for user, other in [*drivers(w), (w.nobody, w.a), (w.nobody, w.b), ("Guest", w.a)]:
			refused(user, "b2b_mall.api.payments.status", other, http="GET", payment=paid[other.customer])
	finally:
		frappe.clear_document_cache(payments.SETTINGS, payments.SETTINGS)


def case_pay_notify(w):
	"""The gateway's guest callback: whoever posts it (a guest, the other customer's buyer), a
	notification not signed by the platform's key pays nothing of A's; 400, the same for everyone."""
	from b2b_mall.api.payments import notify
	from b2b_mall.erp import payments
	from tests.unit.b2b_mall.alipay_simulator import new_key, sign

	sim = payment_gateway_on(w)
	try:
		frappe.set_user(w.a.buyers[0])
		started = payments.start(w.a.buyers[0], "balance")
		frappe.set_user("Administrator")
		fields = sim.notify_fields(started.payment, f"{started.amount:.2f}")
		fields["sign"] = sign(fields, new_key())  # signed, but not by the platform
		for user in ["Guest", *w.b.buyers, w.b.driver_user]:
			frappe.set_user(user)
			frappe.local.request = EnvironBuilder(
				method="POST",
				path=payments.NOTIFY_PATH,
				data=sim.body(fields),
				headers={"Content-Type": "application/x-www-form-urlencoded"},
			).get_request()
			frappe.local.request_ip = "127.0.0.1"
			frappe.local.form_dict = frappe._dict(cmd="b2b_mall.api.payments.notify")
			try:
				response = notify()
			finally:
				frappe.set_user("Administrator")
			body = response.get_data(as_text=True)
			assert response.status_code == 400 and "signature" in body, body
			no_leak(body, w.a, f"payments.notify as {user}")
		assert frappe.db.get_value(payments.PAYMENT, started.payment, "status") == "Pending"
		assert frappe.db.get_value("Sales Invoice", w.a.invoice, "outstanding_amount") == w.a.amount
	finally:
		frappe.clear_document_cache(payments.SETTINGS, payments.SETTINGS)


# ---------------------------------------------------------------- issue 12: buyers, invitations, QR login


def _invitation_for(p) -> str:
	"""A fresh invitation to party p's customer (made by Administrator): its token."""
	from urllib.parse import parse_qs, urlsplit

	from b2b_mall.erp import buyers as mall_buyers

	made = mall_buyers.invite(p.customer, f"invitee-{random_string(8).lower()}@test.local", "Approver")
	return parse_qs(urlsplit(made.url).query)["token"][0]


def _status() -> int:
	return frappe.local.response.get("http_status_code") or 200


def case_invite_buyer(w):
	"""Nobody but a desk user with write on the Customer invites: buyers (whichever customer they
	name), drivers and a bare desk login are refused, and no invitation is made."""
	before = frappe.db.count("B2B Buyer Invitation")
	for user, other in desk_callers(w):
		refused(user, "b2b_mall.api.buyers.invite", other, customer=other.customer, email="x@test.local")
	refused("Guest", "b2b_mall.api.buyers.invite", w.a, customer=w.a.customer, email="x@test.local")
	assert frappe.db.count("B2B Buyer Invitation") == before


def case_accept_invitation(w):
	"""A buyer of one customer holding the other customer's invitation joins nothing (403), and a
	tampered invitation is refused to a guest; the answer names nothing of the other party."""
	for user, other in [(w.a.buyers[0], w.b), (w.b.buyers[0], w.a)]:
		token = _invitation_for(other)
		result, text = api(
			user, "b2b_mall.api.buyers.accept", token=token, full_name="X", password="Passw0rd!x"
		)
		assert _status() == 403 and result["error"] == "other_user", text
		no_leak(text, other, f"accept as {user}")
		assert frappe.db.count("Portal User", {"parent": other.customer}) == 2
		kind, id_, exp, sig = token.split(".")
		result, text = api(
			"Guest",
			"b2b_mall.api.buyers.accept",
			token=f"{kind}.{id_}.{int(exp) + 9}.{sig}",
			full_name="X",
			password="Passw0rd!x",
		)
		assert _status() == 403 and result["error"] == "tampered", text
		no_leak(text, other, "accept a tampered invitation")


def case_qr_start(w):
	"""A login code is only for a logged-out browser; it carries nobody's data."""
	from frappe.auth import CookieManager

	frappe.local.cookie_manager = CookieManager()  # the secret goes into a cookie, as in a request
	result, text = api("Guest", "b2b_mall.api.buyers.qr_start")
	assert result["url"] and result["qr"]
	no_leak(text, w.a, "qr_start")
	no_leak(text, w.b, "qr_start")
	for user, _other in [*buyers(w), *drivers(w)]:
		with pytest.raises(frappe.ValidationError):
			api(user, "b2b_mall.api.buyers.qr_start")


def case_qr_poll(w):
	"""Another browser polling a code it saw (its id) gets 403 and no session, whoever it is."""
	from b2b_mall.erp import buyers as mall_buyers

	started = mall_buyers.qr_start()
	for user, other in [*buyers(w), *drivers(w), ("Guest", w.a)]:
		result, text = api(user, "b2b_mall.api.buyers.qr_poll", id=started.id)
		assert _status() == 403 and result["error"] == "other_browser", text
		no_leak(text, other, f"qr_poll as {user}")


def case_qr_approve(w):
	"""Only a buyer approves a login (as themselves); drivers, desk logins and guests are refused."""
	from b2b_mall.erp import buyers as mall_buyers

	started = mall_buyers.qr_start()
	token = started.url.split("t=", 1)[1]
	for user, other in [*drivers(w), (w.nobody, w.a), ("Guest", w.b)]:
		refused(user, "b2b_mall.api.buyers.qr_approve", other, token=token)
	result, text = api(w.a.buyers[0], "b2b_mall.api.buyers.qr_approve", token=token)
	assert result == {"status": "approved"}, text
	no_leak(text, w.b, "qr_approve")


def case_decide_approval(w):
	"""An approver decides on their own customer's waiting orders only: the other customer's is not
	found for every buyer, refused to everyone else, and stays waiting."""
	for p in (w.a, w.b):
		row = frappe.db.get_value("Portal User", {"parent": p.customer, "user": p.buyers[0]})
		frappe.db.set_value("Portal User", row, "th_b2b_role", "Approver")
		so = frappe.get_doc(
			{
				"doctype": "Sales Order",
				"customer": p.customer,
				"company": builders.company(),
				"selling_price_list": "Wholesale Gold",
				"delivery_date": add_days(nowdate(), 1),
				"set_warehouse": builders.bin_warehouse("A1-03-L"),
				"th_b2b_approval": "Awaiting Approval",
				"th_b2b_ordered_by": p.buyers[1],
				"items": [{"item_code": w.item, "qty": 1}],
			}
		).insert(ignore_permissions=True)
		p.waiting = so.name
	for user, other in [*buyers(w), *drivers(w), (w.nobody, w.a), (w.nobody, w.b), ("Guest", w.a)]:
		for decision in ("approve", "reject"):
			refused(
				user, "b2b_mall.api.approvals.decide", other, sales_order=other.waiting, decision=decision
			)
	for p in (w.a, w.b):
		assert frappe.db.get_value("Sales Order", p.waiting, ["docstatus", "th_b2b_approval"]) == (
			0,
			"Awaiting Approval",
		)


def case_mall_login_page(w):
	"""/mall-login is for logged-out browsers: it shows nobody's data; a logged-in user goes to /mall."""
	status, html = page("Guest", "/mall-login")
	assert status == 200 and 'id="qr-img"' in html
	for user, other in [*buyers(w), *drivers(w)]:
		status, html = page(user, "/mall-login")
		assert status in (301, 302, 303), f"/mall-login as {user}: {status}"
		no_leak(html, other, f"/mall-login as {user}")


def case_mall_invite_page(w):
	"""The invitation page shows an invitation only to a valid link; a tampered one shows nothing of it."""
	for p in (w.a, w.b):
		kind, id_, exp, sig = _invitation_for(p).split(".")
		for user, _o in [*buyers(w), *drivers(w), ("Guest", p)]:
			status, html = page(user, "/mall-invite", token=f"{kind}.{id_}.{exp}.{sig[::-1]}")
			assert status == 200 and 'id="invite-refused"' in html
			no_leak(html, p, f"/mall-invite as {user}")


def case_mall_scan_page(w):
	"""The phone's approval page: buyers only (the 403 page for drivers and desk logins), login for a guest."""
	from b2b_mall.erp import buyers as mall_buyers

	token = mall_buyers.qr_start().url.split("t=", 1)[1]
	for user, other in buyers(w):
		status, html = page(user, "/mall-scan", t=token)
		assert status == 200 and user in html
		no_leak(html, other, f"/mall-scan as {user}")
	for user, other in [*drivers(w), (w.nobody, w.a)]:
		status, html = page(user, "/mall-scan", t=token)
		assert status in (403, 404), f"/mall-scan as {user}: {status}"
		no_leak(html, other, f"/mall-scan as {user}")
	status, _html = page("Guest", "/mall-scan", t=token)
	assert status in (301, 302, 303) and (frappe.local.flags.redirect_location or "").startswith("/login")


def case_confirm_statement(w):
	"""A buyer confirms or disputes their own customer's statement only, whatever customer they name;
	everyone else is refused."""
	for user, other in buyers(w):
		mine = w.a if other is w.b else w.b
		result, text = api(
			user,
			"b2b_mall.api.account.confirm_statement",
			from_date=add_days(nowdate(), -30),
			to_date=nowdate(),
			status="Disputed",
			comment="wrong",
			customer=other.customer,
		)
		assert frappe.db.get_value("Mall Statement Confirmation", result["name"], "customer") == mine.customer
		no_leak(text, other, f"confirm_statement as {user}")
	for user, other in [*drivers(w), (w.nobody, w.a), (w.nobody, w.b), ("Guest", w.a)]:
		refused(
			user,
			"b2b_mall.api.account.confirm_statement",
			other,
			from_date=nowdate(),
			to_date=nowdate(),
			status="Confirmed",
			customer=other.customer,
		)
	assert not frappe.db.exists(
		"Mall Statement Confirmation",
		{"status": "Confirmed", "customer": ("in", [w.a.customer, w.b.customer])},
	)


def case_proof_of_delivery(w):
	"""The driver's photo of A's delivery: A's buyers get it; B's buyers, drivers and desk logins: 404/403."""
	from wms_tms.erp.delivery import close_stop

	close_stop(w.a.stop, w.a.driver, "Mr A", builders.png(), w.a.amount)
	for user in w.a.buyers:
		response, _text = api(
			user, "b2b_mall.api.account.proof_of_delivery", http="GET", delivery_note=w.a.delivery_note
		)
		assert response.status_code == 200 and response.get_data().startswith(b"\x89PNG")
	for user, _other in [*buyers(w), *drivers(w), (w.nobody, w.a), ("Guest", w.a)]:
		if user in w.a.buyers:
			continue
		refused(
			user, "b2b_mall.api.account.proof_of_delivery", w.a, http="GET", delivery_note=w.a.delivery_note
		)


def case_points(w):
	"""Points are the caller's own customer's; non-buyers are refused."""
	for user, other in buyers(w):
		mine = w.a if other is w.b else w.b
		result, text = api(user, "b2b_mall.api.account.points", http="GET", customer=other.customer)
		assert result["customer"] == mine.customer, text
		no_leak(text, other, f"points as {user}")
	for user, other in [*drivers(w), (w.nobody, w.a), (w.nobody, w.b), ("Guest", w.a)]:
		refused(user, "b2b_mall.api.account.points", other, http="GET", customer=other.customer)


def case_my_order(w):
	"""/my/order of the other customer's order: 404 (403 for non-buyers); its own buyers see it, with
	its invoice; a guest is sent to log in."""
	for user, other in [*buyers(w), *drivers(w), (w.nobody, w.a), (w.nobody, w.b)]:
		status, html = page(user, "/my/order", name=other.sales_order)
		assert status in (403, 404), f"/my/order?name={other.sales_order} as {user}: {status}"
		no_leak(html, other, f"/my/order as {user}", allow=(other.sales_order,))
	for p in (w.a, w.b):
		for user in p.buyers:
			status, html = page(user, "/my/order", name=p.sales_order)
			assert status == 200 and p.sales_order in html and p.invoice in html
	status, _html = page("Guest", "/my/order", name=w.a.sales_order)
	assert status in (301, 302, 303) and (frappe.local.flags.redirect_location or "").startswith("/login")


def case_crm_doc_methods(w):
	"""online_crm's form buttons (CRM Outreach "Send", CRM Member Import "Import") run as document
	methods: buyers, drivers and a bare desk login are refused, and nothing is sent or imported."""
	outreach = frappe.get_doc(
		{
			"doctype": "CRM Outreach",
			"title": "Cross-party",
			"send_by": "E-mail",
			"subject": "Hi",
			"message": "Hi",
		}
	).insert()
	f = frappe.get_doc(
		{"doctype": "File", "file_name": "m.csv", "content": b"name,phone\nA,13900000000\n", "is_private": 1}
	).insert(ignore_permissions=True)
	members = frappe.get_doc({"doctype": "CRM Member Import", "import_file": f.file_url}).insert()
	from frappe.handler import run_doc_method  # what the form's frm.call posts to

	for user, other in desk_callers(w):
		for dt, dn, method in (
			("CRM Outreach", outreach.name, "send"),
			("CRM Member Import", members.name, "run_import"),
		):
			frappe.local.message_log = []
			with pytest.raises(REFUSED) as e:
				as_user(user, run_doc_method, method, dt=dt, dn=dn)
			no_leak(said(str(e.value)), other, f"{dt}.{method} as {user}")
	assert frappe.db.get_value("CRM Outreach", outreach.name, "status") == "Draft"
	assert frappe.db.get_value("CRM Member Import", members.name, "status") == "Draft"


CASES = {
	"b2b_mall.api.orders.place_order": case_place_order,
	"b2b_mall.api.catalogue.items": case_catalogue_items,
	"b2b_mall.api.catalogue.quick_order": case_quick_order,
	"b2b_mall.api.catalogue.reorder": case_reorder,
	"b2b_mall.api.cart.get": case_cart,
	"b2b_mall.api.cart.save": case_cart,
	"omni_channel.api.webhooks.receive": case_webhook_receive,
	"omni_channel.api.orders.retry": case_retry,
	"omni_channel.api.refunds.book": case_refund_book,
	"omni_channel.api.settlements.post": case_settlement_post,
	"omni_channel.api.settlements.import_file": case_settlement_import,
	"wms_tms.api.waves.make_pick_list": case_make_pick_list,
	"wms_tms.api.waves.confirm_picked": case_confirm_picked,
	"wms_tms.api.waves.record_short": case_record_short,
	"wms_tms.api.trips.plan_for_wave": case_plan_for_wave,
	"wms_tms.api.driver.my_trips": case_my_trips,
	"wms_tms.api.driver.deliver": case_deliver,
	"wms_tms.api.driver.fail": case_fail,
	"wms_tms.api.driver_pwa.manifest": case_pwa_asset("wms_tms.api.driver_pwa.manifest"),
	"wms_tms.api.driver_pwa.service_worker": case_pwa_asset("wms_tms.api.driver_pwa.service_worker"),
	"wms_tms.api.cod.trip_cash": case_cod_cashier("wms_tms.api.cod.trip_cash", trip="trip"),
	"wms_tms.api.cod.hand_over": case_cod_cashier("wms_tms.api.cod.hand_over", trip="trip"),
	"wms_tms.api.dispatch.day": case_dispatch("wms_tms.api.dispatch.day", http="GET"),
	"wms_tms.api.dispatch.plan": case_dispatch("wms_tms.api.dispatch.plan"),
	"wms_tms.api.dispatch.send": case_dispatch("wms_tms.api.dispatch.send"),
	"wms_tms.api.wave_planning.propose": case_wave_planning("wms_tms.api.wave_planning.propose"),
	"wms_tms.api.wave_planning.evaluate": case_wave_planning("wms_tms.api.wave_planning.evaluate"),
	"wms_tms.api.wave_planning.accept": case_wave_planning("wms_tms.api.wave_planning.accept"),
	"wms_tms.api.stock_alerts.make_material_request": case_stock_alert_request,
	"wms_tms.api.picking.wave_lines": case_wave_lines,
	"wms_tms.api.picking.scan": case_pick_scan,
	"wms_tms.api.picking.short": case_pick_short,
	"wms_tms.api.picking.finish": case_pick_finish,
	"wms_tms.api.picking.pack": case_pack,
	"wms_tms.api.parcels.get_waybill": case_get_waybill,
	"wms_tms.api.stocktake.make_lines": case_take_desk("wms_tms.api.stocktake.make_lines"),
	"wms_tms.api.stocktake.approve": case_take_desk("wms_tms.api.stocktake.approve"),
	"wms_tms.api.stocktake.count_data": case_count_data,
	"wms_tms.api.stocktake.scan": case_count_scan,
	"wms_tms.api.stocktake.finish": case_count_finish,
	"www:wms_tms/pick": floor_page("/pick", "floor_wave", wave="floor_wave"),
	"www:wms_tms/count": floor_page("/count", "take", take="take"),
	"www:b2b_mall/mall": session_page("/mall", buyers, customer="customer", party="customer"),
	"www:b2b_mall/statement": case_statement,
	"b2b_mall.api.account.confirm_statement": case_confirm_statement,
	"b2b_mall.api.account.proof_of_delivery": case_proof_of_delivery,
	"b2b_mall.api.account.points": case_points,
	"www:b2b_mall/my/orders": session_page("/my/orders", buyers, customer="customer", order="sales_order"),
	"www:b2b_mall/my/points": session_page("/my/points", buyers, customer="customer"),
	"www:b2b_mall/my/order": case_my_order,
	"b2b_mall.api.buyers.invite": case_invite_buyer,
	"b2b_mall.api.buyers.accept": case_accept_invitation,
	"b2b_mall.api.buyers.qr_start": case_qr_start,
	"b2b_mall.api.buyers.qr_poll": case_qr_poll,
	"b2b_mall.api.buyers.qr_approve": case_qr_approve,
	"b2b_mall.api.approvals.decide": case_decide_approval,
	"www:b2b_mall/mall-login": case_mall_login_page,
	"www:b2b_mall/mall-invite": case_mall_invite_page,
	"www:b2b_mall/mall-scan": case_mall_scan_page,
	"www:b2b_mall/mall-approvals": session_page("/mall-approvals", buyers, customer="customer"),
	"b2b_mall.api.payments.start": case_pay_start,
	"b2b_mall.api.payments.status": case_pay_status,
	"b2b_mall.api.payments.notify": case_pay_notify,
	"www:b2b_mall/mall-pay": session_page(
		"/mall-pay", buyers, customer="customer", order="sales_order", payment="invoice"
	),
	"www:wms_tms/driver": session_page("/driver", drivers, driver="driver", trip="trip"),
	"erpnext:/orders/<name>": erpnext_doc_page("/orders", "sales_order"),
	"online_crm.api.rfm.recompute": case_rfm_recompute,
	"doc:CRM Outreach.send": case_crm_doc_methods,
	"doc:CRM Member Import.run_import": case_crm_doc_methods,
	"erpnext:/invoices/<name>": erpnext_doc_page("/invoices", "invoice"),
}


# ---------------------------------------------------------------- the walk


def whitelisted_endpoints() -> dict[str, str]:
	"""Every whitelisted function reachable as <app>.api.<module>.<fn> or <app>.www.<page>.<fn>,
	mapped to where it is defined (the name its case is filed under)."""
	found = {}
	for path in sorted([*APPS.glob("*/*/api/*.py"), *APPS.glob("*/*/www/**/*.py")]):
		rel = path.relative_to(APPS / path.relative_to(APPS).parts[0]).with_suffix("")
		module = importlib.import_module(".".join(rel.parts))
		for name, fn in vars(module).items():
			if callable(fn) and (fn in frappe.whitelisted or fn in getattr(frappe, "guest_methods", ())):
				found[f"{module.__name__}.{name}"] = f"{fn.__module__}.{fn.__qualname__}"
	return found


def www_pages() -> list[str]:
	pages = set()
	for path in APPS.glob("*/*/www/**/*"):
		if path.suffix in (".html", ".md", ".py") and path.name != "__init__.py":
			rel = path.relative_to(APPS / path.relative_to(APPS).parts[0])
			route = "/".join(rel.with_suffix("").parts[2:])
			if path.suffix == ".py" and path.with_name(path.stem.replace("_", "-") + ".html").exists():
				route = route.replace("_", "-")  # the controller of a hyphenated page (mall_login.py)
			pages.add(f"www:{rel.parts[0]}/{route.removesuffix('/index').removesuffix('index') or '/'}")
	return sorted(pages)


def uncovered(cases: dict) -> list[str]:
	endpoints = whitelisted_endpoints()
	assert "b2b_mall.api.orders.place_order" in endpoints, "the walk finds the endpoints"
	missing = sorted(
		{f"{alias} (defined as {home})" for alias, home in endpoints.items() if home not in cases}
	)
	return missing + [p for p in www_pages() if p not in cases]


def test_every_endpoint_and_page_has_a_cross_party_case(site):
	frappe.db.rollback()
	missing = uncovered(CASES)
	assert not missing, f"no cross-party case for: {missing}; add one to CASES"
	endpoints = set(whitelisted_endpoints().values())
	stale = [k for k in CASES if ":" not in k and k not in endpoints]
	assert not stale, f"cases for endpoints that no longer exist: {stale}"
	# and the walk does notice a missing case, for a method and for a page
	for key in ("wms_tms.api.driver.deliver", "www:b2b_mall/statement"):
		assert any(m.startswith(key) for m in uncovered({k: v for k, v in CASES.items() if k != key}))


@pytest.mark.parametrize("endpoint", list(CASES))
def test_no_data_crosses_parties(each_case, endpoint):
	CASES[endpoint](each_case)
