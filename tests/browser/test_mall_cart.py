"""Issue 12, the cart on the server: a buyer fills the cart on the office PC, picks it up on their
phone with today's prices, changes it there, the PC sees the change; the order placed from the phone
empties the cart on both. An item taken out of the mall meanwhile leaves the cart with the reason."""

import frappe

from tests.browser.conftest import PASSWORD, SHOTS
from tests.browser.test_mall_catalogue import shelf


def saved(page, action):
	"""Do `action` on the page and wait until the cart it changed is saved on the server."""
	with page.expect_response(lambda r: "b2b_mall.api.cart.save" in r.url and r.status == 200):
		action()


def cart_rows(page) -> dict[str, str]:
	return {
		row.get_attribute("data-item"): row.locator("input.cart-qty").input_value()
		for row in page.locator("#cart-lines tr[data-item]").all()
	}


def test_the_cart_follows_the_buyer_from_the_pc_to_the_phone_and_back(desk, phone):
	s = shelf()
	desk.login(s.user, PASSWORD)
	pc = desk.page
	pc.wait_for_selector("#mall-items table.mall-table")
	pc.fill("#mall-search", f"Mall Oolong {s.tag}")
	pc.wait_for_selector(f'#mall-items input.qty[data-item="{s.tea}"]')
	saved(pc, lambda: pc.fill(f'#mall-items input.qty[data-item="{s.tea}"]', "50"))
	pc.fill("#mall-search", s.cups)
	pc.wait_for_selector(f'#mall-items input.qty[data-item="{s.cups}"]')
	saved(pc, lambda: pc.fill(f'#mall-items input.qty[data-item="{s.cups}"]', "18"))
	assert cart_rows(pc) == {s.tea: "50", s.cups: "18"}

	# the phone: another device, another session of the same buyer
	phone.login(s.user, PASSWORD)
	mobile = phone.page
	mobile.wait_for_selector("#mall-items .mall-card")
	assert cart_rows(mobile) == {s.tea: "50", s.cups: "18"}
	tea = mobile.locator(f'#cart-lines tr[data-item="{s.tea}"]')
	assert "¥48" in tea.inner_text() and "¥2,400" in tea.inner_text()  # the customer's break at 50
	# below the MOQ on the phone: flagged as typed, and saved as typed
	cups = mobile.locator(f'#cart-lines input.cart-qty[data-item="{s.cups}"]')
	saved(mobile, lambda: (cups.fill("6"), cups.blur()))  # the buyer taps elsewhere
	assert "minimum order is 12" in mobile.locator(f'#cart-lines tr[data-item="{s.cups}"]').inner_text()
	cups = mobile.locator(f'#cart-lines input.cart-qty[data-item="{s.cups}"]')
	saved(mobile, lambda: (cups.fill("24"), cups.blur()))

	# back at the PC: the phone's change is there after a reload
	pc.reload()
	pc.wait_for_selector("#mall-items table.mall-table")
	assert cart_rows(pc) == {s.tea: "50", s.cups: "24"}

	# the cups leave the mall; the phone's next look drops them with the reason
	frappe.db.set_value("Item", s.cups, "th_b2b_show_in_mall", 0)
	frappe.db.commit()
	mobile.reload()
	mobile.wait_for_selector("#mall-items .mall-card")
	assert cart_rows(mobile) == {s.tea: "50"}
	assert "no longer sold in the mall" in mobile.locator("#cart-problems").inner_text()
	SHOTS.mkdir(exist_ok=True)
	mobile.locator("#mall-cart").screenshot(path=str(SHOTS / "mall_cart_phone.png"))

	# the order from the phone empties the cart everywhere
	mobile.click("#place-order")
	mobile.wait_for_selector("#order-result .alert-success")
	so_name = mobile.locator("#order-result a").inner_text()
	frappe.db.rollback()
	so = frappe.get_doc("Sales Order", so_name)
	assert (so.customer, so.docstatus) == (s.customer, 1)
	assert [(i.item_code, i.qty, i.rate) for i in so.items] == [(s.tea, 50, 48)]
	assert cart_rows(mobile) == {}
	pc.reload()
	pc.wait_for_selector("#mall-items table.mall-table")
	assert cart_rows(pc) == {}
	assert pc.locator("#cart-lines").inner_text().strip() == "The cart is empty."
	width = mobile.evaluate("() => document.documentElement.scrollWidth")
	assert width <= 390, f"the page is {width}px wide at 390"
	desk.assert_clean("/mall cart on the PC")
	phone.assert_clean("/mall cart on the phone")
