"""Issue 16, settlement files: each platform's payout file imported on the site becomes one draft
Channel Settlement with its lines matched to the shop's invoices and credit notes; posted, it makes one
Journal Entry whose totals are the file's. A malformed file is refused line by line and makes nothing."""

import random
from pathlib import Path

import frappe
import pytest
from erpnext.controllers.sales_and_purchase_return import make_return_doc
from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note
from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice

from tests.bench import builders
from tests.bench.test_marketplace_permissions import as_user, user_with
from tests.bench.test_order_path import SHOP, post_webhook, shopify_order

FILES = Path(__file__).resolve().parents[1] / "unit" / "omni_channel" / "settlement_files"


def invoiced(order_id: int, qty: int, price: str) -> str:
	"""A paid marketplace order of SHOP, delivered and invoiced: its Sales Invoice."""
	from omni_channel.erp.orders import process

	item = builders.item_with_stock(qty + 5, bin_name="A2-02-R", price=float(price))
	payload = shopify_order(order_id, item, qty, price, "2026-11-23T12:00:00+08:00", cod=False)
	so = process(post_webhook(payload, webhook_id=f"wh-sf-{order_id}")[1]["order"])
	dn = make_delivery_note(so)
	dn.insert()
	dn.submit()
	si = make_sales_invoice(dn.name)
	si.insert()
	si.submit()
	return si.name


def credit_note(invoice: str, qty: int) -> str:
	cn = make_return_doc("Sales Invoice", invoice)
	for row in cn.items:
		row.qty = -qty
	cn.insert()
	cn.submit()
	return cn.name


@pytest.fixture
def accountant():
	return user_with("Accounts User")


@pytest.fixture
def upload(accountant):
	"""Store bytes as the accountant's private File (as the desk's Attach does); removed afterwards."""
	made = []

	def store(name: str, content: bytes) -> str:
		f = frappe.get_doc({"doctype": "File", "file_name": name, "content": content, "is_private": 1})
		f.insert(ignore_permissions=True)
		f.db_set("owner", accountant)
		made.append(f.get_full_path())
		return f.file_url

	yield store
	for path in made:
		Path(path).unlink(missing_ok=True)


def ids() -> tuple[int, int]:
	base = random.randint(10**8, 9 * 10**8)
	return base, base + 1


def balance(account: str, voucher: str) -> float:
	return frappe.db.sql(
		"select sum(debit - credit) from `tabGL Entry` where account = %s and voucher_no = %s and is_cancelled = 0",
		(account, voucher),
	)[0][0]


def import_as(user, fmt, url):
	from omni_channel.api.settlements import import_file

	return as_user(user, import_file, shop=SHOP, file_format=fmt, file_url=url)


def post_and_check(name: str, payout: float, fees: float, received: float, customer: str):
	"""Post the imported settlement: one Journal Entry whose totals are the file's."""
	from omni_channel.api.settlements import post

	shop = frappe.get_doc("Channel Shop", SHOP)
	owed = builders.receivable(customer)
	result = post(name)
	je = frappe.get_doc("Journal Entry", result.journal_entry)
	assert je.docstatus == 1
	assert balance(shop.clearing_account, je.name) == pytest.approx(payout), (
		"the file's payout lands in clearing"
	)
	assert balance(shop.fee_account, je.name) == pytest.approx(fees), "the file's fees are booked"
	assert builders.receivable(customer) == pytest.approx(owed - received), (
		"the buyers' payments clear invoices"
	)
	assert je.total_debit == pytest.approx(payout + fees) == pytest.approx(received)
	assert post(name).journal_entry == je.name
	assert frappe.db.count("Journal Entry", {"cheque_no": je.cheque_no, "docstatus": 1}) == 1
	return je


def test_alipay_bill_in_gbk_is_imported_matched_and_posted(accountant, upload):
	a, b = ids()
	si_a = invoiced(a, 2, "45.00")  # 90.00
	si_b = invoiced(b, 3, "20.00")  # 60.00, one unit refunded: a credit note of 20.00
	cn_b = credit_note(si_b, 1)
	text = (FILES / "alipay_account_statement.csv").read_bytes().decode("gbk")
	text = text.replace("3301234567890123", str(a)).replace("3301234567890456", str(b))
	text = text.replace("2088912045670156", f"2088{a}")  # a statement of its own on the shared site
	url = upload("alipay.csv", text.encode("gbk"))

	result = import_as(accountant, "alipay", url)
	doc = frappe.get_doc("Channel Settlement", result["name"])
	assert doc.status == "Draft" and doc.source_format == "alipay" and doc.payout == pytest.approx(94.90)
	assert [(r.order_id, r.kind, r.amount, r.sales_invoice) for r in doc.lines] == [
		(str(a), "sale", 90, si_a),
		(str(b), "sale", 60, si_b),
		(str(a), "commission", -4.5, si_a),
		(str(b), "payment_fee", -0.6, si_b),
		(str(b), "refund", -20, cn_b),
		("20261126200040011100560012340006", "service_fee", -30, None),
	]
	# the monthly fee names no order, and the refund is not in the order we have: both are shown
	assert "20261126200040011100560012340006" in doc.variances
	assert f"Order {b}: buyer paid 40.00 by the statement" in doc.variances
	assert frappe.get_value("File", {"file_url": url}, "attached_to_name") == doc.name

	customer = frappe.db.get_value("Sales Invoice", si_a, "customer")
	post_and_check(doc.name, payout=94.90, fees=35.10, received=130, customer=customer)

	with pytest.raises(frappe.DuplicateEntryError):  # the same bill twice is one settlement
		import_as(accountant, "alipay", upload("again.csv", text.encode("gbk") + b"\r\n"))


