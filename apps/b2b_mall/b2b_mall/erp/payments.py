"""Online payment on the mall, the ERPNext side: what a buyer can pay, the Payment Requests a payment
is made of, the gateway's notification turned into Payment Entries, and payments that never return.

- An order not invoiced yet is paid as an advance: one Payment Request on the Sales Order. An order
  with submitted invoices is paid through its invoices: a Payment Request on each with an outstanding
  amount. The balance due is every outstanding invoice of the customer.
- One "B2B Mall Online Payment" is one trade at the gateway: its name is the trade number, its rows
  the Payment Requests, and the amount asked for is theirs (their grand totals), never a copy.
- The notification is verified by the provider module (signature, app id), then, under a lock on the
  payment's row and its Payment Requests' rows, the amount must equal the requests' and the payment
  must be pending: ERPNext's own Payment Request.set_as_paid() makes each Payment Entry
  (get_payment_entry: against the invoice, or an advance against the Sales Order). A replay finds the
  payment paid and posts nothing.
- A payment not paid within the settings' minutes (the gateway closes it then) is expired a little
  later by the scheduler: its Payment Requests are cancelled, so the buyer can pay again. Money that
  still arrives for it is flagged "Refund Needed" and logged, never posted.
"""

import datetime
from zoneinfo import ZoneInfo

import frappe
from frappe import _
from frappe.utils import add_to_date, cint, flt, get_url, now_datetime

from b2b_mall.core.payment_gateway import (
	Action,
	GatewayOrder,
	PaymentGateway,
	Rejected,
	State,
	decide,
	gateway_class,
	money,
)
from b2b_mall.erp.orders import customer_of, fresh_transaction, lock_customer

PAYMENT = "B2B Mall Online Payment"
SETTINGS = "B2B Mall Payment Settings"
NOTIFY_PATH = "/api/method/b2b_mall.api.payments.notify"
GRACE_MINUTES = 3  # after the gateway's own expiry, before we give a payment up
PROVIDER_TZ = {"Alipay": ZoneInfo("Asia/Shanghai")}
OPEN_PR = ("Draft", "Requested", "Initiated", "Partially Paid")


class NothingToPay(frappe.ValidationError):
	pass


class PaymentUnderWay(frappe.ValidationError):
	http_status_code = 409


# ------------------------------------------------------------ settings and the gateway


def gateway_from(doc) -> PaymentGateway:
	"""The provider module configured by B2B Mall Payment Settings (`doc`); throws with the reason."""
	cls = gateway_class(doc.provider or "Alipay")
	from b2b_mall.core.gateways import alipay

	try:
		if cls is alipay.Gateway:
			return cls(
				alipay.Config(
					app_id=(doc.app_id or "").strip(),
					private_key=doc.get_password("private_key", raise_exception=False) or "",
					platform_public_key=doc.get_password("platform_public_key", raise_exception=False) or "",
					gateway_url=(doc.gateway_url or "").strip() or alipay.Config.gateway_url,
					method=doc.method or alipay.PAGE_PAY,
				)
			)
		return cls(doc)
	except ValueError as e:
		frappe.throw(_("Online payment is not set up correctly: {0}").format(str(e)))


def settings():
	return frappe.get_cached_doc(SETTINGS)


def enabled() -> bool:
	s = settings()
	return bool(s.enabled and s.app_id)


def gateway() -> PaymentGateway:
	s = settings()
	if not s.enabled:
		frappe.throw(_("Online payment is not available at the moment."), NothingToPay)
	return gateway_from(s)


def pay_within() -> int:
	return cint(settings().pay_within_minutes) or 30


def notify_url() -> str:
	return (settings().notify_url or "").strip() or get_url(NOTIFY_PATH)


def provider_now(provider: str) -> datetime.datetime:
	return datetime.datetime.now(PROVIDER_TZ.get(provider, ZoneInfo("Asia/Shanghai"))).replace(tzinfo=None)


# ------------------------------------------------------------ what the buyer can pay


def _company() -> str:
	from b2b_mall.erp.orders import settings as mall_settings

	return mall_settings().company


