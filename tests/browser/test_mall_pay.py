"""A buyer pays an order online on a phone: /mall-pay → Pay → the (loopback, simulated) Alipay
cashier → Pay there: the platform POSTs its signed notification to the site, the buyer returns and
sees the order paid, and ERPNext holds the submitted Payment Entry. And the refusal: a notification
tampered with after signing is answered 400 and posts nothing; the order still asks to be paid
(shown in Chinese for a buyer who reads Chinese).

The simulator is an HTTP server on 127.0.0.1 started here, with keys generated here; B2B Mall
Payment Settings point at it for the module and are put back afterwards."""

import json
from urllib.parse import parse_qsl, urlsplit

import frappe
import pytest
from frappe.utils import add_days, flt, nowdate

from b2b_mall.erp import payments
from tests.bench import builders
from tests.browser.conftest import PASSWORD, SHOTS, set_password
from tests.unit.b2b_mall.alipay_simulator import Simulator, bare_private, bare_public, new_key

APP_ID = "2021000122607777"
FIELDS = (
	"enabled",
	"provider",
	"method",
	"app_id",
	"gateway_url",
	"notify_url",
	"pay_within_minutes",
	"receiving_account",
)


def committed(fn, *args, tries: int = 4):
	"""Make and commit test data, retrying a lock another suite holds on the shared site."""
	for attempt in range(tries):
		try:
			out = fn(*args)
			frappe.db.commit()
			return out
		except (frappe.QueryDeadlockError, frappe.QueryTimeoutError):
			frappe.db.rollback()
			if attempt == tries - 1:
				raise


@pytest.fixture(scope="module")
def sim(site, base_url):
	app_key = new_key()
	with Simulator(APP_ID, app_key) as s:
		doc = frappe.get_doc(payments.SETTINGS)
		saved = {f: doc.get(f) for f in FIELDS}
		keys = {f: doc.get_password(f, raise_exception=False) for f in ("private_key", "platform_public_key")}
		doc.update(
			{
				"enabled": 1,
				"provider": "Alipay",
				"method": "alipay.trade.page.pay",
				"app_id": APP_ID,
				"private_key": bare_private(app_key),
				"platform_public_key": bare_public(s.platform_key),
				"gateway_url": s.gateway_url,
				"notify_url": base_url + payments.NOTIFY_PATH,
				"pay_within_minutes": 30,
				"receiving_account": f"Bank Account - {builders.abbr()}",
			}
		)
		doc.save(ignore_permissions=True)
		frappe.db.commit()
		yield s
		doc = frappe.get_doc(payments.SETTINGS)
		doc.update({**saved, **{k: v for k, v in keys.items() if v}})
		doc.flags.ignore_validate = True
		doc.save(ignore_permissions=True)
		frappe.db.commit()


def buyer_with_orders(n: int, language: str = "en") -> frappe._dict:
	def make():
		cust = builders.customer("Gold Dealers")
		user = builders.portal_user_for(cust.name)
		frappe.db.set_value("User", user, "language", language)
		item = builders.item_with_stock(0, price=88.8)
		orders = []
		for qty in range(1, n + 1):
			so = frappe.get_doc(
				{
					"doctype": "Sales Order",
					"customer": cust.name,
					"company": builders.company(),
					"selling_price_list": "Wholesale Gold",
					"delivery_date": add_days(nowdate(), 1),
					"items": [{"item_code": item, "qty": qty}],
				}
			).insert(ignore_permissions=True)
			so.submit()
			orders.append(so)
		return frappe._dict(customer=cust.name, user=user, orders=orders)

	out = committed(make)
	set_password(out.user)
	frappe.db.commit()
	return out


