"""Online payment on a real site: a buyer pays an order (an advance on the Sales Order, or through
its invoices) or the balance due; the Alipay notification, signed by a simulated platform with keys
made here, arrives at the real guest endpoint and becomes submitted Payment Entries made by
ERPNext (Payment Request.set_as_paid → get_payment_entry). A replay posts nothing twice; a tampered,
foreign or wrong-amount notification is refused (400, logged) and posts nothing; a payment that never
returns is expired, its Payment Requests cancelled, the buyer pays again, and the late notification
is flagged for a refund, never posted.

The module's world is built once, in one transaction rolled back at its end; each test runs in a
savepoint of it."""

import time
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import frappe
import pytest
from erpnext.selling.doctype.sales_order.sales_order import make_sales_invoice
from frappe.utils import add_days, add_to_date, flt, now_datetime, nowdate, random_string
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from b2b_mall.erp import payments
from tests.bench import builders
from tests.unit.b2b_mall.alipay_simulator import Simulator, bare_private, bare_public, new_key

APP_ID = "2021000122609999"


def sales_order(customer: str, item: str, qty: float):
	so = frappe.get_doc(
		{
			"doctype": "Sales Order",
			"customer": customer,
			"company": builders.company(),
			"selling_price_list": "Wholesale Gold",
			"delivery_date": add_days(nowdate(), 1),
			"set_warehouse": builders.bin_warehouse("A1-03-L"),
			"items": [{"item_code": item, "qty": qty}],
		}
	)
	so.insert(ignore_permissions=True)
	so.submit()
	return so


def invoice(so_name: str):
	si = make_sales_invoice(so_name, ignore_permissions=True)
	si.insert(ignore_permissions=True)
	si.submit()
	return si


def buyer_of(customer: str) -> str:
	"""A Website User in the customer's Portal Users with the Customer role, as ERPNext leaves it, written
	without User.validate: that rewrites a site-wide default row which any other suite's open
	transaction that saved a user keeps locked (a 50 s wait on a shared site)."""
	email = f"payer-{random_string(8).lower()}@test.local"
	user = frappe.get_doc(
		{
			"doctype": "User",
			"email": email,
			"first_name": "Payer",
			"user_type": "Website User",
			"send_welcome_email": 0,
			"roles": [{"role": "Customer"}],
		}
	)
	user.flags.ignore_validate = True
	user.flags.no_welcome_mail = True
	user.insert(ignore_permissions=True)
	frappe.get_doc(
		{
			"doctype": "Portal User",
			"parenttype": "Customer",
			"parentfield": "portal_users",
			"parent": customer,
			"user": email,
			"idx": 1,
		}
	).db_insert()
	return email


def build() -> frappe._dict:
	app_key = new_key()
	sim = Simulator(APP_ID, app_key).__enter__()
	s = frappe.get_doc(payments.SETTINGS)
	s.update(
		{
			"enabled": 1,
			"provider": "Alipay",
			"method": "alipay.trade.page.pay",
			"app_id": APP_ID,
			"private_key": bare_private(app_key),
			"platform_public_key": bare_public(sim.platform_key),
			"gateway_url": sim.gateway_url,
			"notify_url": "http://test.localhost:8000" + payments.NOTIFY_PATH,
			"pay_within_minutes": 15,
			"receiving_account": f"Bank Account - {builders.abbr()}",
		}
	)
	s.save(ignore_permissions=True)
	item = builders.item_with_stock(0, price=123.45)  # orders are paid, not delivered: no stock needed
	cust = builders.customer("Gold Dealers")
	other = builders.customer("Gold Dealers")
	return frappe._dict(
		sim=sim,
		item=item,
		customer=cust.name,
		buyer=buyer_of(cust.name),
		other=other.name,
		other_buyer=buyer_of(other.name),
	)


@pytest.fixture(autouse=True)
def rollback(site):
	yield


