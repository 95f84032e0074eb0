"""online_crm campaigns and member import, as a sales manager uses them in the desk: a CRM Outreach
typed into the form and sent to a segment minus its hold-out and the blacklist (progress shown,
one e-mail per contacted customer), its effect report; a member file imported with its duplicates
and rejected rows listed with their row numbers and reasons."""

import random
from urllib.parse import unquote

import frappe
import pytest
from frappe.desk.doctype.tag.tag import add_tag
from frappe.utils import random_string

from tests.browser.conftest import PASSWORD, SHOTS, desk_user


def retried(fn, *args):
	"""Committed set-up on a site other tests write to at the same time: a deadlock is retried."""
	for attempt in range(4):
		try:
			out = fn(*args)
			frappe.db.commit()
			return out
		except (frappe.QueryDeadlockError, frappe.QueryTimeoutError):
			frappe.db.rollback()
			if attempt == 3:
				raise


@pytest.fixture
def outgoing():
	"""A default outgoing Email Account while the test runs (the worker queues e-mail through it;
	nothing is delivered: the SMTP port is closed). Removed afterwards if the test made it."""
	from tests.bench.test_crm_outreach import outgoing_account

	made = not frappe.db.exists("Email Account", {"default_outgoing": 1, "enable_outgoing": 1})
	name = retried(outgoing_account)
	yield name
	if made:
		frappe.delete_doc("Email Account", name, ignore_permissions=True, force=True)
		frappe.db.commit()


@pytest.fixture
def segment_audience():
	"""Six Champions carrying a fresh tag, one of them blacklisted; committed."""
	return retried(_segment_audience)


def champion(tag: str, i: int) -> str:
	"""A Customer scored a Champion (as an RFM run scores: a segment never comes without its R and F),
	with an email and the tag."""
	from tests.bench import builders

	c = builders.customer("Silver Dealers", with_address=False).name
	frappe.db.set_value(
		"Customer",
		c,
		{
			"th_crm_segment": "Champions",
			"th_crm_r_score": 5,
			"th_crm_f_score": 5,
			"email_id": f"{tag}-{i}@example.com",
		},
	)
	add_tag(tag, "Customer", c)
	return c


def _segment_audience():
	tag = f"spring-{random_string(6).lower()}"
	people = [champion(tag, i) for i in range(6)]
	frappe.get_doc(
		{
			"doctype": "Party Blacklist",
			"party_type": "Customer",
			"customer": people[0],
			"reason": "Chargebacks",
		}
	).insert(ignore_permissions=True)
	return tag, people


def login(desk, user: str):
	"""desk.login, with the patience a shared and busy site needs (the login page and the first
	desk boot can each take tens of seconds there)."""
	page = desk.page
	page.set_default_navigation_timeout(120_000)
	desk.goto("/login")
	page.fill("#login_email", user)
	page.fill("#login_password", PASSWORD)
	page.click(".form-login .btn-login")
	page.wait_for_url(lambda url: "/login" not in url, timeout=120_000)
	desk.desk_ready(timeout=120_000)


def fill(page, fieldname: str, value: str, textarea: bool = False):
	control = page.locator(
		f'.frappe-control[data-fieldname="{fieldname}"] {"textarea" if textarea else "input"}'
	)
	control.fill(value)
	control.blur()


