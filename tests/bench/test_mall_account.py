"""b2b_mall's buyer account on a real site: My orders (every channel, each line's progress, the trip's
ETA, the driver's photo, invoices and payments, another customer's order not found), the balance and
the statement's confirmation (a document the accountant resolves, printed as our PDF), and points
(ERPNext's Loyalty Program: earned on a desk invoice, redeemed at checkout within the settings' share,
reaching the Sales Invoice as ERPNext's own redemption)."""

import time

import frappe
import pytest
from frappe.utils import add_days, flt, getdate, nowdate

from b2b_mall.core.cart import CartLine, CartRejected, Checkout
from b2b_mall.erp import account, orders
from tests.bench import builders
from tests.bench.account_world import account_world, desk_order


@pytest.fixture(scope="module")
def world(site):
	for attempt in range(4):  # other suites on the shared site may deadlock us on the stock rows
		frappe.db.rollback()
		frappe.set_user("Administrator")
		try:
			w = account_world()
			break
		except (frappe.QueryDeadlockError, frappe.QueryTimeoutError):
			if attempt == 3:
				raise
			time.sleep(1 + attempt)
	yield w
	frappe.db.rollback()
	frappe.set_user("Administrator")


@pytest.fixture(autouse=True)
def rollback(site):
	"""The module's world is built once in one transaction (rolled back at the end); each test runs
	in a savepoint of it."""
	frappe.db.savepoint("mall_account_case")
	yield
	frappe.db.rollback(save_point="mall_account_case")
	frappe.set_user("Administrator")
	frappe.local.response = frappe._dict()


def test_my_orders_lists_every_channel_of_the_customer_only(world):
	frappe.set_user(world.buyer)
	mine = account.my_orders(world.buyer)
	names = [o.name for o in mine.orders]
	assert set(names) == {world.order, world.portal_order}
	channels = {o.name: o.channel for o in mine.orders}
	assert channels[world.order] == "By phone or with our staff" and channels[world.portal_order] == "Online"
	frappe.set_user(world.other)
	assert account.my_orders(world.other).orders == []


def test_order_detail_shows_progress_eta_proof_invoices_and_payments(world):
	frappe.set_user(world.buyer)
	o = account.order_detail(world.buyer, world.order)
	[line] = o.lines
	assert (line.qty, line.delivered_qty, line.invoiced) == (10, 10, 6)
	assert line.stage == "Delivered"
	notes = {d.name: d for d in o.deliveries}
	assert notes[world.delivered_note].has_proof and notes[world.delivered_note].delivered_at
	assert not notes[world.delivered_note].on_the_road
	road = notes[world.road_note]
	assert road.on_the_road and str(road.eta) == str(world.eta)
	assert [i.name for i in o.invoices] == [world.invoice]
	assert [(p.name, p.reference_name) for p in o.payments] == [(world.payment, world.invoice)]

	portal = account.order_detail(world.buyer, world.portal_order)
	assert (portal.lines[0].picked, portal.lines[0].stage) == (2, "Partly picked")


def test_the_driver_photo_is_served_to_the_buyer_only(world):
	frappe.set_user(world.buyer)
	name, content = account.proof_of_delivery(world.buyer, world.delivered_note)
	assert content.startswith(b"\x89PNG") and name.startswith("pod-")
	frappe.set_user(world.other)
	with pytest.raises(frappe.DoesNotExistError):
		account.proof_of_delivery(world.other, world.delivered_note)
	with pytest.raises(frappe.DoesNotExistError):
		account.order_detail(world.other, world.order)


def test_invoice_pdf_through_frappe_print_for_the_buyer_only(world):
	from frappe.utils.print_format import download_pdf

	frappe.set_user(world.buyer)
	download_pdf("Sales Invoice", world.invoice)
	assert frappe.local.response.filecontent.startswith(b"%PDF")
	frappe.set_user(world.other)
	with pytest.raises(frappe.DoesNotExistError):
		download_pdf("Sales Invoice", world.invoice)


