"""ERPNext side of the mall: who the buyer is, what ERPNext prices, what is free to sell, and the Sales Order.

The only module of b2b_mall that writes ERPNext documents.
"""

import re

import frappe
from erpnext.accounts.party import get_party_details
from erpnext.controllers.website_list_for_contact import get_customers_suppliers
from erpnext.selling.doctype.customer.customer import get_credit_limit, get_customer_outstanding
from frappe.utils import add_days, cint, escape_html, flt, getdate, nowdate, strip_html

from b2b_mall.core.cart import (
	CartLimits,
	CartLine,
	CartRejected,
	Checkout,
	Credit,
	ItemFacts,
	PricedLine,
	check_checkout,
	check_items,
	check_order,
)

CHANNEL = "B2B Portal"


def customer_of(user: str) -> str:
	"""The one Customer whose Portal Users table lists this user."""
	customers, _suppliers = get_customers_suppliers("Sales Order", user)
	if len(customers) != 1:
		frappe.throw(frappe._("Your login is not linked to a customer account."), frappe.PermissionError)
	return customers[0]


def settings() -> frappe._dict:
	s = frappe.get_cached_doc("B2B Mall Settings")
	company = s.company or frappe.defaults.get_global_default("company")
	if not company or not s.stock_warehouse:
		frappe.throw(
			frappe._(
				"The B2B Mall is not set up: choose a company and a stock warehouse in B2B Mall Settings."
			)
		)
	return frappe._dict(
		company=company,
		warehouse=s.stock_warehouse,
		allow_backorder=bool(s.allow_backorder),
		enforce_credit_limit=bool(s.enforce_credit_limit),
		delivery_days=s.delivery_days or 0,
	)


DEFAULT_LIMITS = CartLimits(max_lines=100, max_qty=10000)
DEFAULT_ORDERS_PER_HOUR = 30


def limits() -> frappe._dict:
	"""The portal's caps from B2B Mall Settings; an empty (0) setting takes the default."""
	s = frappe.get_cached_doc("B2B Mall Settings")
	return frappe._dict(
		cart=CartLimits(
			max_lines=cint(s.get("max_cart_lines")) or DEFAULT_LIMITS.max_lines,
			max_qty=flt(s.get("max_line_qty")) or DEFAULT_LIMITS.max_qty,
		),
		orders_per_hour=cint(s.get("orders_per_hour")) or DEFAULT_ORDERS_PER_HOUR,
	)


def item_facts(codes: list[str]) -> dict[str, ItemFacts]:
	rows = frappe.get_all(
		"Item",
		filters={"name": ("in", codes)},
		fields=["name", "disabled", "is_sales_item", "th_b2b_moq", "th_b2b_pack_qty", "th_b2b_show_in_mall"],
	)
	return {
		r.name: ItemFacts(
			r.name,
			sellable=bool(r.is_sales_item and not r.disabled and r.th_b2b_show_in_mall),
			moq=flt(r.th_b2b_moq),
			pack=flt(r.th_b2b_pack_qty),
		)
		for r in rows
	}


def leaf_warehouses(warehouse: str) -> list[str]:
	"""The warehouse itself if it is a bin, else every leaf (bin) under it."""
	lft, rgt, is_group = frappe.db.get_value("Warehouse", warehouse, ["lft", "rgt", "is_group"])
	if not is_group:
		return [warehouse]
	return frappe.get_all(
		"Warehouse", filters={"lft": (">=", lft), "rgt": ("<=", rgt), "is_group": 0}, pluck="name"
	)


def free_stock(codes: list[str], warehouse: str) -> tuple[dict[str, float], dict[str, str]]:
	"""Per item: Σ (actual − reserved) over the store's bins, and the bin holding most of it."""
	bins = frappe.get_all(
		"Bin",
		filters={"item_code": ("in", codes), "warehouse": ("in", leaf_warehouses(warehouse))},
		fields=["item_code", "warehouse", "actual_qty", "reserved_qty"],
	)
	return _sum_bins(bins)


def _sum_bins(bins) -> tuple[dict[str, float], dict[str, str]]:
	free: dict[str, float] = {}
	best: dict[str, tuple[float, str]] = {}
	for b in bins:
		free[b.item_code] = free.get(b.item_code, 0.0) + flt(b.actual_qty) - flt(b.reserved_qty)
		if b.item_code not in best or flt(b.actual_qty) > best[b.item_code][0]:
			best[b.item_code] = (flt(b.actual_qty), b.warehouse)
	return free, {code: wh for code, (_, wh) in best.items()}


def fresh_transaction() -> None:
	"""Start a new transaction if this one has written nothing, so that its snapshot is taken
	after the locks below are held.

	MariaDB's REPEATABLE READ fixes a transaction's snapshot at its first plain read. Locking reads
	(FOR UPDATE) see the newest committed rows, but ERPNext's own reads — the customer's
	outstanding and open orders, and the Bin's reserved quantity it recomputes on submit — are plain
	reads: begun before the locks, they would miss an order another buyer committed meanwhile.
	A transaction that has written something (a test's fixtures, a caller's own writes) is kept as
	it is; the locks still serialise the orders."""
	if not frappe.db.transaction_writes:
		frappe.db.commit()


