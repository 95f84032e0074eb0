"""Issue 12, several buyers per customer and login: invitations (signed, single use, expiring, audited),
QR login (bound to the browser that shows the code), and orders above B2B Mall Settings' amount that
wait for an approver of the same customer before they become submitted Sales Orders.

Everything runs in the test's rolled-back transaction, except the QR login's completion, which goes
over HTTP to the running site (it logs a browser in) with committed data of unique names."""

import frappe
import pytest
import requests
from frappe.utils import add_days, flt, nowdate, random_string

from b2b_mall.core.cart import CartLine, CartRejected, Checkout
from b2b_mall.erp import approvals, buyers, orders
from tests.bench import builders

PASSWORD = "Invite@Test2026"


# ---------------------------------------------------------------- helpers


def set_role(customer: str, user: str, role: str) -> None:
	row = frappe.db.get_value("Portal User", {"parenttype": "Customer", "parent": customer, "user": user})
	frappe.db.set_value("Portal User", row, "th_b2b_role", role)


def logs(reference: str | None = None, status: str | None = None) -> list[frappe._dict]:
	filters = {"link_name": reference} if reference else {}
	if status:
		filters["status"] = status
	return frappe.get_all(
		"Activity Log", filters=filters, fields=["subject", "status", "user"], order_by="creation"
	)


def refusal(fn, *args, **kwargs) -> buyers.Refused:
	with pytest.raises(buyers.Refused) as e:
		fn(*args, **kwargs)
	return e.value


def as_user(user: str, fn, *args, **kwargs):
	frappe.set_user(user)
	try:
		return fn(*args, **kwargs)
	finally:
		frappe.set_user("Administrator")


def token_of(url: str) -> str:
	from urllib.parse import parse_qs, urlsplit

	q = parse_qs(urlsplit(url).query)
	return (q.get("token") or q.get("t"))[0]


def built(make):
	"""make() under other suites' concurrent writes to the shared site: a deadlock rolls the whole
	transaction back, and a lock wait (on the default-values row every new User writes) times out,
	so the setup is made again (as the cross-party suite does)."""
	import time

	for attempt in range(4):
		try:
			return make()
		except (frappe.QueryDeadlockError, frappe.QueryTimeoutError):
			if attempt == 3:
				raise
			frappe.db.rollback()
			frappe.set_user("Administrator")
			time.sleep(1 + attempt)


@pytest.fixture
def clock(monkeypatch):
	"""Move the tokens' clock forward: clock(seconds)."""
	import time

	def move(seconds: float):
		monkeypatch.setattr(buyers, "now", lambda: time.time() + seconds)

	return move


# ---------------------------------------------------------------- invitations


def new_invitation(role="Approver"):
	def make():
		cust = builders.customer("Gold Dealers")
		email = f"invited-{random_string(8).lower()}@test.local"
		return cust, email, buyers.invite(cust.name, email, role)

	return built(make)


def test_an_invitation_is_accepted_once_and_every_use_is_audited():
	cust, email, inv = new_invitation("Approver")
	assert inv.url.startswith(frappe.utils.get_url("/mall-invite?token="))
	assert inv.qr.startswith("data:image/svg+xml;base64,")
	token = token_of(inv.url)

	user = as_user("Guest", buyers.accept, token, "New <b>Buyer</b>", PASSWORD)
	assert user == email
	u = frappe.get_doc("User", email)
	assert u.user_type == "Website User" and u.first_name == "New Buyer"
	assert "Customer" in frappe.get_roles(email)  # given by ERPNext for Portal Users
	from frappe.utils.password import check_password

	assert check_password(email, PASSWORD) == email
	assert buyers.role_in(cust.name, email) == "Approver"
	assert as_user(email, orders.customer_of, email) == cust.name
	assert frappe.db.get_value("B2B Buyer Invitation", inv.invitation, ["status", "accepted_by"]) == (
		"Accepted",
		email,
	)

	again = refusal(as_user, "Guest", buyers.accept, token, "Someone", "Other@Pass2026")
	assert (again.reason, again.status) == ("used", 410)
	assert [(x.status, x.subject.split(" ")[-1]) for x in logs(inv.invitation)][-1] == ("Failed", "used")
	assert [x.status for x in logs(inv.invitation)] == [
		"Success",
		"Success",
		"Failed",
	]  # made, accepted, reused
	assert frappe.db.count("Portal User", {"user": email}) == 1