def invoices_of_orders(orders: list[str]) -> dict[str, list[frappe._dict]]:
	"""Per Sales Order, its submitted (non-return) Sales Invoices with their outstanding amounts."""
	if not orders:
		return {}
	rows = frappe.db.sql(
		"""select distinct sii.sales_order, si.name, si.outstanding_amount, si.grand_total
		from `tabSales Invoice Item` sii join `tabSales Invoice` si on si.name = sii.parent
		where sii.sales_order in %(orders)s and si.docstatus = 1 and si.is_return = 0
		order by si.posting_date, si.name""",
		{"orders": tuple(orders)},
		as_dict=True,
	)
	out: dict[str, list] = {}
	for r in rows:
		out.setdefault(r.sales_order, []).append(r)
	return out


def pending_references(customer: str) -> dict[tuple[str, str], str]:
	"""(doctype, name) → the pending online payment that is paying it."""
	rows = frappe.db.sql(
		"""select i.reference_doctype, i.reference_name, p.name
		from `tabB2B Mall Online Payment Item` i join `tabB2B Mall Online Payment` p on p.name = i.parent
		where p.customer = %s and p.status = 'Pending'""",
		customer,
		as_dict=True,
	)
	return {(r.reference_doctype, r.reference_name): r.name for r in rows}


def order_targets(so: frappe._dict, invoices: list[frappe._dict]) -> list[tuple[str, str, float]]:
	"""What paying this order pays: its invoices' outstanding amounts, or (not invoiced) the order."""
	if invoices:
		return [
			("Sales Invoice", i.name, flt(i.outstanding_amount))
			for i in invoices
			if flt(i.outstanding_amount) > 0
		]
	due = (flt(so.rounded_total) or flt(so.grand_total)) - flt(so.advance_paid)
	return [("Sales Order", so.name, due)] if due > 0.005 else []


def recent_orders(customer: str, limit: int = 30) -> list[frappe._dict]:
	return frappe.get_all(
		"Sales Order",
		filters={"customer": customer, "docstatus": 1, "status": ("not in", ("Closed", "Cancelled"))},
		fields=[
			"name",
			"transaction_date",
			"grand_total",
			"rounded_total",
			"advance_paid",
			"per_billed",
			"currency",
			"status",
		],
		order_by="transaction_date desc, creation desc",
		limit=limit,
	)


def open_invoices(customer: str) -> list[frappe._dict]:
	return frappe.get_all(
		"Sales Invoice",
		filters={
			"customer": customer,
			"company": _company(),
			"docstatus": 1,
			"is_return": 0,
			"outstanding_amount": (">", 0),
		},
		fields=["name", "posting_date", "due_date", "outstanding_amount", "currency"],
		order_by="posting_date, name",
		limit=200,
	)


def overview(user: str) -> frappe._dict:
	"""The buyer's orders with what each still asks to be paid, and the invoices due."""
	customer = customer_of(user)
	orders = recent_orders(customer)
	invoices = invoices_of_orders([o.name for o in orders])
	pending = pending_references(customer)
	for o in orders:
		targets = order_targets(o, invoices.get(o.name, []))
		o.due = sum(t[2] for t in targets)
		o.invoiced = bool(invoices.get(o.name))
		o.pending = next((pending[(dt, dn)] for dt, dn, _a in targets if (dt, dn) in pending), None)
	due = open_invoices(customer)
	return frappe._dict(
		customer=customer,
		customer_name=frappe.db.get_value("Customer", customer, "customer_name"),
		currency=frappe.get_cached_value("Company", _company(), "default_currency"),
		orders=orders,
		invoices=due,
		balance=sum(flt(i.outstanding_amount) for i in due),
		balance_pending=next(
			(pending[("Sales Invoice", i.name)] for i in due if ("Sales Invoice", i.name) in pending), None
		),
		enabled=enabled(),
	)


# ------------------------------------------------------------ starting a payment