def test_a_campaign_goes_to_a_segment_minus_hold_out_and_blacklist_and_shows_its_effect(
	desk, outgoing, segment_audience
):
	tag, people = segment_audience
	user = retried(desk_user, "Sales Manager", "Sales User")
	page = desk.page
	login(desk, user)
	desk.route("/app/crm-outreach/new")
	fill(page, "title", f"Spring tea {tag}")
	fill(page, "segments", "Champions", textarea=True)
	fill(page, "tags", tag, textarea=True)
	fill(page, "holdout_percent", "34")
	fill(page, "subject", "{{ customer_name }}, the spring tea is in")
	fill(page, "message", "Dear {{ customer_name }},\nthe first spring tea has arrived.", textarea=True)
	with page.expect_response(lambda r: "savedocs" in r.url, timeout=90_000) as saved:
		page.keyboard.press("Control+s")
	assert saved.value.status == 200
	page.wait_for_url("**/app/crm-outreach/CRM-OUT-*")
	desk.desk_ready()
	name = page.evaluate("() => cur_frm.doc.name")
	# The hold-out is a hash of campaign and customer, so which side each of the five open people
	# falls on is known only now; a campaign whose five all fall on one side gets more Champions
	# (as a segment grows) until both sides have someone: the test always sees both.
	from online_crm.core.audiences import holdout_split

	while not all(holdout_split(people[1:], name, 0.34)):
		people.append(retried(champion, tag, len(people)))
	page.evaluate(
		"() => { window.__crm_progress = []; frappe.realtime.on('progress', d => window.__crm_progress.push(d)); }"
	)

	page.locator(".crm-outreach-send").click()
	with page.expect_response(lambda r: "run_doc_method" in r.url, timeout=90_000) as queued_answer:
		page.locator(".modal.show .btn-modal-primary").click()  # Yes
	assert queued_answer.value.status == 200
	frappe.db.rollback()
	assert frappe.db.get_value("CRM Outreach", name, "status") == "Queued"
	# The job is in the RQ queue. On a shared bench its one worker may be hours behind, so the test
	# runs the job here as the worker would (as the user who queued it); when the worker reaches
	# the queued copy later, it finds no Pending row and sends nothing again.
	from online_crm.erp.outreach import run

	frappe.set_user(user)
	try:
		run(name)
	finally:
		frappe.set_user("Administrator")
	page.wait_for_function("() => cur_frm.doc.status === 'Sent'", timeout=60_000)
	desk.desk_ready()
	# the desk showed the progress the job published
	progress = page.evaluate("() => window.__crm_progress")
	assert progress and progress[-1]["percent"] == 100, progress
	assert "sent" in progress[-1]["description"]
	page.screenshot(path=str(SHOTS / "crm_outreach_sent.png"), full_page=True)

	frappe.db.rollback()
	doc = frappe.get_doc("CRM Outreach", name)
	rows = {
		r.customer: r.status
		for r in frappe.get_all(
			"CRM Outreach Recipient", filters={"outreach": name}, fields=["customer", "status"]
		)
	}
	assert rows[people[0]] == "Skipped"
	held = [c for c, s in rows.items() if s == "Held Out"]
	sent = [c for c, s in rows.items() if s == "Sent"]
	assert len(held) + len(sent) == len(people) - 1 and held and sent
	assert (doc.sent_count, doc.holdout_count, doc.blacklisted_count) == (len(sent), len(held), 1)
	queued = dict(
		frappe.db.sql(
			"""select r.recipient, count(*) from `tabEmail Queue` q join `tabEmail Queue Recipient` r
			on r.parent = q.name where q.reference_doctype = 'CRM Outreach' and q.reference_name = %s
			group by r.recipient""",
			name,
		)
	)
	emails = {c: frappe.db.get_value("Customer", c, "email_id") for c in people}
	assert queued == {emails[c]: 1 for c in sent}

	with page.expect_response(  # the run with the outreach filter set (not a first, empty one)
		lambda r: "query_report.run" in r.url and name in unquote(r.url),
		timeout=90_000,  # a GET
	) as answer:
		page.get_by_role("button", name="Effect Report").click()
	result = [r for r in answer.value.json()["message"]["result"] if isinstance(r, dict)]
	assert [(r["group"], r["customers"]) for r in result] == [
		("Contacted", len(sent)),
		("Hold-out", len(held)),
	]
	desk.desk_ready()
	summary = page.locator(".report-summary")
	summary.wait_for()
	assert "Conversion Lift 95% CI" in summary.inner_text()
	page.screenshot(path=str(SHOTS / "crm_outreach_effect.png"), full_page=True)
	desk.assert_clean("CRM Outreach")


def test_a_member_file_is_imported_and_its_rejected_rows_are_listed(desk):
	tag = random_string(6).lower()
	phone = "137" + "".join(random.choices("0123456789", k=8))  # a number no earlier run used
	csv = (
		"姓名,手机,邮箱\n"
		f"Mei {tag},{phone},mei-{tag}@example.com\n"
		f"Li {tag},{phone},\n"  # same phone as row 2
		f",13800000000,\n"  # no name
		f"Bad {tag},12-AB,\n"  # not a phone
		f"Ok {tag},,ok-{tag}@example.com\n"
	).encode()
	user = retried(desk_user, "Sales Manager", "Sales User")
	page = desk.page
	login(desk, user)
	desk.route("/app/crm-member-import/new")
	page.locator('.frappe-control[data-fieldname="import_file"] .btn-attach').click()
	uploader = page.locator(".modal.show", has_text="Upload")
	uploader.wait_for()
	uploader.locator('input[type="file"]').set_input_files(
		files=[{"name": f"members-{tag}.csv", "mimeType": "text/csv", "buffer": csv}]
	)
	# the Attach control saves the new form itself once the file is uploaded
	with page.expect_response(lambda r: "savedocs" in r.url, timeout=90_000) as saved:
		uploader.locator(".btn-modal-primary").click()
	assert saved.value.status == 200
	page.wait_for_url("**/app/crm-member-import/CRM-MI-*")
	desk.desk_ready()
	with page.expect_response(lambda r: "run_doc_method" in r.url, timeout=120_000) as ran:
		page.locator(".crm-member-import").click()
	assert ran.value.status == 200
	grid = page.locator('.frappe-control[data-fieldname="results"] .grid-body')
	grid.locator(".grid-row", has_text="No name").wait_for(timeout=60_000)
	rows = grid.locator(".grid-row").all_inner_texts()
	assert any("3" in r and "Duplicate" in r and "Same phone as row 2" in r for r in rows), rows
	assert any("4" in r and "Rejected" in r and "No name" in r for r in rows), rows
	assert any("5" in r and "Rejected" in r and "not a phone number" in r for r in rows), rows
	assert sum("Created" in r for r in rows) == 2, rows
	counts = page.locator('.frappe-control[data-fieldname="rejected_count"]').inner_text()
	assert "2" in counts
	page.screenshot(path=str(SHOTS / "crm_member_import.png"), full_page=True)
	desk.assert_clean("member import")
