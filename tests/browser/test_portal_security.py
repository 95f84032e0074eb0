"""Issue 10, findings 2 and 3 over HTTP against the running site (nginx → gunicorn), with the
buyer's or driver's own session cookie: portal and driver writes need the session's CSRF token and
the site's own origin; carts are capped (422) and place_order is rate-limited per buyer (429), with
reasons in the buyer's language."""

import json

import frappe
import pytest

from b2b_mall.erp import orders as mall
from tests.browser import flows
from tests.browser.conftest import PASSWORD
from tests.browser.test_portal import fresh_buyer

PLACE = "/api/method/b2b_mall.api.orders.place_order"
DELIVER = "/api/method/wms_tms.api.driver.deliver"
EVIL = "http://shop.evil.example"


def api_login(watched, user: str, password: str = PASSWORD):
	"""A session cookie, no page opened: the session holds no CSRF token yet."""
	r = watched.page.request.post("/api/method/login", form={"usr": user, "pwd": password})
	assert r.ok, r.text()


def page_token(watched, path: str) -> str:
	watched.goto(path)
	token = watched.page.evaluate("() => frappe.csrf_token")
	assert token and token != "None", f"{path} carries a real CSRF token"
	return token


def orders_of(customer: str) -> int:
	frappe.db.rollback()
	return frappe.db.count("Sales Order", {"customer": customer})


def test_portal_writes_without_the_token_or_from_another_origin_are_refused(phone):
	customer, user = fresh_buyer()
	cart = {"items": [{"item_code": "TEA-001", "qty": 10}]}
	api_login(phone, user)
	req = phone.page.request
	# the buyer's cookie, no token (a self-submitting form elsewhere): JSON, form-encoded, cross-site
	assert req.post(PLACE, data=cart).status == 403
	assert req.post(PLACE, form={"items": json.dumps(cart["items"])}).status == 403
	assert req.post(PLACE, form={"items": json.dumps(cart["items"])}, headers={"Origin": EVIL}).status == 403
	assert req.post(PLACE, data=cart, headers={"X-Frappe-CSRF-Token": "None"}).status == 403
	assert orders_of(customer) == 0

	token = page_token(phone, "/mall")
	# the session has its token now: without it Frappe's own check refuses (400), with it but from
	# another origin ours does (403)
	assert req.post(PLACE, data=cart).status in (400, 403)
	assert req.post(PLACE, form={"items": json.dumps(cart["items"])}).status in (400, 403)
	r = req.post(PLACE, data=cart, headers={"X-Frappe-CSRF-Token": token, "Origin": EVIL})
	assert r.status == 403, r.text()
	r = req.post(PLACE, data=cart, headers={"X-Frappe-CSRF-Token": token, "Sec-Fetch-Site": "same-site"})
	assert r.status == 403, "a sibling subdomain is another site"
	assert orders_of(customer) == 0
	r = req.post(PLACE, data=cart, headers={"X-Frappe-CSRF-Token": token})
	assert r.ok, r.text()
	assert orders_of(customer) == 1
	phone.assert_clean("portal CSRF")


def test_driver_writes_without_the_token_or_from_another_origin_are_refused(phone):
	job = flows.cod_trip()
	api_login(phone, *flows.driver_login())
	req = phone.page.request
	form = {"stop": job.stop, "recipient": "Mallory", "cash_collected": f"{job.owed:.2f}"}
	proof = {"name": "pod.png", "mimeType": "image/png", "buffer": flows.png()}
	assert req.post(DELIVER, multipart={**form, "proof": proof}).status == 403
	assert req.post(DELIVER, form=form, headers={"Origin": EVIL}).status == 403
	token = page_token(phone, "/driver")
	r = req.post(
		DELIVER, multipart={**form, "proof": proof}, headers={"X-Frappe-CSRF-Token": token, "Origin": EVIL}
	)
	assert r.status == 403, r.text()
	frappe.db.rollback()
	assert not frappe.db.get_value("Delivery Stop", job.stop, "visited")
	assert not frappe.db.count("File", {"attached_to_name": job.delivery_note})
	phone.assert_clean("driver CSRF")


def chinese_buyer() -> tuple[str, str]:
	customer, user = fresh_buyer()
	frappe.db.set_value("User", user, "language", "zh")
	frappe.db.commit()
	return customer, user


def test_carts_over_the_caps_get_422_with_the_reason_in_chinese(phone):
	customer, user = chinese_buyer()
	phone.login(user, PASSWORD)
	token = page_token(phone, "/mall")
	caps = mall.limits().cart
	req = phone.page.request
	headers = {"X-Frappe-CSRF-Token": token}
	lines = [{"item_code": f"X-{i}", "qty": 1} for i in range(caps.max_lines + 1)]
	r = req.post(PLACE, data={"items": lines}, headers=headers)
	assert r.status == 422
	(problem,) = r.json()["message"]["problems"]
	assert problem["code"] == "too_many_lines" and "每个订单最多" in problem["message"]
	r = req.post(PLACE, data={"items": [{"item_code": "TEA-001", "qty": caps.max_qty + 1}]}, headers=headers)
	assert r.status == 422
	(problem,) = r.json()["message"]["problems"]
	assert problem["code"] == "over_max_qty" and problem["item_code"] == "TEA-001"
	assert orders_of(customer) == 0
	phone.assert_clean("cart caps")


@pytest.fixture
def orders_per_hour():
	"""A low hourly limit in B2B Mall Settings, as a seller may set it; restored afterwards."""
	settings = frappe.get_single("B2B Mall Settings")
	was = settings.orders_per_hour
	settings.orders_per_hour = 4
	settings.save(ignore_permissions=True)
	frappe.db.commit()
	yield 4
	settings = frappe.get_single("B2B Mall Settings")
	settings.orders_per_hour = was
	settings.save(ignore_permissions=True)
	frappe.db.commit()


def test_place_order_is_rate_limited_per_buyer_with_429(phone, orders_per_hour):
	customer, user = chinese_buyer()
	phone.login(user, PASSWORD)
	token = page_token(phone, "/mall")
	per_hour = mall.limits().orders_per_hour
	assert per_hour == orders_per_hour, "the seller's setting is the limit"
	req = phone.page.request
	headers = {"X-Frappe-CSRF-Token": token}
	for _ in range(per_hour):
		assert req.post(PLACE, data={"items": []}, headers=headers).status == 422  # empty cart, counted
	r = req.post(PLACE, data={"items": [{"item_code": "TEA-001", "qty": 10}]}, headers=headers)
	assert r.status == 429, r.text()
	messages = [json.loads(m)["message"] for m in json.loads(r.json()["_server_messages"])]
	assert any("小时" in m and str(per_hour) in m for m in messages), messages
	assert orders_of(customer) == 0
	# another buyer (same IP) is not limited by this one
	other_customer, other = fresh_buyer()
	with phone.page.context.browser.new_context(base_url=phone.base_url) as ctx:
		ctx.request.post("/api/method/login", form={"usr": other, "pwd": PASSWORD})
		page = ctx.new_page()
		page.goto("/mall")
		other_token = page.evaluate("() => frappe.csrf_token")
		r = ctx.request.post(
			PLACE,
			data={"items": [{"item_code": "TEA-001", "qty": 10}]},
			headers={"X-Frappe-CSRF-Token": other_token},
		)
		assert r.ok, r.text()
	assert orders_of(other_customer) == 1