def _targets(customer: str, what: str) -> tuple[str, str | None, list[tuple[str, str, float]]]:
	if what == "balance":
		return (
			"Balance",
			None,
			[("Sales Invoice", i.name, flt(i.outstanding_amount)) for i in open_invoices(customer)],
		)
	so = frappe.db.get_value(
		"Sales Order",
		{"name": what, "customer": customer, "docstatus": 1, "status": ("not in", ("Closed", "Cancelled"))},
		["name", "grand_total", "rounded_total", "advance_paid", "currency"],
		as_dict=True,
	)
	if not so:
		frappe.throw(_("No such order of yours to pay."), frappe.DoesNotExistError)
	return "Order", so.name, order_targets(so, invoices_of_orders([so.name]).get(so.name, []))


def start(user: str, what: str) -> frappe._dict:
	"""Start paying an order of the buyer's customer (`what` = its Sales Order) or the balance due
	(`what` = "balance"): Payment Requests, the online payment, and the gateway's signed cashier URL.

	A payment already under way for exactly the same documents is continued (same trade number, new
	URL); one for some of them refuses (409) until it is paid or expired."""
	customer = customer_of(user)
	_targets(customer, what)  # another customer's order: 404, before anything else is said
	gw = gateway()
	fresh_transaction()
	lock_customer(customer)  # one payment start per customer at a time
	expire_stale(customer=customer, commit=False)
	purpose, sales_order, targets = _targets(customer, what)
	if not targets:
		frappe.throw(_("There is nothing left to pay here."), NothingToPay)
	wanted = {(dt, dn) for dt, dn, _a in targets}
	under_way = pending_references(customer)
	started = {under_way[k] for k in wanted if k in under_way}
	if started:
		name = started.pop()
		doc = frappe.get_doc(PAYMENT, name)
		if not started and {(r.reference_doctype, r.reference_name) for r in doc.requests} == wanted:
			return _checkout(doc, gw)
		frappe.throw(
			_(
				"A payment started earlier ({0}) covers part of this. Finish it, or pay again after {1}."
			).format(name, frappe.format(doc.expires_at, {"fieldtype": "Datetime"})),
			PaymentUnderWay,
		)
	minutes = pay_within()
	doc = frappe.get_doc(
		{
			"doctype": PAYMENT,
			"customer": customer,
			"buyer": user,
			"purpose": purpose,
			"sales_order": sales_order,
			"status": "Pending",
			"provider": gw.provider,
			"expires_at": add_to_date(now_datetime(), minutes=minutes),
		}
	)
	doc.insert(ignore_permissions=True)
	for dt, dn, _amount in targets:
		pr = payment_request(dt, dn, customer)
		doc.append("requests", {"payment_request": pr.name, "reference_doctype": dt, "reference_name": dn})
	_log(doc, f"started by {user} for {purpose} {sales_order or ''}".rstrip())
	doc.save(ignore_permissions=True)
	return _checkout(doc, gw)


def payment_request(dt: str, dn: str, customer: str):
	"""A submitted Payment Request for what is left to pay on the document, through ERPNext's own
	make_payment_request (which refuses one beyond the amount left)."""
	from erpnext.accounts.doctype.payment_request.payment_request import make_payment_request

	s = settings()
	pr = make_payment_request(
		dt=dt, dn=dn, party_type="Customer", party=customer, mute_email=1, return_doc=1, submit_doc=0
	)
	pr.payment_account = s.receiving_account or None
	pr.mode_of_payment = s.mode_of_payment or None
	pr.flags.mute_email = True
	pr.flags.ignore_permissions = True
	if pr.is_new():
		pr.insert(ignore_permissions=True)
	else:
		pr.save(ignore_permissions=True)
	pr.submit()
	return pr


def requests_of(doc, lock: bool = False) -> list[frappe._dict]:
	names = [r.payment_request for r in doc.requests]
	if not names:
		return []
	return frappe.db.sql(
		f"""select name, grand_total, outstanding_amount, status, docstatus, currency
		from `tabPayment Request` where name in %(names)s order by name {"for update" if lock else ""}""",
		{"names": tuple(names)},
		as_dict=True,
	)


def amount_of(doc) -> tuple[float, str]:
	rows = requests_of(doc)
	return sum(flt(r.grand_total) for r in rows), (rows[0].currency if rows else "")


