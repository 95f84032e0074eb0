"""Several buyers per customer, in the browser: a desk user invites a buyer from the Customer form (link
and QR code), the buyer joins on a phone; a desktop logs in by a QR code the buyer's phone approves;
an order above the approval amount waits until an approver of the customer approves it. Each flow
also shows a refusal: a tampered and a reused invitation, a reused login code, an orderer who
cannot approve, a rejected order.

Each test makes its own customer and buyers (unique names), committed for the web server."""

from urllib.parse import urlsplit

import frappe
from frappe.utils import random_string

from tests.bench import builders
from tests.browser.conftest import PASSWORD, SHOTS, desk_user, set_password


def path_of(url: str) -> str:
	u = urlsplit(url)
	return f"{u.path}?{u.query}"


def fits_390(page) -> None:
	width = page.evaluate("() => document.documentElement.scrollWidth")
	assert width <= 390, f"{page.url} is {width}px wide at 390"


def shot(page, name: str) -> None:
	SHOTS.mkdir(exist_ok=True)
	page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def patient(*watched) -> None:
	"""The test site is shared with other suites (races, benchmarks) that can hold every web worker
	for tens of seconds: navigations and waits may take longer than the usual 30 s there."""
	for w in watched:
		w.page.context.set_default_timeout(90_000)
		w.page.context.set_default_navigation_timeout(90_000)


def made(make):
	"""make(), committed; made again when other suites on the shared site deadlock it."""
	import time

	for attempt in range(4):
		try:
			result = make()
			frappe.db.commit()
			return result
		except (frappe.QueryDeadlockError, frappe.QueryTimeoutError):
			frappe.db.rollback()
			if attempt == 3:
				raise
			time.sleep(1 + attempt)


def buyer(customer: str, role: str = "Orderer") -> str:
	user = builders.portal_user_for(customer)
	row = frappe.db.get_value("Portal User", {"parenttype": "Customer", "parent": customer, "user": user})
	frappe.db.set_value("Portal User", row, "th_b2b_role", role)
	set_password(user)
	return user


def test_invite_a_buyer_from_the_customer_form_who_joins_on_a_phone(desk, phone, browser, base_url):
	patient(desk, phone)
	cust = made(lambda: builders.customer("Gold Dealers"))
	email = f"joiner-{random_string(8).lower()}@test.local"

	desk.login(desk_user("Sales User"), PASSWORD)
	desk.route(f"/app/customer/{cust.name}")
	page = desk.page
	page.get_by_role("button", name="Invite buyer").first.click()
	dialog = page.locator(".modal.show")
	dialog.locator('input[data-fieldname="email"]').fill(email)
	dialog.locator('select[data-fieldname="role"]').select_option("Approver")
	dialog.locator(".btn-primary:has-text('Create invitation')").click()
	shown = page.locator(".modal.show .b2b-invite-url")
	shown.wait_for()
	url = shown.input_value()
	assert "/mall-invite?token=invite." in url
	assert page.locator(".modal.show img.b2b-invite-qr").evaluate(
		"img => img.src.startsWith('data:image/svg+xml') && img.complete && img.naturalWidth > 0"
	)
	shot(page, "mall_buyers_invite_dialog")
	desk.assert_clean("Invite buyer on the Customer form")

	# a tampered link (another expiry) is refused before any form is shown
	kind, inv, exp, sig = url.split("token=", 1)[1].split(".")
	phone.goto(path_of(url.replace(f".{exp}.", f".{int(exp) + 86400}.")))
	assert "not valid" in phone.page.locator("#invite-refused").inner_text()
	assert phone.page.locator("#invite-form").count() == 0

	# the buyer joins: name and password, then lands in the mall as the customer's buyer
	phone.goto(path_of(url))
	p = phone.page
	assert cust.customer_name in p.locator("#invite-for").inner_text()
	p.fill("#invite-name", "Joining Buyer")
	p.fill("#invite-password", PASSWORD)
	p.fill("#invite-password2", PASSWORD)
	fits_390(p)
	p.click("#invite-accept")
	p.wait_for_url("**/mall")
	p.wait_for_selector("#mall-items")
	assert cust.name in p.locator(".b2b-mall h2").inner_text()
	phone.assert_clean("invitation accepted on a phone")
	frappe.db.rollback()
	rows = frappe.get_all("Portal User", filters={"parent": cust.name, "user": email}, fields=["th_b2b_role"])
	assert [r.th_b2b_role for r in rows] == ["Approver"]

	# the same link again, in another browser: used
	other = browser.new_context(base_url=base_url, viewport={"width": 390, "height": 844})
	try:
		again = other.new_page()
		again.goto(base_url + path_of(url))
		assert "already been used" in again.locator("#invite-refused").inner_text()
	finally:
		other.close()


def test_scan_to_log_in_on_a_desktop(desk, phone):
	patient(desk, phone)
	cust, user = made(lambda: (c := builders.customer("Gold Dealers"), buyer(c.name)))

	# the desktop: Frappe's login page links to the QR login
	desk.goto("/login")
	desk.page.click("#b2b-qr-login")
	desk.page.wait_for_url("**/mall-login")
	qr = desk.page.locator("#qr-img")
	qr.wait_for()
	desk.page.wait_for_function("() => document.querySelector('#qr-img').dataset.url")
	url = qr.get_attribute("data-url")
	assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
	shot(desk.page, "mall_buyers_qr_login")

	# the phone, logged in as the buyer, opens what the camera read and approves
	phone.login(user, PASSWORD)
	phone.goto(path_of(url))
	p = phone.page
	assert user in p.locator("#scan-question").inner_text()
	fits_390(p)
	p.click("#scan-approve")
	p.wait_for_selector("#scan-result.alert-success")

	# the desktop logs in by itself (it polls) and shows the buyer's mall
	desk.page.wait_for_url("**/mall")
	desk.page.wait_for_selector("#mall-items")
	assert cust.name in desk.page.locator(".b2b-mall h2").inner_text()
	desk.assert_clean("QR login on the desktop")

	# the same code again, from the phone: used
	phone.goto(path_of(url))
	assert "already been used" in p.locator("#scan-refused").inner_text()
	phone.assert_clean("QR approval on the phone")