@pytest.fixture(scope="module")
def world(site):
	for attempt in range(4):  # other suites on the shared site may hold the rows a new user or order locks
		frappe.db.rollback()
		frappe.set_user("Administrator")
		try:
			built = build()
			break
		except (frappe.QueryDeadlockError, frappe.QueryTimeoutError):
			if attempt == 3:
				raise
			time.sleep(1 + attempt)
	yield built
	built.sim.__exit__(None, None, None)
	frappe.db.rollback()
	frappe.clear_document_cache(payments.SETTINGS, payments.SETTINGS)
	frappe.set_user("Administrator")


@pytest.fixture
def w(world, monkeypatch):
	# fresh_transaction() commits a transaction that has written nothing, and Frappe counts a rollback
	# to a savepoint as a rollback (zero writes): here it would commit the module's world
	monkeypatch.setattr(payments, "fresh_transaction", lambda: None)
	frappe.db.savepoint("mall_payment_case")
	yield world
	frappe.db.rollback(save_point="mall_payment_case")
	frappe.clear_document_cache(payments.SETTINGS, payments.SETTINGS)
	frappe.set_user("Administrator")
	frappe.local.response = frappe._dict()


# ------------------------------------------------------------ helpers


def start(user: str, what: str) -> frappe._dict:
	frappe.set_user(user)
	try:
		return payments.start(user, what)
	finally:
		frappe.set_user("Administrator")


def notify(body: bytes, content_type="application/x-www-form-urlencoded; charset=utf-8") -> tuple[int, str]:
	"""The real guest endpoint, inside this transaction: (status, body)."""
	from b2b_mall.api.payments import notify as endpoint

	env = EnvironBuilder(
		method="POST", path=payments.NOTIFY_PATH, data=body, headers={"Content-Type": content_type}
	).get_environ()
	frappe.local.request = Request(env)
	frappe.local.request_ip = "127.0.0.1"
	frappe.local.form_dict = frappe._dict(cmd="b2b_mall.api.payments.notify")
	frappe.set_user("Guest")
	try:
		response = endpoint()
	finally:
		frappe.set_user("Administrator")
	return response.status_code, response.get_data(as_text=True)


def paid_notice(w, started: frappe._dict, amount=None, **kw) -> bytes:
	return w.sim.body(w.sim.notify_fields(started.payment, amount or f"{started.amount:.2f}", **kw))


def entries_for(dt: str, dn: str) -> list[frappe._dict]:
	return frappe.db.sql(
		"""select pe.name, pe.docstatus, pe.paid_amount, pe.paid_to, per.allocated_amount, per.payment_request
		from `tabPayment Entry Reference` per join `tabPayment Entry` pe on pe.name = per.parent
		where per.reference_doctype = %s and per.reference_name = %s and pe.docstatus < 2""",
		(dt, dn),
		as_dict=True,
	)


def payment(name: str) -> frappe._dict:
	return frappe.db.get_value(payments.PAYMENT, name, ["status", "gateway_trade_no", "log"], as_dict=True)


# ------------------------------------------------------------ paying


def test_an_order_not_invoiced_is_paid_as_one_advance_and_a_replay_posts_nothing(w):
	so = sales_order(w.customer, w.item, 4)
	started = start(w.buyer, so.name)
	assert started.amount == flt(so.rounded_total or so.grand_total)
	# the URL is the simulated platform's, signed so that the platform accepts it
	base, query = started.url.split("?", 1)
	assert base == w.sim.gateway_url
	params = dict(parse_qsl(query, keep_blank_values=True))
	assert w.sim.check_request(params) == (True, "ok")
	assert f'"out_trade_no":"{started.payment}"' in params["biz_content"]
	assert urlsplit(params["return_url"]).path == "/mall-pay"

	body = paid_notice(w, started)
	assert notify(body) == (200, "success")
	[pe] = entries_for("Sales Order", so.name)
	assert pe.docstatus == 1 and flt(pe.allocated_amount) == started.amount
	assert pe.paid_to == f"Bank Account - {builders.abbr()}"
	assert flt(frappe.db.get_value("Sales Order", so.name, "advance_paid")) == started.amount
	assert frappe.db.get_value("Payment Request", pe.payment_request, "status") == "Paid"
	assert payment(started.payment).status == "Paid"

	for _ in range(2):  # the platform retries: the same notification, again and again
		assert notify(body) == (200, "success")
	assert len(entries_for("Sales Order", so.name)) == 1
	assert "replay" in payment(started.payment).log
	# the order shows as paid to the buyer, and asks nothing more
	frappe.set_user(w.buyer)
	[row] = [o for o in payments.overview(w.buyer).orders if o.name == so.name]
	frappe.set_user("Administrator")
	assert row.due == 0
	with pytest.raises(payments.NothingToPay):
		start(w.buyer, so.name)


