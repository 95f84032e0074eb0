"""A wholesale buyer on the portal: a refused cart, a good one, the order in /orders, the debit in /statement."""

import frappe
from frappe.utils import flt

from tests.bench import builders
from tests.browser.conftest import set_password


def top_up(item_code: str, bin_name: str, qty: float) -> None:
	"""Enough stock in the bin for this run, whatever earlier runs on this bench took."""
	have = flt(
		frappe.db.get_value(
			"Bin", {"item_code": item_code, "warehouse": builders.bin_warehouse(bin_name)}, "projected_qty"
		)
	)
	if have < qty:
		builders.receive_stock(item_code, qty - have, bin_name, 5)


def fresh_buyer() -> tuple[str, str]:
	"""A new Gold-tier customer with one portal login (committed: the web server must see it)."""
	cust = builders.customer("Gold Dealers")
	user = builders.portal_user_for(cust.name)
	set_password(user)
	top_up("TEA-001", "A1-01-L", 100)
	top_up("CUP-002", "A1-02-R", 200)
	frappe.db.commit()
	return cust.name, user


def cart(page, quantities: dict[str, int]):
	for el in page.locator(".b2b-mall input.qty").all():
		el.fill("")
	for code, qty in quantities.items():
		page.fill(f'.b2b-mall input.qty[data-item="{code}"]', str(qty))
	page.click("#place-order")
	return page.locator("#order-result .alert").first


def test_a_buyer_orders_from_the_mall_and_sees_order_and_debit(phone):
	from tests.browser.conftest import PASSWORD

	customer, user = fresh_buyer()
	phone.login(user, PASSWORD)
	page = phone.page
	assert page.url.endswith("/mall"), "a buyer starts at the mall after logging in"
	assert customer in page.locator(".b2b-mall h2").inner_text()
	# Gold tier prices are shown, not the standard ones
	assert page.locator('.b2b-mall input.qty[data-item="TEA-001"]').count() == 1

	refused = cart(page, {"TEA-001": 5})
	refused.wait_for()
	assert "alert-warning" in refused.get_attribute("class")
	assert "TEA-001" in refused.inner_text() and "10" in refused.inner_text()  # below the minimum of 10
	assert not frappe.db.get_all("Sales Order", filters={"customer": customer})

	placed = cart(page, {"TEA-001": 10, "CUP-002": 24})
	page.wait_for_selector("#order-result .alert-success")
	so_name = placed.locator("a").inner_text()
	frappe.db.rollback()  # see what the web server committed
	so = frappe.get_doc("Sales Order", so_name)
	assert so.customer == customer and so.docstatus == 1
	assert {(i.item_code, i.qty) for i in so.items} == {("TEA-001", 10), ("CUP-002", 24)}

	phone.goto("/orders")
	page.wait_for_selector(f"text={so_name}")

	# the desk invoices the order; the buyer's statement shows the debit
	from erpnext.selling.doctype.sales_order.sales_order import make_sales_invoice

	si = make_sales_invoice(so_name)
	si.insert(ignore_permissions=True)
	si.submit()
	frappe.db.commit()
	phone.goto("/statement")
	row = page.locator("tr", has_text=si.name)
	row.wait_for()
	debit = row.locator("td").nth(2).inner_text()
	assert f"{si.grand_total:,.2f}" in debit.replace("¥", "").replace(" ", "")
	closing = page.locator("tr", has_text="Closing").locator("th").last.inner_text()
	assert f"{si.grand_total:,.2f}" in closing.replace("¥", "").replace(" ", "")
	phone.assert_clean("portal order path")
