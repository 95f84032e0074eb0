"""A stock count on a phone (390×844) that becomes an ERPNext Stock Reconciliation: a blind count by
item, scanned bin then items; one line off by more than the threshold is asked again; the desk
reviews the variance with its value and approves it into a submitted Stock Reconciliation."""

import frappe
from frappe.utils import flt

from tests.bench import builders
from tests.browser.conftest import PASSWORD, desk_user


def planned_take() -> frappe._dict:
	from wms_tms.erp import stocktake

	tea = builders.item_with_stock(10, bin_name="A2-04-L", price=10)  # valued at 5.00
	cup = builders.item_with_stock(5, bin_name="A2-04-L", price=4)
	counter = desk_user("WMS Picker")
	take = frappe.get_doc(
		{
			"doctype": "Stock Take",
			"company": builders.company(),
			"warehouse": builders.store(),
			"basis": "Item",
			"items": f"{tea}\n{cup}",
			"blind": 1,
			"counter": counter,
			"recount_value": 3,
		}
	).insert(ignore_permissions=True)
	stocktake.make_plan(take.name)
	frappe.db.commit()
	return frappe._dict(take=take.name, tea=tea, cup=cup, counter=counter, bin="A2-04-L")


def login(watched, user: str):
	"""conftest's login, patient with a busy shared site (the first desk boot can take long)."""
	watched.page.context.set_default_timeout(60_000)
	watched.goto("/login")
	watched.page.fill("#login_email", user)
	watched.page.fill("#login_password", PASSWORD)
	watched.page.click(".form-login .btn-login")
	watched.page.wait_for_url(lambda url: "/login" not in url, timeout=90_000)


def barcode(item: str) -> str:
	return frappe.db.get_value("Item Barcode", {"parent": item}, "barcode")


def scan(page, code: str, qty: str = "", expect: str = "ok") -> str:
	page.locator("#msg").evaluate("m => { m.dataset.kind = ''; }")
	page.fill("#qty", qty)
	page.fill("#scan", code)
	page.press("#scan", "Enter")
	page.wait_for_function("() => document.querySelector('#msg').dataset.kind !== ''", timeout=10_000)
	text = page.locator("#msg").inner_text()
	assert page.locator("#msg").get_attribute("data-kind") == expect, f"{code}: {text}"
	return text


def test_a_blind_count_with_a_recount_becomes_a_stock_reconciliation(phone, desk):
	job = planned_take()
	page = phone.page
	login(phone, job.counter)
	phone.goto("/count")
	card = page.locator(f'.bin[data-bin="{builders.bin_warehouse(job.bin)}"]')
	card.wait_for()
	assert job.tea in card.inner_text() and job.cup in card.inner_text()
	# blind: the books' quantities are not on the page
	assert "Book" not in card.inner_text() and "10" not in card.inner_text()
	assert page.evaluate("() => document.documentElement.scrollWidth") <= 390

	said = scan(page, barcode(job.tea), "9", expect="refused")  # an item before its bin
	assert "bin" in said.lower()
	scan(page, job.bin)
	scan(page, barcode(job.tea), "9")
	scan(page, barcode(job.cup))
	for _n in range(4):
		scan(page, barcode(job.cup))
	assert card.locator(f'tr[data-item="{job.cup}"] td.n').inner_text() == "5"
	page.click("#finish")
	page.wait_for_function("() => document.querySelector('#msg').textContent.includes('Recount')")
	assert job.tea in page.locator("#msg").inner_text() and job.cup not in page.locator("#msg").inner_text()
	scan(page, job.bin)
	scan(page, barcode(job.tea), "9")
	page.click("#finish")
	page.wait_for_function("() => document.querySelector('#msg').textContent.includes('review')")
	phone.assert_clean("count page")

	frappe.db.rollback()
	take = frappe.get_doc("Stock Take", job.take)
	assert take.status == "Review"
	tea = next(ln for ln in take.lines if ln.item_code == job.tea)
	assert (tea.book_qty, tea.first_count, tea.counted_qty, tea.recount) == (10, 9, 9, 1)
	assert flt(take.total_difference_value) == -5

	manager = desk_user("Stock Manager", "Stock User")
	login(desk, manager)
	desk.goto(f"/app/stock-take/{job.take}")
	desk.desk_ready()
	dpage = desk.page
	# the variance with its value: the line's difference and the take's total
	value = dpage.locator('.frappe-control[data-fieldname="total_difference_value"] .control-value')
	assert "-" in value.inner_text() and "5.00" in value.inner_text()
	grid = dpage.locator('.frappe-control[data-fieldname="lines"]').inner_text()
	assert job.tea in grid and "-1" in grid
	dpage.get_by_role("button", name="Approve: make Stock Reconciliation").click()
	dpage.locator(".modal:visible").get_by_role("button", name="Yes").click()
	dpage.wait_for_function(
		"name => window.cur_frm && cur_frm.doc.name === name && cur_frm.doc.status === 'Reconciled'",
		arg=job.take,
	)
	desk.assert_clean("stock take form")

	frappe.db.rollback()
	sr = frappe.db.get_value("Stock Take", job.take, "stock_reconciliation")
	assert sr and frappe.db.get_value("Stock Reconciliation", sr, "docstatus") == 1
	rows = frappe.get_all("Stock Reconciliation Item", filters={"parent": sr}, fields=["item_code", "qty"])
	assert [(r.item_code, r.qty) for r in rows] == [(job.tea, 9)]
	on_hand = {
		i: flt(
			frappe.db.get_value(
				"Bin", {"item_code": i, "warehouse": builders.bin_warehouse(job.bin)}, "actual_qty"
			)
		)
		for i in (job.tea, job.cup)
	}
	assert on_hand == {job.tea: 9, job.cup: 5}
