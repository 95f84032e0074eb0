"""A wholesale buyer in the mall's catalogue: search by name, code and barcode, browse an Item Group,
see their own quantity break ("from 50: ¥48"), MOQ and whole packs checked as they type, a quick
order whose bad lines come back with their reasons, checkout with an address, date and a (hostile)
note that reaches the Sales Order and shows as text in the desk, and one-click reorder.

Each test makes its own customer, Item Group and items (unique names), committed for the web server."""

import frappe
from frappe.utils import add_days, nowdate, random_string

from tests.bench import builders
from tests.browser.conftest import PASSWORD, desk_user, set_password
from tests.browser.flows import png

NOTE = '<img src=x onerror="window.__xss=1"><script>window.__xss=1</script> please call before 10:00'


def picture(name: str) -> str:
	f = frappe.get_doc(
		{"doctype": "File", "file_name": f"{name}.png", "content": png(8, 8), "is_private": 0}
	).insert(ignore_permissions=True)
	return f.file_url


def shelf() -> frappe._dict:
	"""A Gold customer with a buyer and a second address, an Item Group with two items (one with a
	picture and a customer-only price break at 50, one sold in packs of 6 from 12), stock in a bin."""
	tag = random_string(6).upper()
	cust = builders.customer("Gold Dealers")
	user = builders.portal_user_for(cust.name)
	set_password(user)
	second = frappe.get_doc(
		{
			"doctype": "Address",
			"address_title": f"Warehouse {tag}",
			"address_type": "Shipping",
			"address_line1": f"88 Dock Road {tag}",
			"city": "Shenzhen",
			"country": builders.DEMO["company"]["country"],
			"is_shipping_address": 0,
			"links": [{"link_doctype": "Customer", "link_name": cust.name}],
		}
	).insert(ignore_permissions=True)
	group = frappe.get_doc(
		{
			"doctype": "Item Group",
			"item_group_name": f"Mall Tea {tag}",
			"parent_item_group": "All Item Groups",
		}
	).insert(ignore_permissions=True)
	tea = builders.item_with_stock(300, bin_name="A1-04-L", price=52)
	cups = builders.item_with_stock(300, bin_name="A1-04-L", price=9.5)
	for code, name, extra in (
		(tea, f"Mall Oolong {tag}", {"image": picture(f"oolong-{tag}")}),
		(cups, f"Mall Cup {tag}", {"th_b2b_moq": 12, "th_b2b_pack_qty": 6}),
	):
		item = frappe.get_doc("Item", code)
		item.update({"item_name": name, "item_group": group.name, **extra})
		item.save(ignore_permissions=True)
	frappe.get_doc(
		{
			"doctype": "Pricing Rule",
			"title": f"Mall break {tag}",
			"apply_on": "Item Code",
			"items": [{"item_code": tea}],
			"price_or_product_discount": "Price",
			"selling": 1,
			"applicable_for": "Customer",
			"customer": cust.name,
			"min_qty": 50,
			"rate_or_discount": "Rate",
			"rate": 48,
			"currency": "CNY",
			"company": builders.company(),
		}
	).insert(ignore_permissions=True)
	barcode = frappe.db.get_value("Item Barcode", {"parent": tea}, "barcode")
	frappe.db.commit()
	return frappe._dict(
		tag=tag,
		customer=cust.name,
		user=user,
		group=group.name,
		tea=tea,
		cups=cups,
		barcode=barcode,
		second_address=second.name,
	)


def wait_rows(page, expected: set[str]):
	page.wait_for_function(
		"""(want) => { const got = [...document.querySelectorAll('#mall-items tr[data-item], #mall-items .mall-card')]
			.map(e => e.dataset.item).sort(); return JSON.stringify(got) === JSON.stringify(want); }""",
		arg=sorted(expected),
	)