def test_an_expired_invitation_is_refused_and_audited(clock):
	cust, email, inv = new_invitation()
	clock(8 * 86400)  # the default is valid for 7 days
	e = refusal(as_user, "Guest", buyers.accept, token_of(inv.url), "Late", PASSWORD)
	assert (e.reason, e.status) == ("expired", 410)
	assert not frappe.db.exists("User", email)
	assert frappe.db.get_value("B2B Buyer Invitation", inv.invitation, "status") == "Pending"
	assert logs(status="Failed")[-1].subject == "Buyer invitation refused: expired"


@pytest.mark.parametrize("part", ["id", "expiry", "signature", "kind"])
def test_a_tampered_invitation_is_refused(part):
	_c, email, inv = new_invitation()
	_c2, _e2, other = new_invitation()
	kind, id_, exp, sig = token_of(inv.url).split(".")
	changed = {
		"id": f"{kind}.{other.invitation}.{exp}.{sig}",  # another (pending) invitation with this signature
		"expiry": f"{kind}.{id_}.{int(exp) + 30 * 86400}.{sig}",
		"signature": f"{kind}.{id_}.{exp}.{sig[::-1]}",
		"kind": f"qrlogin.{id_}.{exp}.{sig}",
	}[part]
	e = refusal(as_user, "Guest", buyers.accept, changed, "Mallory", PASSWORD)
	assert (e.reason, e.status) == ("tampered", 403)
	assert not frappe.db.exists("User", email)
	assert logs(status="Failed")[-1].subject == "Buyer invitation refused: tampered"


def test_a_withdrawn_invitation_an_existing_account_and_a_weak_password_are_refused():
	cust, email, inv = new_invitation()
	token = token_of(inv.url)
	e = refusal(as_user, "Guest", buyers.accept, token, "Short", "short")
	assert (e.reason, e.status) == ("weak_password", 422)
	assert frappe.db.get_value("B2B Buyer Invitation", inv.invitation, "status") == "Pending"

	frappe.get_doc(
		{"doctype": "User", "email": email, "first_name": "Has", "user_type": "Website User"}
	).insert(ignore_permissions=True)
	e = refusal(as_user, "Guest", buyers.accept, token, "Taker", PASSWORD)
	assert e.reason == "account_exists"  # nobody sets the password of an account by holding a link
	e = refusal(as_user, builders.portal_user_for(cust.name), buyers.accept, token, None, None)
	assert e.reason == "other_user"
	# logged in as the invited email: joins without a new password
	assert as_user(email, buyers.accept, token, None, None) == email
	assert buyers.role_in(cust.name, email) == "Orderer" or buyers.role_in(cust.name, email) == "Approver"

	_c, _e, gone = new_invitation()
	frappe.delete_doc("B2B Buyer Invitation", gone.invitation, ignore_permissions=True)
	assert refusal(as_user, "Guest", buyers.accept, token_of(gone.url), "X", PASSWORD).reason == "withdrawn"


def test_only_desk_users_with_rights_on_the_customer_invite():
	from tests.bench.test_no_data_crosses_parties import system_user

	cust, buyer, nobody, manager, reader = built(
		lambda: (
			c := builders.customer("Gold Dealers"),
			builders.portal_user_for(c.name),
			system_user(),
			system_user("Sales User"),  # ERPNext's role that writes Customers
			system_user("Sales Manager"),  # reads Customers only
		)
	)
	for user in (buyer, nobody, "Guest", reader):
		with pytest.raises(frappe.PermissionError):
			as_user(user, buyers.invite, cust.name, "someone@test.local", "Orderer")
	made = as_user(manager, buyers.invite, cust.name, f"ok-{random_string(6).lower()}@test.local", "Orderer")
	assert frappe.db.get_value("B2B Buyer Invitation", made.invitation, "owner") == manager
	with pytest.raises(frappe.ValidationError):
		buyers.invite(cust.name, "not an email", "Orderer")
	with pytest.raises(frappe.ValidationError):
		buyers.invite(cust.name, "x@test.local", "Owner")
	with pytest.raises(frappe.ValidationError):  # already a buyer of a customer
		buyers.invite(cust.name, buyer, "Orderer")


# ---------------------------------------------------------------- QR login (refusals, in process)


def qr_approve_as(user: str, url: str, approve=True):
	return as_user(user, buyers.qr_approve, token_of(url), approve)