def test_an_invoiced_order_is_paid_against_its_invoice(w):
	so = sales_order(w.customer, w.item, 2)
	si = invoice(so.name)
	started = start(w.buyer, so.name)
	assert started.amount == flt(si.outstanding_amount)
	assert notify(paid_notice(w, started)) == (200, "success")
	[pe] = entries_for("Sales Invoice", si.name)
	assert pe.docstatus == 1 and flt(pe.allocated_amount) == flt(si.grand_total)
	assert flt(frappe.db.get_value("Sales Invoice", si.name, "outstanding_amount")) == 0
	assert not entries_for("Sales Order", so.name)


def test_the_balance_due_pays_every_open_invoice_in_one_trade(w):
	first, second = (
		invoice(sales_order(w.customer, w.item, 1).name),
		invoice(sales_order(w.customer, w.item, 3).name),
	)
	started = start(w.buyer, "balance")
	assert started.amount == flt(first.grand_total) + flt(second.grand_total)
	assert notify(paid_notice(w, started)) == (200, "success")
	for si in (first, second):
		assert flt(frappe.db.get_value("Sales Invoice", si.name, "outstanding_amount")) == 0
		assert len(entries_for("Sales Invoice", si.name)) == 1
	assert notify(paid_notice(w, started)) == (200, "success")
	assert sum(len(entries_for("Sales Invoice", si.name)) for si in (first, second)) == 2


def test_a_second_press_continues_the_same_payment_and_an_overlapping_one_waits(w):
	invoice(sales_order(w.customer, w.item, 2).name)  # the balance is more than the order below
	so = sales_order(w.customer, w.item, 1)
	si = invoice(so.name)
	one, again = start(w.buyer, so.name), start(w.buyer, so.name)
	assert one.payment == again.payment and one.amount == again.amount
	assert frappe.db.count(payments.PAYMENT, {"customer": w.customer, "status": "Pending"}) == 1
	with pytest.raises(payments.PaymentUnderWay):
		start(w.buyer, "balance")  # the balance includes si, which the first payment is paying
	assert frappe.db.count("Payment Request", {"reference_name": si.name, "docstatus": 1}) == 1


def test_another_customers_order_is_not_found(w):
	so = sales_order(w.other, w.item, 1)
	with pytest.raises(frappe.DoesNotExistError):
		start(w.buyer, so.name)
	assert not frappe.db.exists("Payment Request", {"reference_name": so.name})


# ------------------------------------------------------------ refusals


def assert_refused(w, started, so, body, reason: str, verified: bool = False):
	before = frappe.db.count("Error Log", {"method": ("like", f"%refused: {reason}%")})
	status, text = notify(body)
	assert status == 400 and reason in text, text
	assert not entries_for("Sales Order", so.name)
	assert payment(started.payment).status == "Pending"
	assert (
		frappe.db.get_value("Payment Request", {"reference_name": so.name, "docstatus": 1}, "status")
		== "Requested"
	)
	# logged with the reason; on the payment's own log only once the platform's signature holds
	assert frappe.db.count("Error Log", {"method": ("like", f"%refused: {reason}%")}) == before + 1
	assert (f"refused: {reason}" in payment(started.payment).log) is verified