def test_balance_credit_and_overdue(world):
	frappe.db.set_value("Sales Invoice", world.invoice, "due_date", add_days(nowdate(), -40))
	cust = frappe.get_doc("Customer", world.customer)
	cust.append("credit_limits", {"company": builders.company(), "credit_limit": 50000})
	cust.save(ignore_permissions=True)
	frappe.set_user(world.buyer)
	b = account.balance(world.buyer)
	assert b.credit_limit == 50000
	due = flt(frappe.db.get_value("Sales Invoice", world.invoice, "outstanding_amount"))
	assert b.overdue == pytest.approx(due)
	assert dict((k.label, k.amount) for k in b.buckets)["31-60"] == pytest.approx(due)


def test_statement_confirmation_is_ours_the_accountant_resolves_it_and_it_prints(world):
	from frappe.utils.print_format import download_pdf

	start, end = add_days(nowdate(), -30), nowdate()
	frappe.set_user(world.buyer)
	s = orders.statement(world.buyer, start, end)
	frappe.local.message_log = []
	with pytest.raises(CartRejected) as e:
		account.confirm_statement(world.buyer, start, end, "Disputed", "  ")
	assert [p.code for p in e.value.problems] == ["no_reason"]
	made = account.confirm_statement(world.buyer, start, end, "Disputed", "<b>missing</b> a credit note")
	frappe.set_user("Administrator")  # the accountant
	doc = frappe.get_doc("Mall Statement Confirmation", made.name)
	assert (doc.customer, doc.status, doc.submitted_by) == (world.customer, "Disputed", world.buyer)
	assert doc.closing_balance == pytest.approx(s.closing) and doc.opening_balance == pytest.approx(s.opening)
	assert doc.buyer_comment == "&lt;b&gt;missing&lt;/b&gt; a credit note"
	# the accountant resolves it with a note; a resolved statement cannot be disputed by editing it
	doc.status = "Resolved"
	with pytest.raises(frappe.ValidationError):
		doc.save(ignore_permissions=True)
	doc.reload()
	doc.status, doc.resolution = "Resolved", "Credit note issued"
	doc.save(ignore_permissions=True)
	assert doc.resolved_by == "Administrator"
	doc.status = "Confirmed"
	with pytest.raises(frappe.ValidationError):
		doc.save(ignore_permissions=True)
	# our print format, as a PDF, for the buyer; another customer's buyer gets nothing
	frappe.set_user(world.buyer)
	download_pdf("Mall Statement Confirmation", made.name, "Mall Statement Confirmation")
	assert frappe.local.response.filecontent.startswith(b"%PDF")
	html = frappe.get_print("Mall Statement Confirmation", made.name, "Mall Statement Confirmation")
	assert world.invoice in html and "Resolved" in html
	frappe.set_user(world.other)
	with pytest.raises(frappe.DoesNotExistError):
		download_pdf("Mall Statement Confirmation", made.name, "Mall Statement Confirmation")


def test_points_earned_on_a_desk_invoice_and_shown_with_history(world):
	frappe.set_user(world.buyer)
	p = account.points_summary(world.buyer)
	assert p.enrolled and p.balance == world.earned and p.available == world.earned
	history = account.points_history(world.buyer)
	assert [(h.invoice, h.loyalty_points) for h in history] == [(world.invoice, world.earned)]


def place(buyer: str, item: str, qty: float, points: int):
	frappe.set_user(buyer)
	return orders.place_order(buyer, [CartLine(item, qty)], Checkout(redeem_points=points))