def test_qr_login_refuses_a_tampered_code_another_browser_and_reuse():
	buyer = built(buyer_of_new_customer)
	started = buyers.qr_start("Test browser")
	kind, id_, exp, sig = token_of(started.url).split(".")
	for bad in (
		f"{kind}.{id_}.{int(exp) + 600}.{sig}",
		f"{kind}.{id_}.{exp}.{sig[::-1]}",
		f"invite.{id_}.{exp}.{sig}",
	):
		e = refusal(qr_approve_as, buyer, f"/mall-scan?t={bad}")
		assert (e.reason, e.status) == ("tampered", 403)
	# another browser (no secret, a guessed one) gets no answer, not even "pending"
	for secret in (None, "guess", started.secret[:-1]):
		e = refusal(buyers.qr_poll, started.id, secret)
		assert (e.reason, e.status) == ("other_browser", 403)
	assert buyers.qr_poll(started.id, started.secret).status == "pending"
	# declined on the phone: once; then the code is used up
	assert qr_approve_as(buyer, started.url, approve=False) == "declined"
	assert refusal(qr_approve_as, buyer, started.url).reason == "used"  # a second approval
	assert buyers.qr_poll(started.id, started.secret).status == "declined"
	e = refusal(buyers.qr_poll, started.id, started.secret)
	assert (e.reason, e.status) == ("used", 410)
	failed = [x.subject for x in logs(status="Failed")]
	assert "QR login refused: other_browser" in failed and "QR login refused: used" in failed


def test_qr_login_refuses_an_expired_code(clock):
	buyer = built(buyer_of_new_customer)
	started = buyers.qr_start()
	clock(buyers.qr_seconds() + 1)
	e = refusal(qr_approve_as, buyer, started.url)
	assert (e.reason, e.status) == ("expired", 410)
	e = refusal(buyers.qr_poll, started.id, started.secret)
	assert (e.reason, e.status) == ("expired", 410)


def test_only_a_buyer_approves_a_qr_login():
	from tests.bench.test_no_data_crosses_parties import system_user, website_user

	started = buyers.qr_start()
	for user in ("Guest", system_user("Sales Manager"), website_user("driver")):
		with pytest.raises(frappe.PermissionError):
			qr_approve_as(user, started.url)


def test_qr_login_over_http_logs_in_only_the_browser_that_shows_the_code(site):
	"""Desktop and phone are two HTTP sessions against the running site; a third browser that knows
	the code's id (it saw the QR) gets nothing."""
	buyer = built(buyer_of_new_customer)
	frappe.utils.password.update_password(buyer, PASSWORD)
	# a code that outlives a slow shared server (a request can take seconds while others' suites run)
	frappe.db.set_single_value("B2B Mall Settings", "qr_login_seconds", 600)
	frappe.db.commit()
	frappe.clear_document_cache("B2B Mall Settings", "B2B Mall Settings")
	try:
		qr_login_over_http(site, buyer)
	finally:
		frappe.db.set_single_value("B2B Mall Settings", "qr_login_seconds", 120)
		frappe.db.commit()
		frappe.clear_document_cache("B2B Mall Settings", "B2B Mall Settings")


def qr_login_over_http(site: str, buyer: str) -> None:
	base = f"http://127.0.0.1:{frappe.get_conf().get('webserver_port') or 8000}"
	head = {"Host": site, "Origin": f"http://{site}"}

	def post(s, method, **body):
		return s.post(
			f"{base}/api/method/{method}", json=body, headers={**head, **s.headers_extra}, timeout=30
		)

	desktop, phone, thief = requests.Session(), requests.Session(), requests.Session()
	for s in (desktop, phone, thief):
		s.headers_extra = {}
	started = post(desktop, "b2b_mall.api.buyers.qr_start").json()["message"]
	assert "b2b_mall_qr" in desktop.cookies  # the browser's secret: an HttpOnly cookie
	r = post(phone, "login", usr=buyer, pwd=PASSWORD)
	assert r.ok, r.text
	html = phone.get(
		f"{base}/mall-scan", params={"t": token_of(started["url"])}, headers=head, timeout=30
	).text
	csrf = html.split('frappe.csrf_token = "', 1)[1].split('"', 1)[0]
	phone.headers_extra = {"X-Frappe-CSRF-Token": csrf}
	assert post(phone, "b2b_mall.api.buyers.qr_approve", token=token_of(started["url"])).json()[
		"message"
	] == {"status": "approved"}
	stolen = post(thief, "b2b_mall.api.buyers.qr_poll", id=started["id"])
	# Frappe answers every guest with the cookie sid=Guest: the thief's browser holds no session
	assert stolen.status_code == 403 and thief.cookies.get("sid") in (None, "Guest")
	done = post(desktop, "b2b_mall.api.buyers.qr_poll", id=started["id"])
	assert done.json()["message"]["status"] == "logged_in", done.text
	me = desktop.get(f"{base}/api/method/frappe.auth.get_logged_user", headers=head, timeout=30)
	assert me.json()["message"] == buyer
	again = post(desktop, "b2b_mall.api.buyers.qr_poll", id=started["id"])
	assert again.status_code == 410 and again.json()["message"]["error"] == "used"
	frappe.db.rollback()
	subjects = [x.subject for x in logs()][-50:]
	assert any(s.startswith(f"QR login of {buyer}") for s in subjects)