def test_an_expired_login_code_asks_for_a_new_one(desk):
	patient(desk)
	settings = frappe.get_doc("B2B Mall Settings")
	try:
		settings.db_set("qr_login_seconds", 2)
		frappe.db.commit()
		frappe.clear_document_cache("B2B Mall Settings", "B2B Mall Settings")
		desk.goto("/mall-login")
		desk.page.wait_for_selector("#qr-new:not([hidden])", timeout=15_000)
		assert "expired" in desk.page.locator("#qr-status").inner_text()
		assert desk.page.locator("#qr-img").is_hidden()
	finally:
		settings.db_set("qr_login_seconds", 120)
		frappe.db.commit()
		frappe.clear_document_cache("B2B Mall Settings", "B2B Mall Settings")
	desk.page.click("#qr-new")  # a new code
	desk.page.wait_for_selector("#qr-img:not([hidden])")
	# the expired code's poll is answered 410 by design (the page shows it); nothing else may fail
	desk.problems = [x for x in desk.problems if not ("410" in x and "qr_poll" in x)]
	desk.assert_clean("expired QR login code")


def test_an_order_above_the_amount_waits_for_an_approver(phone, desk):
	patient(desk, phone)
	cust, orderer, approver, item = made(
		lambda: (
			c := builders.customer("Gold Dealers"),
			buyer(c.name),
			buyer(c.name, "Approver"),
			builders.item_with_stock(50, bin_name="A1-04-L", price=100),
		)
	)
	settings = frappe.get_doc("B2B Mall Settings")
	try:
		settings.db_set("approval_amount", 500)  # applies to customers with an approver only
		frappe.db.commit()
		frappe.clear_document_cache("B2B Mall Settings", "B2B Mall Settings")

		def place(qty: int) -> str:
			p = phone.page
			p.goto(phone.base_url + "/mall")
			p.fill("#mall-search", item)
			p.wait_for_selector(f'#mall-items input.qty[data-item="{item}"]')
			p.fill(f'#mall-items input.qty[data-item="{item}"]', str(qty))
			p.click("#place-order")
			p.wait_for_selector("#order-result .order-waiting")
			return p.locator("#order-result .order-waiting").inner_text().split(" ")[1]

		phone.login(orderer, PASSWORD)
		first = place(8)  # 800 > 500
		second = place(6)
		frappe.db.rollback()
		assert frappe.db.get_value("Sales Order", first, ["docstatus", "th_b2b_approval"]) == (
			0,
			"Awaiting Approval",
		)
		# the orderer sees both waiting, and cannot decide
		phone.goto("/mall-approvals")
		card = phone.page.locator(f'.appr-card[data-order="{first}"]')
		assert "Awaiting Approval" in card.locator(".appr-status").inner_text()
		assert phone.page.locator("button.appr-approve").count() == 0
		fits_390(phone.page)

		# the approver approves the first and rejects the second with a hostile note
		desk.login(approver, PASSWORD)
		desk.goto("/mall-approvals")
		d = desk.page
		d.locator(f'.appr-card[data-order="{first}"] button.appr-approve').click()
		d.wait_for_selector(f'.appr-card[data-order="{first}"] .appr-result.alert-success')
		note = '<img src=x onerror="window.__xss=1">not this month'
		d.locator(f'.appr-card[data-order="{second}"] .appr-note-input').fill(note)
		d.locator(f'.appr-card[data-order="{second}"] button.appr-reject').click()
		d.wait_for_selector(f'.appr-card[data-order="{second}"] .appr-result.alert-success')
		shot(d, "mall_buyers_approvals")
		desk.assert_clean("approver on /mall-approvals")
		frappe.db.rollback()
		assert frappe.db.get_value("Sales Order", first, ["docstatus", "th_b2b_approval"]) == (1, "Approved")
		assert frappe.db.get_value("Sales Order", second, ["docstatus", "th_b2b_approval"]) == (0, "Rejected")
		assert frappe.db.exists("Notification Log", {"for_user": approver, "document_name": first})

		# the orderer sees the decisions; the note is text
		phone.goto("/mall-approvals")
		p = phone.page
		assert "Approved" in p.locator(f'.appr-card[data-order="{first}"] .appr-status').inner_text()
		rejected = p.locator(f'.appr-card[data-order="{second}"]')
		assert "Rejected" in rejected.locator(".appr-status").inner_text()
		assert note in rejected.locator(".appr-note").inner_text()
		assert rejected.locator("img").count() == 0 and p.evaluate("() => window.__xss") is None
		shot(p, "mall_buyers_approvals_phone")
		phone.assert_clean("orderer on /mall-approvals")
	finally:
		settings.db_set("approval_amount", 0)
		frappe.db.commit()
		frappe.clear_document_cache("B2B Mall Settings", "B2B Mall Settings")