def test_redemption_over_the_share_is_refused_and_within_it_reaches_the_invoice(world):
	from erpnext.selling.doctype.sales_order.sales_order import make_sales_invoice

	settings = frappe.get_doc("B2B Mall Settings")
	settings.db_set("points_max_share", 10)
	frappe.clear_document_cache("B2B Mall Settings", "B2B Mall Settings")
	# one unit at 300: 10% = 30 of money = 60 points at 0.5
	with pytest.raises(CartRejected) as e:
		place(world.buyer, world.item, 1, 61)
	assert [p.code for p in e.value.problems] == ["over_share"]
	with pytest.raises(CartRejected) as e:
		place(world.buyer, world.item, 20, world.earned + 1)  # within 10% of 6,000, beyond the points
	assert [p.code for p in e.value.problems] == ["over_points"]
	placed = place(world.buyer, world.item, 1, 60)
	frappe.set_user("Administrator")
	assert frappe.db.get_value("Sales Order", placed.sales_order, "th_b2b_redeem_points") == 60
	# the points are held by the open order: a second order cannot spend them again
	frappe.set_user(world.buyer)
	assert account.points_summary(world.buyer).available == world.earned - 60
	frappe.set_user(
		"Administrator"
	)  # the desk invoices the order: ERPNext's own redemption fields, ledger and Loyalty Point Entry
	si = make_sales_invoice(placed.sales_order)
	si.insert(ignore_permissions=True)
	assert (si.redeem_loyalty_points, si.loyalty_points, si.loyalty_amount) == (1, 60, 30)
	assert si.outstanding_amount == pytest.approx(si.grand_total - 30)
	si.submit()
	redeemed = frappe.get_all(
		"Loyalty Point Entry",
		filters={"invoice": si.name, "loyalty_points": ("<", 0)},
		pluck="loyalty_points",
	)
	assert redeemed == [-60]
	frappe.set_user(world.buyer)
	p = account.points_summary(world.buyer)
	assert p.pending == 0
	earned_now = int((si.grand_total - 30) / 10)
	assert p.balance == world.earned - 60 + earned_now


def test_a_second_invoice_of_the_order_does_not_redeem_again(world):
	from erpnext.selling.doctype.sales_order.sales_order import make_sales_invoice

	so = desk_order(world.customer, world.item, 2)
	so.db_set("th_b2b_redeem_points", 40)
	first = make_sales_invoice(so.name)
	first.items[0].qty = 1
	first.insert(ignore_permissions=True)
	first.submit()
	assert first.loyalty_points == 40
	second = make_sales_invoice(so.name)
	second.insert(ignore_permissions=True)
	assert not second.redeem_loyalty_points


def test_an_invoice_without_a_request_redeems_nothing(world):
	so = desk_order(world.customer, world.item, 1)
	from erpnext.selling.doctype.sales_order.sales_order import make_sales_invoice

	si = make_sales_invoice(so.name)
	si.insert(ignore_permissions=True)
	assert not si.redeem_loyalty_points and not si.loyalty_points
	assert getdate(si.posting_date) == getdate(nowdate())


def test_a_settings_field_added_by_an_update_gets_its_default_not_zero(world):
	"""A site that saved B2B Mall Settings before the points share existed: migrate gives the new
	field its declared 20%, so points stay redeemable; a share the trader set (0 included) stays."""
	from b2b_mall.install import fill_new_single_defaults

	def after_migrate():  # the part of b2b_mall's after_migrate under test (the rest alters tables)
		fill_new_single_defaults("B2B Mall Settings")

	frappe.db.sql(
		"delete from `tabSingles` where doctype = 'B2B Mall Settings' and field = 'points_max_share'"
	)
	frappe.clear_document_cache("B2B Mall Settings", "B2B Mall Settings")
	after_migrate()
	frappe.clear_document_cache("B2B Mall Settings", "B2B Mall Settings")
	assert account.max_share() == 20
	frappe.set_user(world.buyer)
	assert account.points_summary(world.buyer).max_share == 20
	frappe.set_user("Administrator")

	frappe.db.set_single_value("B2B Mall Settings", "points_max_share", 0)
	after_migrate()
	frappe.clear_document_cache("B2B Mall Settings", "B2B Mall Settings")
	assert account.max_share() == 0, "the trader's own 0 (no redemption) is kept"