def _checkout(doc, gw: PaymentGateway) -> frappe._dict:
	amount, currency = amount_of(doc)
	if currency not in gw.currencies:
		frappe.throw(
			_("Online payment takes {0} only.").format(", ".join(sorted(gw.currencies))), NothingToPay
		)
	tz_now = provider_now(gw.provider)
	expires = tz_now + (doc.expires_at - now_datetime())
	subject = f"{doc.sales_order or _('Balance')} {doc.name}"
	order = GatewayOrder(
		trade_no=doc.name,
		amount=money(amount),
		currency=currency,
		subject=subject,
		notify_url=notify_url(),
		return_url=get_url(f"/mall-pay?payment={doc.name}"),
		expires_at=expires.replace(microsecond=0),
	)
	return frappe._dict(
		payment=doc.name, url=gw.checkout_url(order, tz_now), amount=amount, currency=currency
	)


def _log(doc, line: str) -> None:
	stamp = now_datetime().strftime("%Y-%m-%d %H:%M:%S")
	doc.log = ((doc.log or "") + f"{stamp} {line}\n")[-20000:]


def status_of(user: str, name: str) -> frappe._dict:
	"""The buyer's own online payment, for the page they return to; another customer's is not found."""
	customer = customer_of(user)
	row = frappe.db.get_value(
		PAYMENT,
		{"name": name, "customer": customer},
		["name", "status", "purpose", "sales_order", "expires_at"],
		as_dict=True,
	)
	if not row:
		frappe.throw(_("No such payment of yours."), frappe.DoesNotExistError)
	doc = frappe.get_doc(PAYMENT, name)
	row.amount, row.currency = amount_of(doc)
	row.documents = [r.reference_name for r in doc.requests]
	return row


# ------------------------------------------------------------ the gateway's notification


def receive(body: bytes, content_type: str) -> tuple[int, str]:
	"""Handle one notification: (HTTP status, body). Posts at most once per payment, whatever arrives."""
	name = None
	fresh_transaction()
	frappe.db.savepoint("b2b_mall_notify")
	try:
		gw = gateway_from(settings())
		n = gw.parse_notification(body, content_type)
		name = n.trade_no
		row = frappe.db.sql(
			f"select name, status, gateway_trade_no from `tab{PAYMENT}` where name = %s for update",
			n.trade_no,
			as_dict=True,
		)
		if not row:
			raise Rejected("unknown_trade", f"no online payment {n.trade_no}")
		row = row[0]
		doc = frappe.get_doc(PAYMENT, row.name)
		requests = requests_of(doc, lock=True)
		expected = sum(flt(r.grand_total) for r in requests)
		action = decide(n, State(row.status), expected, row.gateway_trade_no)
		what = f"{n.raw_status} {n.amount} trade {n.gateway_trade_no}"
		# verified: the platform speaks. The caller is a guest; ERPNext's Payment Entry checks the
		# session user's rights on accounts, so the posting runs as Administrator (and only it)
		caller = frappe.session.user
		frappe.set_user("Administrator")
		try:
			if action is Action.POST:
				_post(doc, requests, n, what)
			elif action is Action.REFUND:
				_flag_refund(doc, n, f"{what}: arrived for a payment that is {row.status}")
			elif action is Action.ALREADY:
				_log(doc, f"replay of {what}: nothing posted")
				doc.save(ignore_permissions=True)
			else:
				_log(doc, f"{what}: nothing to post")
				doc.save(ignore_permissions=True)
		finally:
			frappe.set_user(caller)
		return 200, gw.ack
	except Rejected as e:
		frappe.db.rollback(save_point="b2b_mall_notify")
		_refused(name, f"{e.reason}: {e.detail}", body)
		return 400, f"refused: {e.reason}"
	except frappe.ValidationError as e:  # the settings themselves (keys) are wrong
		frappe.db.rollback(save_point="b2b_mall_notify")
		frappe.clear_messages()
		_refused(name, f"settings: {e}", body)
		return 400, "refused: settings"