def test_search_group_price_break_and_quantities_on_a_desk(desk):
	s = shelf()
	desk.login(s.user, PASSWORD)
	page = desk.page
	assert page.url.endswith("/mall")
	page.wait_for_selector("#mall-items table.mall-table")  # a table on desks

	# by (part of the) name: both items of the shelf, nothing else
	page.fill("#mall-search", f"Mall Oolong {s.tag}")
	wait_rows(page, {s.tea})
	# by item code, and by barcode
	page.fill("#mall-search", s.cups)
	wait_rows(page, {s.cups})
	page.fill("#mall-search", s.barcode)
	wait_rows(page, {s.tea})
	# browse the Item Group: exactly its two items
	page.fill("#mall-search", "")
	page.select_option("#mall-group", s.group)
	wait_rows(page, {s.tea, s.cups})
	assert "(2" in page.locator("#page-info").inner_text()

	tea = page.locator(f'#mall-items tr[data-item="{s.tea}"]')
	assert "¥52" in tea.locator(".mall-price").inner_text()
	assert tea.locator(".mall-breaks").inner_text() == "from 50: ¥48"  # this customer's own break
	assert tea.locator("img.mall-thumb").evaluate("img => img.complete && img.naturalWidth > 0")
	assert tea.locator(".mall-stock").inner_text().startswith("300")

	# the MOQ and whole packs, as the buyer types
	cups = page.locator(f'#mall-items input.qty[data-item="{s.cups}"]')
	hint = page.locator(f'#mall-items .qty-hint[data-item="{s.cups}"]')
	cups.fill("6")
	assert "minimum order is 12" in hint.inner_text() and "is-invalid" in cups.get_attribute("class")
	cups.fill("14")
	assert "packs of 6" in hint.inner_text()
	cups.fill("18")
	assert hint.inner_text() == "" and "is-invalid" not in cups.get_attribute("class")
	# the cart prices the tea at the break once 50 are asked for
	page.fill(f'#mall-items input.qty[data-item="{s.tea}"]', "50")
	line = page.locator(f'#cart-lines tr[data-item="{s.tea}"]')
	assert "¥48" in line.inner_text() and "¥2,400" in line.inner_text()
	desk.assert_clean("/mall catalogue on a desk")


def test_cards_on_a_phone_and_a_group_with_nothing_in_stock_band(phone):
	s = shelf()
	settings = frappe.get_doc("B2B Mall Settings")
	phone.login(s.user, PASSWORD)
	page = phone.page
	page.wait_for_selector("#mall-items .mall-card")  # cards at 390 px
	assert page.locator("#mall-items table").count() == 0
	page.fill("#mall-search", s.barcode)
	wait_rows(page, {s.tea})
	card = page.locator(f'#mall-items .mall-card[data-item="{s.tea}"]')
	assert "from 50: ¥48" in card.inner_text()
	width = page.evaluate("() => document.documentElement.scrollWidth")
	assert width <= 390, f"the page is {width}px wide at 390"
	# the band setting: stock shows as In stock / Low / Out instead of a number
	try:
		settings.db_set({"stock_display": "Band", "low_stock_level": 500})
		frappe.db.commit()
		frappe.clear_cache(doctype="B2B Mall Settings")
		page.reload()
		page.fill("#mall-search", s.barcode)
		wait_rows(page, {s.tea})
		assert page.locator(f'.mall-card[data-item="{s.tea}"] .mall-stock').inner_text() == "Low stock"
	finally:
		settings.db_set({"stock_display": "Number", "low_stock_level": 10})
		frappe.db.commit()
		frappe.clear_cache(doctype="B2B Mall Settings")
	phone.assert_clean("/mall on a phone")


