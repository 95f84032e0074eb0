"""CRM Outreach on the site: one e-mail per contacted customer in the Email Queue, none for the
hold-out or the blacklisted, a resumed send after an interruption sends nobody twice, coupons
per customer, SMS refused with a reason without a gateway, and the effect report's groups."""

import frappe
import pytest
from frappe.desk.doctype.tag.tag import add_tag
from frappe.utils import random_string

from tests.bench import builders


def outgoing_account() -> str:
	"""A default outgoing Email Account (frappe.sendmail queues nothing without one); nothing is
	sent through it in a test: the Email Queue is only flushed by the scheduler."""
	from frappe.email.doctype.email_account.email_account import EmailAccount

	found = (EmailAccount.find_outgoing() or {}).get("default")
	if found:
		return found.name
	in_test, frappe.flags.in_test = frappe.flags.in_test, True  # no SMTP login check
	try:
		acc = frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": "CRM Outreach Test",
				"email_id": "crm-outreach@example.com",
				"enable_outgoing": 1,
				"default_outgoing": 1,
				"smtp_server": "127.0.0.1",
				"smtp_port": 2525,
				"no_smtp_authentication": 1,
			}
		).insert(ignore_permissions=True)
	finally:
		frappe.flags.in_test = in_test
	return acc.name


@pytest.fixture(autouse=True)
def _outgoing_account(rollback):
	outgoing_account()


def member(tag: str, i: int, segment: str = "Champions") -> str:
	"""A scored customer with an e-mail address, carrying the tag."""
	c = builders.customer("Silver Dealers", with_address=False).name
	frappe.db.set_value(
		"Customer",
		c,
		# scored as an RFM run scores (a segment never comes without its R and F)
		{
			"th_crm_segment": segment,
			"th_crm_r_score": 5,
			"th_crm_f_score": 5,
			"email_id": f"{tag}-{i}@example.com",
			"mobile_no": "",
		},
	)
	add_tag(tag, "Customer", c)
	return c


def audience(n: int, segment: str = "Champions") -> tuple[str, list[str]]:
	"""n scored customers with an e-mail address, all carrying a fresh tag: (tag, customers)."""
	tag = f"outreach-{random_string(6).lower()}"
	return tag, [member(tag, i, segment) for i in range(n)]


def both_sides(
	tag: str, people: list[str], outreach_name: str, share: float, sent: int = 1, held: int = 1, skip=()
):
	"""The hold-out is a hash of outreach and customer, known once the outreach is named: add members
	(as a segment grows) until at least `sent` are contacted and `held` held out, so that a test of
	both groups never meets an audience that fell all on one side (0.75^11 = 4% of the time)."""
	from online_crm.core.audiences import holdout_split

	while True:
		contacted, held_out = holdout_split([c for c in people if c not in skip], outreach_name, share)
		if len(contacted) >= sent and len(held_out) >= held:
			return people
		people.append(member(tag, len(people)))


def outreach(tag: str, **kw):
	doc = frappe.get_doc(
		{
			"doctype": "CRM Outreach",
			"title": "Spring tea for {{ you }}" if kw.pop("bad_subject", False) else "Spring tea",
			"send_by": "E-mail",
			"segments": "Champions",
			"tags": tag,
			"holdout_percent": 25,
			"subject": "{{ customer_name }}, new spring tea",
			"message": "Dear {{ customer_name }},\nyour code: {{ coupon_code }}",
			**kw,
		}
	)
	return doc.insert()


def queued(outreach_name: str) -> dict[str, int]:
	"""recipient → how many e-mails of this outreach are in the Email Queue for them."""
	rows = frappe.db.sql(
		"""select r.recipient, count(*) from `tabEmail Queue` q
		join `tabEmail Queue Recipient` r on r.parent = q.name
		where q.reference_doctype = 'CRM Outreach' and q.reference_name = %s group by r.recipient""",
		outreach_name,
	)
	return dict(rows)


def rows(name: str) -> dict[str, frappe._dict]:
	return {
		r.customer: r
		for r in frappe.get_all(
			"CRM Outreach Recipient",
			filters={"outreach": name},
			fields=["customer", "status", "reason", "address", "coupon_code"],
		)
	}