def lock_free_stock(codes: list[str], warehouses: list[str]) -> tuple[dict[str, float], dict[str, str]]:
	"""free_stock(), read under an exclusive lock on every Bin row of the cart, taken in one stable
	order (item, then warehouse) so two carts never wait on each other in a circle. The locks hold
	until the Sales Order that reserves the stock is committed (or the request is rolled back)."""
	if not codes or not warehouses:
		return {}, {}
	bins = frappe.db.sql(
		"""select item_code, warehouse, actual_qty, reserved_qty from `tabBin`
		where item_code in %(codes)s and warehouse in %(warehouses)s
		order by item_code, warehouse for update""",
		{"codes": tuple(sorted(set(codes))), "warehouses": tuple(warehouses)},
		as_dict=True,
	)
	return _sum_bins(bins)


def lock_customer(customer: str) -> None:
	"""One lock per customer around its credit check and its new Sales Order: two buyers of one
	customer check their credit one after the other, each seeing the other's order."""
	frappe.db.sql("select name from `tabCustomer` where name = %s for update", customer)


def credit_of(customer: str, company: str) -> Credit:
	limit = flt(get_credit_limit(customer, company))
	outstanding = flt(get_customer_outstanding(customer, company)) if limit else 0.0
	return Credit(limit=limit, outstanding=outstanding)


def party_details(customer: str, company: str) -> frappe._dict:
	"""ERPNext's party details for a Sales Order: the customer's price list, addresses, currency."""
	return get_party_details(
		party=customer,
		party_type="Customer",
		company=company,
		doctype="Sales Order",
		ignore_permissions=True,  # the buyer's own customer, established by customer_of()
	)


def addresses_of(customer: str) -> list[frappe._dict]:
	"""The customer's enabled addresses (shipping ones first), as plain text to choose from."""
	from frappe.contacts.doctype.address.address import render_address

	names = frappe.get_all(
		"Dynamic Link",
		filters={"link_doctype": "Customer", "link_name": customer, "parenttype": "Address"},
		pluck="parent",
	)
	rows = frappe.get_all(
		"Address",
		filters={"name": ("in", names or [""]), "disabled": 0},
		fields=["name", "address_title", "is_shipping_address", "is_primary_address"],
		order_by="is_shipping_address desc, is_primary_address desc, name",
	)
	for r in rows:
		# the customer's own addresses (the links above): no desk permission on Address is needed
		r.display = plain_lines(render_address(r.name, check_permissions=False)).replace("<br>\n", ", ")
	return rows


def draft_sales_order(
	customer: str,
	lines: list[CartLine],
	cfg: frappe._dict,
	bin_of: dict[str, str],
	checkout: Checkout | None = None,
):
	"""An unsaved Sales Order priced by ERPNext for this customer (their price list, pricing rules)."""
	checkout = checkout or Checkout()
	today = nowdate()
	party = party_details(customer, cfg.company)
	default_bin = leaf_warehouses(cfg.warehouse)[0]
	so = frappe.get_doc(
		{
			"doctype": "Sales Order",
			"customer": customer,
			"company": cfg.company,
			"order_type": "Sales",
			"transaction_date": today,
			"delivery_date": checkout.delivery_date or add_days(today, cfg.delivery_days),
			"th_channel": CHANNEL,
			# stored escaped: the desk, print formats and ERPNext's portal show a Small Text as HTML
			"th_b2b_buyer_note": escape_html(checkout.note.strip()) if checkout.note else None,
			"items": [],
		}
	)
	for key in (
		"selling_price_list",
		"currency",
		"customer_address",
		"shipping_address_name",
		"contact_person",
	):
		if party.get(key):
			so.set(key, party[key])
	if checkout.address:
		from frappe.contacts.doctype.address.address import render_address

		so.shipping_address_name = checkout.address  # one of the customer's own, checked by the caller
		so.shipping_address = render_address(checkout.address, check_permissions=False)
	for line in lines:
		so.append(
			"items",
			{
				"item_code": line.item_code,
				"qty": line.qty,
				"delivery_date": so.delivery_date,
				"warehouse": bin_of.get(line.item_code, default_bin),
			},
		)
	so.flags.ignore_permissions = True  # a portal buyer has no desk rights on Sales Order; checked above
	so.set_missing_values()
	so.calculate_taxes_and_totals()
	return so


def plain_lines(html: str) -> str:
	"""An address display (lines joined by <br>) with every tag but the line breaks removed."""
	lines = re.split(r"<br\s*/?>", html or "", flags=re.IGNORECASE)
	return "<br>\n".join(text for line in lines if (text := strip_html(line).strip()))


