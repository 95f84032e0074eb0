"""Issue 12, "Chinese and English, by the user's language; usable at 390 px": a buyer whose language
is Chinese orders on a phone and reads every page of the mall in Chinese (the page's own script
texts and the server's refusals included), none of them wider than the phone."""

import frappe

from tests.browser.conftest import PASSWORD, SHOTS
from tests.browser.test_portal import fresh_buyer

PAGES = {  # the buyer's pages and the Chinese heading each shows
	"/my/orders": "我的订单",
	"/statement": "对账单",
	"/my/points": "积分",
	"/mall-pay": "在线支付",
	"/mall-approvals": "订单审批",
}


def fits(page) -> None:
	width = page.evaluate("() => document.documentElement.scrollWidth")
	assert width <= 390, f"{page.url} is {width}px wide at 390"


def test_a_chinese_buyer_orders_and_reads_every_page_in_chinese(phone):
	customer, user = fresh_buyer()
	frappe.db.set_value("User", user, "language", "zh")
	frappe.db.commit()
	phone.login(user, PASSWORD)
	page = phone.page
	page.wait_for_selector("#mall-items .mall-card")
	assert "B2B 商城" in page.locator(".b2b-mall h2").inner_text()
	assert page.locator("#mall-cart h4").inner_text() == "购物车"
	assert page.locator("#cart-lines").inner_text().strip() == "购物车是空的。"  # the script's own text
	assert "条码" in page.get_attribute("#mall-search", "placeholder")

	# a quick order with one bad line: the reason in Chinese, the good line in the cart
	page.fill("#quick-text", "NOPE-ZH 5\nTEA-001 10")
	page.click("#quick-add")
	page.wait_for_selector("#quick-result .quick-problems li")
	assert "NOPE-ZH：商城中没有该商品。" in page.locator("#quick-result .quick-problems").inner_text()
	assert page.locator('#cart-lines tr[data-item="TEA-001"] input.cart-qty').input_value() == "10"
	fits(page)
	SHOTS.mkdir(exist_ok=True)
	page.screenshot(path=str(SHOTS / "mall_chinese_phone.png"))
	page.click("#place-order")
	page.wait_for_selector("#order-result .alert-success")
	assert "订单已提交" in page.locator("#order-result").inner_text()
	so_name = page.locator("#order-result a").inner_text()
	frappe.db.rollback()
	assert frappe.db.get_value("Sales Order", so_name, ["customer", "docstatus"]) == (customer, 1)
	phone.assert_clean("/mall in Chinese")

	for path, heading in PAGES.items():
		phone.goto(path)
		page.wait_for_selector("h2", timeout=10_000)
		assert heading in page.locator("h2").first.inner_text(), path
		fits(page)
		phone.assert_clean(f"{path} in Chinese")
	phone.goto("/my/orders")
	assert so_name in page.locator("body").inner_text()