def _post(doc, requests: list[frappe._dict], n, what: str) -> None:
	unusable = [r.name for r in requests if r.docstatus != 1 or r.status not in OPEN_PR]
	if unusable:
		_flag_refund(doc, n, f"{what}: Payment Requests {', '.join(unusable)} are no longer open")
		return
	frappe.db.savepoint("b2b_mall_post_payment")
	try:
		entries = []
		for r in requests:
			pr = frappe.get_doc("Payment Request", r.name)
			pr.flags.ignore_permissions = True
			entries.append(pr.set_as_paid().name)  # ERPNext: get_payment_entry, inserted and submitted
	except frappe.ValidationError as e:
		frappe.db.rollback(save_point="b2b_mall_post_payment")
		frappe.clear_messages()
		_flag_refund(doc, n, f"{what}: ERPNext refused the Payment Entry ({e})")
		return
	doc.status = "Paid"
	doc.gateway_trade_no = n.gateway_trade_no
	doc.notified_amount = flt(n.amount)
	doc.paid_at = now_datetime()
	_log(doc, f"{what}: posted {', '.join(entries)}")
	doc.save(ignore_permissions=True)


def _flag_refund(doc, n, reason: str) -> None:
	if doc.status != "Paid":
		doc.status = "Refund Needed"
		doc.gateway_trade_no = n.gateway_trade_no
		doc.notified_amount = flt(n.amount)
		doc.paid_at = now_datetime()
	_log(doc, f"REFUND NEEDED, nothing posted: {reason}")
	doc.save(ignore_permissions=True)
	frappe.log_error(
		title=f"B2B Mall payment {doc.name}: refund needed",
		message=f"{reason}\nThe gateway took {n.amount} (trade {n.gateway_trade_no}); nothing was posted. "
		"Refund it at the gateway, or book it by hand.",
		reference_doctype=PAYMENT,
		reference_name=doc.name,
	)


def _refused(name: str | None, reason: str, body: bytes) -> None:
	frappe.log_error(
		title=f"B2B Mall payment notification refused: {reason[:80]}",
		message=f"payment: {name or '?'}\nreason: {reason}\nbody: {body[:4000].decode('utf-8', 'replace')}",
		reference_doctype=PAYMENT if name and frappe.db.exists(PAYMENT, name) else None,
		reference_name=name if name and frappe.db.exists(PAYMENT, name) else None,
	)
	if name and frappe.db.exists(PAYMENT, name):
		doc = frappe.get_doc(PAYMENT, name)
		_log(doc, f"notification refused: {reason}")
		doc.save(ignore_permissions=True)


# ------------------------------------------------------------ payments that never return


def expire_stale(customer: str | None = None, commit: bool = True) -> list[str]:
	"""Give up pending payments past their time (plus a grace): cancel their Payment Requests so the
	documents can be paid again. Each under its row lock; a notification that won the lock first wins."""
	filters = {"status": "Pending", "expires_at": ("<", add_to_date(now_datetime(), minutes=-GRACE_MINUTES))}
	if customer:
		filters["customer"] = customer
	expired = []
	for name in frappe.get_all(PAYMENT, filters=filters, pluck="name", order_by="expires_at", limit=500):
		try:
			if commit:
				fresh_transaction()
			row = frappe.db.sql(
				f"select status from `tab{PAYMENT}` where name = %s for update", name, as_dict=True
			)
			if not row or row[0].status != "Pending":
				continue
			doc = frappe.get_doc(PAYMENT, name)
			cancelled = []
			for r in requests_of(doc, lock=True):
				if r.docstatus == 1 and r.status in OPEN_PR:
					pr = frappe.get_doc("Payment Request", r.name)
					pr.flags.ignore_permissions = True
					pr.cancel()
					cancelled.append(r.name)
			doc.status = "Expired"
			_log(doc, f"expired unpaid; cancelled {', '.join(cancelled) or 'nothing'}")
			doc.save(ignore_permissions=True)
			expired.append(name)
			if commit:
				frappe.db.commit()
		except Exception:
			if not commit:
				raise
			frappe.db.rollback()
			frappe.log_error(title=f"B2B Mall payment {name}: could not expire")
	return expired


def expire_due_payments() -> None:
	"""Scheduler job."""
	if frappe.db.exists(PAYMENT, {"status": "Pending"}):
		expire_stale()