def login(phone, user: str):
	"""phone.login with room for a loaded shared bench (other suites run on it at the same time)."""
	phone.page.set_default_timeout(90_000)
	phone.page.set_default_navigation_timeout(90_000)
	phone.goto("/login")
	phone.page.fill("#login_email", user)
	phone.page.fill("#login_password", PASSWORD)
	phone.page.click(".form-login .btn-login")
	phone.page.wait_for_url(lambda url: "/login" not in url, timeout=90_000)


def advance_entries(so: str) -> list:
	frappe.db.rollback()  # read what the web server committed
	return frappe.get_all(
		"Payment Entry Reference",
		filters={"reference_doctype": "Sales Order", "reference_name": so, "docstatus": 1},
		pluck="parent",
	)


def test_buyer_pays_an_order_at_the_cashier_and_returns_to_see_it_paid(phone, sim):
	SHOTS.mkdir(exist_ok=True)
	b = buyer_with_orders(1)
	so = b.orders[0]
	login(phone, b.user)
	page = phone.page
	phone.goto(f"/mall-pay?order={so.name}")
	row = page.locator(f'.pay-row[data-order="{so.name}"]')
	assert "marked" in row.get_attribute("class")
	# nothing sticks out of a 390 px screen
	assert page.evaluate("document.documentElement.scrollWidth") <= 390
	page.screenshot(path=str(SHOTS / "mall_pay_order.png"), full_page=True)

	row.locator(".pay-btn").click()
	page.wait_for_url(lambda url: url.startswith(sim.gateway_url.rsplit("/", 1)[0]))
	assert page.locator("#sim-amount").inner_text() == f"{flt(so.rounded_total or so.grand_total):.2f}"
	page.screenshot(path=str(SHOTS / "mall_pay_cashier.png"))
	page.click("#sim-pay")  # the platform notifies the site, then sends the buyer back
	page.wait_for_url(lambda url: "/mall-pay?payment=" in url)
	page.wait_for_selector('#pay-status[data-status="Paid"]')
	assert "Paid" in page.locator("#pay-status").inner_text()
	assert row.locator(".pay-paid").is_visible() and not row.locator(".pay-btn").count()
	page.screenshot(path=str(SHOTS / "mall_pay_paid.png"), full_page=True)
	assert sim.notified[-1] == (200, "success")
	[entry] = advance_entries(so.name)
	assert frappe.db.get_value("Payment Entry", entry, "paid_amount") == flt(
		so.rounded_total or so.grand_total
	)
	phone.assert_clean("/mall-pay, paid through the cashier")


def test_a_tampered_notification_is_refused_and_the_order_stays_unpaid(phone, sim):
	SHOTS.mkdir(exist_ok=True)
	b = buyer_with_orders(1, language="zh")
	so = b.orders[0]
	login(phone, b.user)
	page = phone.page
	phone.goto("/mall-pay")
	assert "在线支付" in page.locator("h2").inner_text()
	page.locator(f'.pay-row[data-order="{so.name}"] .pay-btn').click()
	page.wait_for_url(lambda url: url.startswith(sim.gateway_url.rsplit("/", 1)[0]))
	biz = dict(parse_qsl(urlsplit(page.url).query))["biz_content"]
	trade = json.loads(biz)["out_trade_no"]  # the trade the cashier shows: our online payment

	fields = sim.notify_fields(trade, sim.trades[trade]["amount"])
	fields["total_amount"] = "0.01"  # changed after the platform signed it
	status, answer = sim.post(sim.trades[trade]["notify_url"], sim.body(fields))
	assert status == 400 and "signature" in answer

	phone.goto(f"/mall-pay?payment={trade}")
	assert page.locator("#pay-status").get_attribute("data-status") == "Pending"
	assert page.locator(f'.pay-row[data-order="{so.name}"] .pay-btn').is_visible()
	page.screenshot(path=str(SHOTS / "mall_pay_refused_zh.png"), full_page=True)
	assert not advance_entries(so.name)
	assert frappe.db.get_value(payments.PAYMENT, trade, "status") == "Pending"
	phone.assert_clean("/mall-pay after a refused notification")