def test_quick_order_refuses_bad_lines_with_reasons_and_checkout_reaches_the_sales_order(phone, desk):
	s = shelf()
	phone.login(s.user, PASSWORD)
	page = phone.page
	page.wait_for_selector("#mall-items .mall-card")
	page.fill("#quick-text", f"{s.tea} 60\nNOPE-{s.tag} 5\n{s.cups} 13\n{s.barcode} x")
	page.click("#quick-add")
	problems = page.locator("#quick-result .quick-problems li")
	problems.first.wait_for()
	said = problems.all_inner_texts()
	assert said == [
		f"Line 2: NOPE-{s.tag}: no such item in the mall.",
		f"Line 3: {s.cups}: sold in packs of 6, you asked for 13.",
		f"Line 4: {s.barcode}: quantity must be a number above zero.",
	], said
	assert "1 lines added" in page.locator("#quick-result .alert-success").inner_text()
	line = page.locator(f'#cart-lines tr[data-item="{s.tea}"]')
	assert line.locator("input.cart-qty").input_value() == "60"

	# checkout: the second address, a date, a hostile note
	when = add_days(nowdate(), 5)
	page.select_option("#ship-address", s.second_address)
	page.fill("#delivery-date", str(when))
	page.fill("#buyer-note", NOTE)
	page.click("#place-order")
	page.wait_for_selector("#order-result .alert-success")
	so_name = page.locator("#order-result a").inner_text()
	frappe.db.rollback()
	so = frappe.get_doc("Sales Order", so_name)
	assert so.customer == s.customer and so.docstatus == 1
	assert [(i.item_code, i.qty, i.rate) for i in so.items] == [(s.tea, 60, 48)]  # ERPNext's break
	assert so.shipping_address_name == s.second_address and f"88 Dock Road {s.tag}" in so.shipping_address
	assert str(so.delivery_date) == str(when)
	assert so.th_b2b_buyer_note == frappe.utils.escape_html(NOTE)
	assert page.locator(f'#cart-lines tr[data-item="{s.tea}"]').count() == 0, "the cart is emptied"
	assert page.evaluate("() => window.__xss") is None
	phone.assert_clean("quick order and checkout")

	# the desk shows the note as text
	desk.login(desk_user("Sales User"), PASSWORD)
	desk.goto(f"/app/sales-order/{so_name}")
	desk.desk_ready()
	field = desk.page.locator(
		'[data-fieldname="th_b2b_buyer_note"] .control-value, [data-fieldname="th_b2b_buyer_note"] .like-disabled-input'
	).first
	field.wait_for()
	assert "please call before 10:00" in field.inner_text() and "<script>" in field.inner_text()
	assert desk.page.evaluate("() => window.__xss") is None
	desk.assert_clean("Sales Order with a hostile buyer note")


def test_reorder_a_past_order_at_todays_prices(phone):
	s = shelf()
	first = frappe.get_doc(
		{
			"doctype": "Sales Order",
			"customer": s.customer,
			"company": builders.company(),
			"selling_price_list": "Wholesale Gold",
			"delivery_date": add_days(nowdate(), 1),
			"items": [{"item_code": s.tea, "qty": 10}, {"item_code": s.cups, "qty": 12}],
		}
	)
	first.insert(ignore_permissions=True)
	first.submit()
	# the tea costs more today
	price = frappe.get_doc("Item Price", {"item_code": s.tea, "price_list": "Wholesale Gold"})
	price.price_list_rate = 55
	price.save(ignore_permissions=True)
	frappe.db.commit()

	phone.login(s.user, PASSWORD)
	page = phone.page
	row = page.locator(f'#recent-orders tr[data-order="{first.name}"]')
	row.locator("button.reorder").click()
	page.wait_for_selector("#cart-notice .alert-success")
	tea = page.locator(f'#cart-lines tr[data-item="{s.tea}"]')
	assert tea.locator("input.cart-qty").input_value() == "10" and "¥55" in tea.inner_text()
	assert page.locator(f'#cart-lines tr[data-item="{s.cups}"] input.cart-qty').input_value() == "12"
	page.click("#place-order")
	page.wait_for_selector("#order-result .alert-success")
	again = page.locator("#order-result a").inner_text()
	frappe.db.rollback()
	so = frappe.get_doc("Sales Order", again)
	assert again != first.name and so.customer == s.customer
	assert sorted((i.item_code, i.qty, i.rate) for i in so.items) == sorted(
		[(s.tea, 10, 55), (s.cups, 12, 9.5)]
	)
	phone.assert_clean("reorder")