def test_sends_one_email_per_contacted_customer_none_to_hold_out_or_blacklist():
	from online_crm.erp.outreach import run

	tag, people = audience(12)
	banned = people[0]
	frappe.get_doc(
		{"doctype": "Party Blacklist", "party_type": "Customer", "customer": banned, "reason": "Chargebacks"}
	).insert()
	doc = outreach(tag)
	both_sides(tag, people, doc.name, 0.25, skip=(banned,))
	run(doc.name, commit=False)
	by = rows(doc.name)
	assert set(by) == set(people)
	assert by[banned].status == "Skipped" and "Chargebacks" in by[banned].reason
	held = [c for c, r in by.items() if r.status == "Held Out"]
	sent = [c for c, r in by.items() if r.status == "Sent"]
	assert held and sent and len(held) + len(sent) == len(people) - 1
	emails = {c: frappe.db.get_value("Customer", c, "email_id") for c in people}
	q = queued(doc.name)
	assert q == {emails[c]: 1 for c in sent}  # held out and blacklisted: nothing queued
	doc.reload()
	assert (doc.status, doc.sent_count, doc.holdout_count, doc.blacklisted_count) == (
		"Sent",
		len(sent),
		len(held),
		1,
	)

	# the hold-out is stable: the same customers are held out however often it is computed
	from online_crm.core.audiences import holdout_split

	assert sorted(holdout_split([c for c in people if c != banned], doc.name, 0.25)[1]) == sorted(held)

	# sending again sends nobody anything
	run(doc.name, commit=False)
	assert queued(doc.name) == q


def test_a_resumed_send_after_an_interruption_sends_nobody_twice(monkeypatch):
	from online_crm.erp import outreach as erp_outreach

	tag, people = audience(8)
	doc = outreach(tag, holdout_percent=0)
	real = erp_outreach.send_email
	calls = []

	def dies_on_the_fourth(*a, **kw):
		calls.append(a[0])
		if len(calls) == 4:
			raise KeyboardInterrupt("worker killed")
		return real(*a, **kw)

	monkeypatch.setattr(erp_outreach, "send_email", dies_on_the_fourth)
	with pytest.raises(KeyboardInterrupt):
		erp_outreach.run(doc.name, commit=False)
	assert sum(queued(doc.name).values()) == 3
	assert [r.status for r in rows(doc.name).values()].count("Pending") == 5
	monkeypatch.setattr(erp_outreach, "send_email", real)
	erp_outreach.run(doc.name, commit=False)
	q = queued(doc.name)
	assert len(q) == 8 and set(q.values()) == {1}
	assert {r.status for r in rows(doc.name).values()} == {"Sent"}


def test_per_customer_coupons_are_in_the_message_and_one_per_customer():
	from online_crm.erp.outreach import run

	tag, people = audience(3)
	rule = frappe.get_doc(
		{
			"doctype": "Pricing Rule",
			"title": f"Outreach 10% {random_string(5)}",
			"apply_on": "Transaction",
			"price_or_product_discount": "Price",
			"rate_or_discount": "Discount Percentage",
			"discount_percentage": 10,
			"selling": 1,
			"coupon_code_based": 1,
			"company": builders.company(),
		}
	).insert()
	doc = outreach(tag, holdout_percent=0, give_coupon=1, pricing_rule=rule.name)
	run(doc.name, commit=False)
	by = rows(doc.name)
	coupons = {c: frappe.get_doc("Coupon Code", r.coupon_code) for c, r in by.items()}
	assert {c: k.customer for c, k in coupons.items()} == {c: c for c in people}
	assert {k.coupon_type for k in coupons.values()} == {"Gift Card"}
	assert len({k.coupon_code for k in coupons.values()}) == 3
	from tests.bench.test_crm_reminders import body_of

	for c, k in coupons.items():
		raw = frappe.db.sql(
			"""select q.message from `tabEmail Queue` q join `tabEmail Queue Recipient` r on r.parent = q.name
			where q.reference_name = %s and r.recipient = %s""",
			(doc.name, by[c].address),
		)[0][0]
		body = body_of(raw)
		name = frappe.db.get_value("Customer", c, "customer_name")
		assert k.coupon_code in body and f"Dear {name}," in body


def test_template_errors_and_a_pricing_rule_without_coupons_are_refused_on_save():
	tag, _people = audience(1)
	with pytest.raises(frappe.ValidationError, match="favourite"):
		outreach(tag, message="Hi {{ favourite }}")
	plain = frappe.get_doc(
		{
			"doctype": "Pricing Rule",
			"title": f"No coupon {random_string(5)}",
			"apply_on": "Transaction",
			"price_or_product_discount": "Price",
			"rate_or_discount": "Discount Percentage",
			"discount_percentage": 5,
			"selling": 1,
			"company": builders.company(),
		}
	).insert()
	with pytest.raises(frappe.ValidationError, match="Coupon Code Based"):
		outreach(tag, give_coupon=1, pricing_rule=plain.name)


