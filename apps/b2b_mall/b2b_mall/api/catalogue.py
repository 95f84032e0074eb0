"""The mall's catalogue for wholesale buyers (logged-in Website Users linked to a Customer): a page
of items with the buyer's own prices and free stock, and the two ways to fill a cart quickly
(a list of SKUs and quantities, or one of their past orders).

Everything is keyed on the session: a customer, price list or price sent by the client is ignored.
Guests, desk users without a customer and users of another customer get 403 (PermissionError) or
404 (DoesNotExistError, for an order that is not theirs)."""

import base64
import binascii
import io

import frappe
from frappe import _

from b2b_mall.core.cart import Problem
from b2b_mall.core.catalogue import page_of, quick_lines, rows_from_csv, rows_from_text
from b2b_mall.erp import catalogue, orders
from b2b_mall.web_guard import csrf_protected

MAX_UPLOAD = 2 * 1024 * 1024  # bytes of a quick-order file
MAX_TEXT = 200_000  # characters of pasted lines


def _buyer() -> str:
	"""The logged-in user; what follows finds their customer (erp.orders.customer_of), and refuses
	with PermissionError a login that is not a Portal User of exactly one customer."""
	if frappe.session.user == "Guest":
		frappe.throw(_("Please log in to see the catalogue."), frappe.PermissionError)
	return frappe.session.user


def _said(bad: list[tuple[int, Problem]]) -> list[dict]:
	return [
		{
			"line": line,
			"code": p.code,
			"item_code": p.item_code,
			"message": _("Line {0}").format(line) + ": " + p.render(_(p.template)),
		}
		for line, p in bad
	]


@frappe.whitelist(methods=["GET"])
def items(
	q: str | None = None,
	item_group: str | None = None,
	page: int | str | None = 1,
	page_size: int | str | None = None,
) -> dict:
	"""A page of the catalogue: {"items": [{item_code, item_name, item_group, image, uom, moq, pack,
	step, rate, breaks: [[min_qty, rate], …], available | stock}], total, page, page_size, pages,
	currency, symbol, stock_display}. `q` matches an item's code or name (part of it) or a barcode
	(all of it); `item_group` keeps that group and the groups under it. Prices are ERPNext's for the
	logged-in buyer's customer; `available` (actual − reserved) or `stock` (in_stock / low / out),
	as B2B Mall Settings says."""
	user = _buyer()
	size = page_size or catalogue.display().page_size
	return catalogue.search(user, (q or "")[:140], item_group or None, page_of(page, size))


def _rows(text: str | None, filename: str | None, content: str | None) -> list[list]:
	if content:
		try:
			data = base64.b64decode(content, validate=True)
		except (binascii.Error, ValueError):
			frappe.throw(_("The file could not be read."))
		if len(data) > MAX_UPLOAD:
			frappe.throw(_("The file is larger than 2 MB."))
		name = (filename or "").lower()
		if name.endswith(".xlsx"):
			return _xlsx_rows(data)
		if name.endswith((".csv", ".txt")):
			return rows_from_csv(data)
		frappe.throw(_("Upload a CSV or XLSX file."))
	if text and len(text) > MAX_TEXT:
		frappe.throw(_("Too much text: paste at most 500 lines."))
	return rows_from_text(text or "")


def _xlsx_rows(data: bytes) -> list[list]:
	from openpyxl import load_workbook

	try:
		book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
	except Exception:
		frappe.throw(_("The file could not be read."))
	sheet = book.worksheets[0]
	rows = []
	for row in sheet.iter_rows(max_row=1000, max_col=5, values_only=True):
		rows.append(list(row))
	book.close()
	return rows


@frappe.whitelist(methods=["POST"])
@csrf_protected
def quick_order(text: str | None = None, filename: str | None = None, content: str | None = None) -> dict:
	"""Lines to put in the cart: pasted `SKU qty` lines (`text`), or a CSV or XLSX file (`filename`
	and its bytes in base64 as `content`), its first two columns the item code or barcode and the
	quantity. Answers {"lines": [{line, item_code, item_name, qty, moq, pack, rate}], "problems":
	[{line, code, item_code, message}]}: every bad line with its reason, the good lines as they are.
	Nothing is written; the order is checked again when it is placed."""
	user = _buyer()
	orders.customer_of(user)  # refuse a non-buyer before reading what they sent
	good, bad = quick_lines(_rows(text, filename, content))
	lines, refused = catalogue.cart_lines(user, good)
	return {"lines": lines, "problems": _said(sorted(bad + refused, key=lambda b: b[0]))}


@frappe.whitelist(methods=["POST"])
@csrf_protected
def reorder(sales_order: str) -> dict:
	"""The lines of one of the buyer's own past Sales Orders, to put in the cart at today's prices
	(the same answer as quick_order). Another customer's order, or one that does not exist: 404."""
	user = _buyer()
	lines, refused = catalogue.cart_lines(user, catalogue.order_lines(user, sales_order))
	return {"lines": lines, "problems": _said(refused), "sales_order": sales_order}