# ---------------------------------------------------------------- approval


def email_account() -> None:
	frappe.local.outgoing_email_account = {}  # this process's cache of the default account
	in_test, frappe.flags.in_test = frappe.flags.in_test, True  # no SMTP login check
	try:
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": f"Mall Approvals {random_string(4)}",
				"email_id": "mall-approvals@example.com",
				"enable_outgoing": 1,
				"default_outgoing": 1,
				"smtp_server": "127.0.0.1",
				"smtp_port": 2525,
				"no_smtp_authentication": 1,
			}
		).insert(ignore_permissions=True)
	finally:
		frappe.flags.in_test = in_test


@pytest.fixture
def approval_amount():
	"""set_to(amount): B2B Mall Settings' amount in this test's transaction (its cache dropped after),
	and an outgoing Email Account, without which frappe.sendmail queues nothing."""

	def set_to(amount: float):
		email_account()
		frappe.db.set_single_value("B2B Mall Settings", "approval_amount", amount)
		frappe.clear_document_cache("B2B Mall Settings", "B2B Mall Settings")

	yield set_to
	frappe.db.rollback()
	frappe.local.outgoing_email_account = {}
	frappe.clear_document_cache("B2B Mall Settings", "B2B Mall Settings")


def team(credit_limit: float = 0):
	"""A customer with an orderer and an approver, and an item of 20 in stock at 100."""
	cust = builders.customer("Gold Dealers", credit_limit=credit_limit)
	orderer, approver = builders.portal_user_for(cust.name), builders.portal_user_for(cust.name)
	set_role(cust.name, approver, "Approver")
	item = builders.item_with_stock(20, bin_name="A1-03-L", price=100)
	return frappe._dict(customer=cust.name, orderer=orderer, approver=approver, item=item)


def buyer_of_new_customer() -> str:
	return builders.portal_user_for(builders.customer("Gold Dealers").name)


def reserved(item: str) -> float:
	return flt(frappe.db.sql("select sum(reserved_qty) from tabBin where item_code=%s", item)[0][0])


def order(user: str, item: str, qty: float):
	return as_user(user, orders.place_order, user, [CartLine(item, qty)], Checkout())


def test_an_order_above_the_amount_waits_as_a_draft_that_reserves_nothing(approval_amount):
	t = built(team)
	approval_amount(500)
	small = order(t.orderer, t.item, 2)  # 200: placed
	assert frappe.db.get_value("Sales Order", small.sales_order, "docstatus") == 1 and "approval" not in small
	before = reserved(t.item)
	big = order(t.orderer, t.item, 8)  # 800: waits
	assert big.approval == "Awaiting Approval"
	so = frappe.db.get_value(
		"Sales Order", big.sales_order, ["docstatus", "th_b2b_approval", "th_b2b_ordered_by"], as_dict=True
	)
	assert (so.docstatus, so.th_b2b_approval, so.th_b2b_ordered_by) == (0, "Awaiting Approval", t.orderer)
	assert reserved(t.item) == before  # nothing reserved before approval
	# the approver hears of it: a Notification Log and an email in the Email Queue
	assert frappe.db.exists(
		"Notification Log",
		{"for_user": t.approver, "document_name": big.sales_order, "link": "/mall-approvals"},
	)
	assert not frappe.db.exists("Notification Log", {"for_user": t.orderer, "document_name": big.sales_order})
	mail = frappe.get_all(
		"Email Queue", filters={"reference_name": big.sales_order}, fields=["name", "message"]
	)
	assert len(mail) == 1 and "/mall-approvals" in mail[0].message
	assert frappe.db.get_value("Email Queue Recipient", {"parent": mail[0].name}, "recipient") == t.approver
	# an approver's own order does not wait
	mine = order(t.approver, t.item, 6)
	assert frappe.db.get_value("Sales Order", mine.sales_order, "docstatus") == 1