def test_stripe_payout_csv_is_imported_and_posted(accountant, upload):
	a, b = ids()
	si_a = invoiced(a, 2, "60.00")  # 120.00
	si_b = invoiced(b, 1, "45.50")
	text = (FILES / "stripe_payout_reconciliation.csv").read_text()
	text = text.replace("4101", str(a)).replace("4102", str(b)).replace("usd", "cny")
	text = text.replace("po_1QhT7kLm2nOpQr3s", f"po_{a}")
	result = import_as(accountant, "stripe", upload("payout.csv", text.encode()))
	doc = frappe.get_doc("Channel Settlement", result["name"])
	assert (doc.statement_id, doc.payout) == (f"po_{a}", pytest.approx(110.10))
	assert [r.sales_invoice for r in doc.lines if r.kind == "sale"] == [si_a, si_b]
	assert f"Line 4: the refund of -20.00 on order {a} has no credit note yet." in doc.variances
	customer = frappe.db.get_value("Sales Invoice", si_a, "customer")
	# fees: 3.78 + 1.62 and the 30.00 dispute (an adjustment, booked with the fees)
	post_and_check(doc.name, payout=110.10, fees=35.40, received=145.50, customer=customer)


def test_shopify_payout_is_imported_and_posted(accountant, upload):
	a, b = ids()
	si_a = invoiced(a, 2, "45.00")
	si_b = invoiced(b, 1, "45.00")
	text = (FILES / "shopify_payout.json").read_text()
	text = text.replace("880101", str(a)).replace("880102", str(b)).replace("USD", "CNY")
	text = text.replace("512467833", str(a))
	result = import_as(accountant, "shopify", upload("payout.json", text.encode()))
	doc = frappe.get_doc("Channel Settlement", result["name"])
	assert doc.statement_id == str(a) and doc.period_end.isoformat() == "2026-11-27"
	assert [(r.order_id, r.kind, r.sales_invoice) for r in doc.lines][:4] == [
		(str(a), "sale", si_a),
		(str(a), "payment_fee", si_a),
		(str(b), "sale", si_b),
		(str(b), "payment_fee", si_b),
	]
	customer = frappe.db.get_value("Sales Invoice", si_a, "customer")
	post_and_check(doc.name, payout=105.48, fees=19.52, received=125, customer=customer)


def test_a_malformed_file_is_refused_line_by_line_and_makes_nothing(accountant, upload):
	from omni_channel.erp.settlement_files import SettlementFileRefused

	lines = (FILES / "stripe_payout_reconciliation.csv").read_text().replace("usd", "cny").splitlines()
	lines[1] = lines[1].replace(",116.22,", ",116.00,")
	lines[3] = lines[3].replace(",-20.00,0.00,", ",twenty,0.00,")
	url = upload("bad.csv", "\n".join(lines).encode())
	before = (frappe.db.count("Channel Settlement"), frappe.db.count("Channel Settlement Line"))
	frappe.local.message_log = []
	with pytest.raises(SettlementFileRefused) as e:
		import_as(accountant, "stripe", url)
	assert "Line 2:" in str(e.value) and "116.00" in str(e.value)
	assert "Line 4:" in str(e.value) and "twenty" in str(e.value)
	assert (frappe.db.count("Channel Settlement"), frappe.db.count("Channel Settlement Line")) == before

	# a good file in another currency than the company's books is refused too
	usd = (FILES / "stripe_payout_reconciliation.csv").read_bytes()
	with pytest.raises(SettlementFileRefused, match="USD"):
		import_as(accountant, "stripe", upload("usd.csv", usd.replace(b"po_1QhT", b"po_2QhT")))
	assert frappe.db.count("Channel Settlement") == before[0]


def test_importing_needs_rights_on_settlements_and_the_file(accountant, upload):
	url = upload("x.json", (FILES / "shopify_payout.json").read_bytes().replace(b"USD", b"CNY"))
	for roles in (("Sales User",), ("Accounts User",)):
		user = user_with(*roles)
		with pytest.raises(
			frappe.PermissionError
		):  # a sales user may not; nor may anyone read another's file
			import_as(user, "shopify", url)
	assert not frappe.db.exists("Channel Settlement", {"statement_id": "512467833", "shop": SHOP})