def keep_party_texts_plain(so) -> None:
	"""The names and addresses ERPNext copies from the Customer, Contact and Address (validate sets
	them again, so after submit): its portal page /orders/<name> and print formats show them as
	HTML, and Frappe's sanitiser keeps tags such as <img>. A buyer's texts stay text."""
	values = {
		f: strip_html(so.get(f)).strip() for f in ("customer_name", "title", "contact_display") if so.get(f)
	}
	values.update({f: plain_lines(so.get(f)) for f in ("address_display", "shipping_address") if so.get(f)})
	changed = {f: v for f, v in values.items() if v != so.get(f)}
	if changed:
		so.db_set(changed, update_modified=False)


def place_order(user: str, lines: list[CartLine], checkout: Checkout | None = None) -> frappe._dict:
	"""Check the cart against ERPNext's prices, stock and credit, then create and submit the Sales Order.

	The stock and credit checks and the Sales Order are one transaction under database locks
	(Bin rows, then the Customer row): a cart that loses a race to another is refused exactly as it
	would be one after the other. A deadlock or lock wait timeout raises frappe.QueryDeadlockError /
	frappe.QueryTimeoutError; the endpoint answers it with "try again"."""
	customer = customer_of(user)
	cfg = settings()
	codes = [ln.item_code for ln in lines]
	items = item_facts(codes)
	problems = check_items(lines, items)
	if checkout is not None:
		own = [a.name for a in addresses_of(customer)]
		problems += check_checkout(checkout, getdate(nowdate()), own)
	if problems:
		raise CartRejected(problems)
	warehouses = leaf_warehouses(cfg.warehouse)
	# Locks in one order for every cart: the cart's Bin rows (by item, then warehouse), then the
	# customer. Everything below reads and writes under them, and they are released by the
	# request's commit, after the Sales Order has reserved its stock.
	fresh_transaction()
	free, bin_of = lock_free_stock(codes, warehouses)
	lock_customer(customer)
	so = draft_sales_order(customer, lines, cfg, bin_of, checkout)
	priced = [PricedLine(i.item_code, flt(i.qty), flt(i.rate), flt(i.base_net_amount)) for i in so.items]
	credit = credit_of(customer, cfg.company) if cfg.enforce_credit_limit else Credit(0, 0)
	check_order(lines, items, free, priced, credit, cfg.allow_backorder)
	if checkout is not None and checkout.redeem_points:
		from b2b_mall.erp.account import check_redemption

		check_redemption(so, customer, cfg.company, checkout.redeem_points)  # under the customer's lock
	if "omni_channel" in frappe.get_installed_apps():  # its Order Gift Rules (智能赠品) cover the portal too
		frappe.get_attr("omni_channel.erp.gifts.add_gifts")(so, customer, cfg.warehouse)
	from b2b_mall.erp import approvals

	if approvals.must_wait(user, customer, so):  # a draft: reserves nothing until an approver submits it
		return approvals.hold(so, user, customer)
	so.insert()
	so.submit()
	keep_party_texts_plain(so)
	return frappe._dict(
		sales_order=so.name, grand_total=so.grand_total, currency=so.currency, customer=customer
	)


def account(user: str) -> frappe._dict:
	"""The mall's header for the buyer: their customer, price list, balance due and credit limit."""
	from b2b_mall.erp.catalogue import price_list_of

	customer = customer_of(user)
	cfg = settings()
	credit = credit_of(customer, cfg.company)
	return frappe._dict(
		customer=customer,
		customer_name=frappe.db.get_value("Customer", customer, "customer_name"),
		price_list=price_list_of(customer, cfg.company),
		currency=frappe.get_cached_value("Company", cfg.company, "default_currency"),
		outstanding=flt(get_customer_outstanding(customer, cfg.company)),
		credit_limit=credit.limit,
		delivery_date=add_days(nowdate(), cfg.delivery_days),
	)


def statement(user: str, from_date=None, to_date=None) -> frappe._dict:
	"""The buyer's account statement from the General Ledger: opening balance, every posting, running balance."""
	customer = customer_of(user)
	cfg = settings()
	to_date = getdate(to_date or nowdate())
	from_date = getdate(from_date or add_days(to_date, -90))
	if from_date > to_date:
		frappe.throw(frappe._("The statement must start before it ends."))
	base = {"party_type": "Customer", "party": customer, "company": cfg.company, "is_cancelled": 0}
	opening = flt(
		frappe.get_all(
			"GL Entry",
			filters={**base, "posting_date": ("<", from_date)},
			fields=["sum(debit) - sum(credit) as balance"],
		)[0].balance
	)
	rows = frappe.get_all(
		"GL Entry",
		filters={**base, "posting_date": ("between", [from_date, to_date])},
		fields=["posting_date", "voucher_type", "voucher_no", "sum(debit) as debit", "sum(credit) as credit"],
		group_by="posting_date, voucher_type, voucher_no",
		order_by="posting_date, creation",
	)
	running = opening
	for r in rows:
		running += flt(r.debit) - flt(r.credit)
		r.balance = running
	return frappe._dict(
		customer=customer, from_date=from_date, to_date=to_date, opening=opening, rows=rows, closing=running
	)