def test_a_customer_without_approvers_orders_as_before(approval_amount):
	buyer, item = built(
		lambda: (buyer_of_new_customer(), builders.item_with_stock(20, bin_name="A1-03-L", price=100))
	)
	approval_amount(100)
	placed = order(buyer, item, 5)
	assert frappe.db.get_value("Sales Order", placed.sales_order, "docstatus") == 1


def test_the_approver_submits_it_and_the_orderer_is_told(approval_amount):
	t = built(team)
	approval_amount(500)
	big = order(t.orderer, t.item, 8)
	before = reserved(t.item)
	with pytest.raises(frappe.PermissionError):  # the orderer cannot approve
		as_user(t.orderer, approvals.approve, t.orderer, big.sales_order)
	other = built(team)  # another customer's approver: the order does not exist for them
	with pytest.raises(frappe.DoesNotExistError):
		as_user(other.approver, approvals.approve, other.approver, big.sales_order)
	done = as_user(t.approver, approvals.approve, t.approver, big.sales_order)
	assert done.docstatus == 1
	so = frappe.db.get_value(
		"Sales Order", big.sales_order, ["docstatus", "th_b2b_approval", "th_b2b_decided_by"], as_dict=True
	)
	assert (so.docstatus, so.th_b2b_approval, so.th_b2b_decided_by) == (1, "Approved", t.approver)
	assert reserved(t.item) == before + 8  # reserved now
	assert frappe.db.exists("Notification Log", {"for_user": t.orderer, "document_name": big.sales_order})
	with pytest.raises(frappe.ValidationError):  # approved once
		as_user(t.approver, approvals.approve, t.approver, big.sales_order)
	listed = as_user(t.orderer, approvals.portal_list, t.orderer)
	assert [(r.name, r.approval) for r in listed.rows] == [(big.sales_order, "Approved")]
	assert not listed.can_decide


def test_approval_checks_stock_and_credit_again(approval_amount):
	t, t2 = built(lambda: (team(credit_limit=5000), team(credit_limit=1000)))
	approval_amount(500)
	big = order(t.orderer, t.item, 8)  # 800 of the 20 in stock
	order(t.approver, t.item, 15)  # an approver's own order takes 15: 5 left
	with pytest.raises(CartRejected) as e:
		as_user(t.approver, approvals.approve, t.approver, big.sales_order)
	assert [p.code for p in e.value.problems] == ["out_of_stock"]
	assert frappe.db.get_value("Sales Order", big.sales_order, "docstatus") == 0

	big2 = order(t2.orderer, t2.item, 8)  # 800 of a 1,000 limit
	order(t2.approver, t2.item, 5)  # 500 more, submitted: 1,300 owed or ordered
	with pytest.raises(CartRejected) as e:
		as_user(t2.approver, approvals.approve, t2.approver, big2.sales_order)
	assert [p.code for p in e.value.problems] == ["over_credit"]
	assert frappe.db.get_value("Sales Order", big2.sales_order, "th_b2b_approval") == "Awaiting Approval"


def test_a_rejected_order_stays_a_draft_with_the_note(approval_amount):
	t = built(team)
	approval_amount(500)
	big = order(t.orderer, t.item, 8)
	as_user(t.approver, approvals.reject, t.approver, big.sales_order, "<b>too much</b> this month")
	so = frappe.db.get_value(
		"Sales Order", big.sales_order, ["docstatus", "th_b2b_approval", "th_b2b_decision_note"], as_dict=True
	)
	assert (so.docstatus, so.th_b2b_approval) == (0, "Rejected")
	assert so.th_b2b_decision_note == "&lt;b&gt;too much&lt;/b&gt; this month"
	with pytest.raises(frappe.ValidationError):
		as_user(t.approver, approvals.approve, t.approver, big.sales_order)
	listed = as_user(t.orderer, approvals.portal_list, t.orderer)
	assert listed.rows[0].note == "<b>too much</b> this month"  # the page escapes it once


def test_approvers_of_a_customer_are_told_by_the_delivery_date_too(approval_amount):
	"""The held order keeps what the buyer chose at checkout: address, date and note."""
	t = built(team)
	approval_amount(500)
	when = add_days(nowdate(), 4)
	big = as_user(
		t.orderer,
		orders.place_order,
		t.orderer,
		[CartLine(t.item, 8)],
		Checkout(delivery_date=frappe.utils.getdate(when), note="call first"),
	)
	so = frappe.get_doc("Sales Order", big.sales_order)
	assert str(so.delivery_date) == when and so.th_b2b_buyer_note == "call first"
