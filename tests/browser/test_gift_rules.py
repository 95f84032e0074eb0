"""智能赠品 as the people who use it: a sales manager sets a gift rule in the desk (buy 10 of a tea, get
a mug), a wholesale buyer on a phone orders 12 of that tea on /mall, and finds the mug on their order
page, marked as a free gift; the Sales Order has the free line naming the rule."""

import frappe

from tests.bench import builders
from tests.browser.conftest import SHOTS, desk_user, set_password
from tests.browser.test_crm_campaigns import fill, login, retried
from tests.browser.test_mall_account import login_to
from tests.browser.test_readme_walkthrough import set_link


def world() -> frappe._dict:
	cust = builders.customer("Gold Dealers", credit_limit=100000)
	buyer = builders.portal_user_for(cust.name)
	set_password(buyer)
	return frappe._dict(
		customer=cust.name,
		buyer=buyer,
		# fresh items: the rule matches this test's order and no other suite's
		tea=builders.item_with_stock(60, bin_name="A3-02-R", price=20),
		mug=builders.item_with_stock(10, bin_name="A1-04-L", price=12),
		manager=desk_user("Sales Manager", "Sales User"),
	)


def test_a_gift_rule_set_in_the_desk_puts_a_free_gift_on_a_portal_order(desk, phone):
	w = retried(world)
	rule = None
	try:
		login(desk, w.manager)
		page = desk.page
		desk.route("/app/order-gift-rule/new")
		fill(page, "title", f"Mug with tea {w.tea}")
		page.locator('select[data-fieldname="applies_to"]').select_option("B2B Portal")
		form = page.locator(".form-layout")
		set_link(form, "buy_item", w.tea)
		fill(page, "buy_qty", "10")
		set_link(form, "gift_item", w.mug)
		fill(page, "gift_qty", "1")
		with page.expect_response(lambda r: "savedocs" in r.url) as saved:
			page.keyboard.press("Control+s")
		assert saved.value.status == 200
		page.wait_for_function("() => cur_frm && !cur_frm.is_new() && !cur_frm.is_dirty()")
		rule = page.evaluate("() => cur_frm.doc.name")
		desk.assert_clean("a new gift rule")

		login_to(phone, w.buyer, "/mall")
		shop = phone.page
		shop.fill("#quick-text", f"{w.tea} 12")
		shop.click("#quick-add")
		shop.locator(f'#cart-lines tr[data-item="{w.tea}"]').wait_for()
		shop.click("#place-order")
		shop.wait_for_selector("#order-result .alert-success")
		so_name = shop.locator("#order-result a").inner_text()
		shop.locator("#order-result a").click()
		shop.wait_for_url(f"**/my/order?name={so_name}")
		gift = shop.locator(f'#order-lines .line[data-item="{w.mug}"]')
		assert "Gift, free" in gift.locator(".gift").inner_text()
		assert gift.locator(".step-ordered b").inner_text() == "1"
		SHOTS.mkdir(exist_ok=True)
		shop.screenshot(path=str(SHOTS / "gift_on_portal_order.png"), full_page=True)
		phone.assert_clean("the buyer's order with its gift")

		frappe.db.rollback()  # what the web server committed
		so = frappe.get_doc("Sales Order", so_name)
		lines = [(d.item_code, d.qty, d.rate, d.is_free_item, d.th_gift_rule or None) for d in so.items]
		assert lines == [(w.tea, 12, lines[0][2], 0, None), (w.mug, 1, 0, 1, rule)]
		assert lines[0][2] > 0
		assert rule in so.th_gift_note
	finally:
		frappe.db.rollback()
		if rule:  # a rule left enabled would give gifts in other suites' orders of these items
			frappe.db.set_value("Order Gift Rule", rule, "enabled", 0)
			frappe.db.commit()