def test_a_tampered_notification_posts_nothing(w):
	so = sales_order(w.customer, w.item, 2)
	started = start(w.buyer, so.name)
	fields = w.sim.notify_fields(started.payment, f"{started.amount:.2f}")
	fields["trade_status"] = "TRADE_SUCCESS"
	fields["total_amount"] = "0.01"  # changed after the platform signed it
	assert_refused(w, started, so, w.sim.body(fields), "signature")


def test_a_signed_notification_with_the_wrong_amount_posts_nothing(w):
	so = sales_order(w.customer, w.item, 2)
	started = start(w.buyer, so.name)
	body = paid_notice(w, started, amount=f"{Decimal(str(started.amount)) - Decimal('0.01'):.2f}")
	assert_refused(w, started, so, body, "amount", verified=True)


def test_a_notification_for_another_app_posts_nothing(w):
	so = sales_order(w.customer, w.item, 2)
	started = start(w.buyer, so.name)
	assert_refused(w, started, so, paid_notice(w, started, app_id="2021000100000001"), "app_id")


def test_an_unknown_trade_and_a_json_body_are_refused(w):
	status, text = notify(w.sim.body(w.sim.notify_fields("MOP-1999-99999", "10.00")))
	assert status == 400 and "unknown_trade" in text
	status, text = notify(b'{"out_trade_no": "x"}', "application/json")
	assert status == 400 and "malformed" in text


# ------------------------------------------------------------ payments that never return


def test_an_expired_payment_is_cancelled_the_buyer_pays_again_and_the_late_notice_is_flagged(w):
	so = sales_order(w.customer, w.item, 3)
	old = start(w.buyer, so.name)
	old_pr = frappe.db.get_value("B2B Mall Online Payment Item", {"parent": old.payment}, "payment_request")
	# not yet due: the job leaves it alone
	assert old.payment not in payments.expire_stale(commit=False)
	frappe.db.set_value(payments.PAYMENT, old.payment, "expires_at", add_to_date(now_datetime(), minutes=-10))
	assert old.payment in payments.expire_stale(commit=False)
	assert payment(old.payment).status == "Expired"
	assert frappe.db.get_value("Payment Request", old_pr, ["docstatus", "status"]) == (2, "Cancelled")

	new = start(w.buyer, so.name)  # nothing stuck: a new payment, a new Payment Request
	assert new.payment != old.payment and new.amount == old.amount

	# the buyer had paid the old trade at the last second after all: flagged, never posted
	before = frappe.db.count("Error Log", {"reference_name": old.payment})
	assert notify(paid_notice(w, old)) == (200, "success")
	assert payment(old.payment).status == "Refund Needed"
	assert "REFUND NEEDED" in payment(old.payment).log
	assert frappe.db.count("Error Log", {"reference_name": old.payment}) == before + 1
	assert not entries_for("Sales Order", so.name)
	assert notify(paid_notice(w, old)) == (200, "success")  # its replays too
	assert not entries_for("Sales Order", so.name)

	assert notify(paid_notice(w, new)) == (200, "success")
	assert len(entries_for("Sales Order", so.name)) == 1
	assert flt(frappe.db.get_value("Sales Order", so.name, "advance_paid")) == new.amount


def test_a_press_after_the_time_is_up_expires_the_old_payment_first(w):
	so = sales_order(w.customer, w.item, 1)
	old = start(w.buyer, so.name)
	frappe.db.set_value(payments.PAYMENT, old.payment, "expires_at", add_to_date(now_datetime(), minutes=-10))
	new = start(w.buyer, so.name)
	assert new.payment != old.payment and payment(old.payment).status == "Expired"
	assert frappe.db.count("Payment Request", {"reference_name": so.name, "docstatus": 1}) == 1