def test_sms_without_a_gateway_fails_with_the_reason_and_sends_nothing():
	from online_crm.erp.outreach import run

	tag, people = audience(2)
	for c in people:
		frappe.db.set_value("Customer", c, "mobile_no", "13912345678")
	frappe.db.set_single_value("SMS Settings", "sms_gateway_url", "")
	doc = outreach(tag, holdout_percent=0, send_by="SMS", subject="")
	run(doc.name, commit=False)
	assert {(r.status, r.reason) for r in rows(doc.name).values()} == {
		("Failed", "SMS Settings has no SMS gateway URL")
	}
	assert not frappe.db.exists("SMS Log", {"message": ("like", "%spring%")})


def test_effect_report_counts_buyers_of_each_group_after_the_send():
	from online_crm.erp.outreach import run
	from online_crm.online_crm.report.crm_outreach_effect.crm_outreach_effect import execute
	from tests.bench.test_rfm_on_site import invoice

	tag, people = audience(10)
	doc = outreach(tag, holdout_percent=30)
	both_sides(tag, people, doc.name, 0.30, sent=2)
	run(doc.name, commit=False)
	by = rows(doc.name)
	sent = sorted(c for c, r in by.items() if r.status == "Sent")
	held = sorted(c for c, r in by.items() if r.status == "Held Out")
	item = builders.item_with_stock(0, price=10)
	invoice(sent[0], item, 5, 0)  # 50 after the send
	invoice(sent[1], item, 2, 0)  # 20
	invoice(held[0], item, 1, 0)  # 10
	invoice(held[0], item, 9, 40)  # long before the send: not counted
	_cols, data, _msg, chart, summary = execute({"outreach": doc.name, "window_days": 30})
	contacted, holdout = data
	assert (contacted["customers"], contacted["buyers"], contacted["total"]) == (len(sent), 2, 70)
	assert (holdout["customers"], holdout["buyers"], holdout["total"]) == (len(held), 1, 10)
	assert contacted["conversion"] == round(200 / len(sent), 2)
	lift = next(s for s in summary if s["label"] == "Conversion Lift (points)")
	assert lift["value"] == round(100 * (2 / len(sent) - 1 / len(held)), 2)
	assert chart["data"]["datasets"][0]["values"] == [contacted["conversion"], holdout["conversion"]]


@pytest.fixture
def sms_gateway():
	"""A local SMS gateway answering 200, set in ERPNext's SMS Settings; yields what it received."""
	import threading
	from http.server import BaseHTTPRequestHandler, HTTPServer
	from urllib.parse import parse_qs, urlparse

	got = []

	class Gateway(BaseHTTPRequestHandler):
		def do_GET(self):
			got.append({k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()})
			self.send_response(200)
			self.end_headers()
			self.wfile.write(b"OK")

		def log_message(self, *a):
			pass

	server = HTTPServer(("127.0.0.1", 0), Gateway)
	threading.Thread(target=server.serve_forever, daemon=True).start()
	s = frappe.get_doc("SMS Settings")
	s.sms_gateway_url = f"http://127.0.0.1:{server.server_port}/send"
	s.message_parameter, s.receiver_parameter, s.use_post = "text", "to", 0
	s.save(ignore_permissions=True)
	yield got
	server.shutdown()


def test_sms_goes_through_the_sms_settings_gateway_once_per_customer(sms_gateway):
	from online_crm.erp.outreach import run

	tag, people = audience(3)
	for i, c in enumerate(people):
		frappe.db.set_value("Customer", c, "mobile_no", f"1390000000{i}")
	doc = outreach(tag, holdout_percent=0, send_by="SMS, else e-mail", subject="")
	run(doc.name, commit=False)
	run(doc.name, commit=False)
	names = {
		f"1390000000{i}": frappe.db.get_value("Customer", c, "customer_name") for i, c in enumerate(people)
	}
	assert sorted(m["to"] for m in sms_gateway) == sorted(names)
	for m in sms_gateway:
		assert m["text"].startswith(f"Dear {names[m['to']]},")
	assert {(r.status, r.address) for r in rows(doc.name).values()} == {("Sent", n) for n in names}
