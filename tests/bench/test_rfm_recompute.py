"""Issue 14, "Recomputing RFM for 100,000 parties runs as a background job with progress": who may
start it, what the job reports while it runs, and that the batched writer puts on each Customer
exactly the figures the scoring gave (None, text, numbers and dates alike)."""

import frappe
import pytest
from frappe.utils import getdate, nowdate

from tests.bench import builders
from tests.bench.test_no_data_crosses_parties import api, system_user
from tests.bench.test_rfm_on_site import invoice


def test_only_sales_and_system_managers_may_start_a_full_run(monkeypatch):
	queued = []
	monkeypatch.setattr(frappe, "enqueue", lambda *a, **kw: queued.append((a, kw)))
	cust = builders.customer("Gold Dealers")
	for user in (system_user("Sales User"), system_user(), builders.portal_user_for(cust.name), "Guest"):
		with pytest.raises(frappe.PermissionError):
			api(user, "online_crm.api.rfm.recompute")
	result, text = api(system_user("Sales Manager"), "online_crm.api.rfm.recompute")
	assert result["queued"] is True, text
	[(args, kw)] = [(a, kw) for a, kw in queued if a == ("online_crm.erp.rfm.full_run_job",)]
	assert args == ("online_crm.erp.rfm.full_run_job",)
	assert (kw["queue"], kw["job_id"], kw["enqueue_after_commit"]) == (
		"long",
		"online-crm-full-rfm-run",
		True,
	)
	assert "recomputed for every customer" in result["message"]


def test_a_second_click_while_a_run_is_under_way_queues_nothing(monkeypatch):
	import frappe.utils.background_jobs as jobs

	asked = []
	monkeypatch.setattr(jobs, "is_job_enqueued", lambda job_id: asked.append(job_id) or True)
	queued = []
	monkeypatch.setattr(frappe, "enqueue", lambda *a, **kw: queued.append((a, kw)))
	result, text = api(system_user("Sales Manager"), "online_crm.api.rfm.recompute")
	assert result == {"queued": False, "message": "A full RFM run is already under way."}, text
	assert asked == ["online-crm-full-rfm-run"]
	assert [a for a, _kw in queued if a == ("online_crm.erp.rfm.full_run_job",)] == []


def test_the_background_run_reports_its_progress_and_writes_every_score(monkeypatch):
	from online_crm.erp import rfm

	item = builders.item_with_stock(0, price=10)
	loyal, once = (builders.customer("Silver Dealers", with_address=False).name for _ in range(2))
	for days in (3, 40, 80):
		invoice(loyal, item, 2, days)
	invoice(once, item, 1, 200)
	frappe.db.set_value("Customer", once, {"th_crm_churn_risk": "High", "th_crm_segment": "Stale"})

	seen, said = [], []
	monkeypatch.setattr(
		frappe,
		"publish_progress",
		lambda percent, title=None, description=None, **kw: seen.append((percent, description)),
	)
	monkeypatch.setattr(
		frappe, "publish_realtime", lambda event=None, message=None, **kw: said.append((event, message, kw))
	)
	rfm.full_run_job()

	percents = [p for p, _d in seen]
	assert percents == sorted(percents) and percents[-1] == 100 and percents[0] < 10
	texts = [d for _p, d in seen]
	scored = frappe.db.get_single_value("Online CRM Settings", "customers_scored")
	assert texts[0] == "Reading invoices" and texts[-1] == f"{scored} customers scored"
	assert f"Writing scores: 0 of {scored} customers" in texts
	assert [x for x in said if x[0] == "online_crm_rfm_done"] == [
		("online_crm_rfm_done", {"customers": scored}, {"user": "Administrator", "after_commit": True})
	]

	# what the batched UPDATE wrote is what the scoring says, for each of the two
	as_of = getdate(nowdate())
	result = rfm.score_full(rfm.invoice_facts(as_of, 365), as_of, 365, rules=rfm._settings().rules())
	for c, (freq, recency, money) in {loyal: (3, 3, 60), once: (1, 200, 10)}.items():
		row = frappe.db.get_value(
			"Customer", c, list(rfm._fields(result.scores[c], None, as_of)), as_dict=True
		)
		sc = result.scores[c]
		assert (row.th_crm_frequency, row.th_crm_recency_days, row.th_crm_monetary) == (freq, recency, money)
		assert (row.th_crm_r_score, row.th_crm_f_score, row.th_crm_m_score, row.th_crm_segment) == (
			sc.r,
			sc.f,
			sc.m,
			sc.segment,
		)
		assert getdate(row.th_crm_scored_on) == as_of
	# the one-off buyer's old High warning is replaced by what churn says now (text or None, never stale)
	assert frappe.db.get_value("Customer", once, "th_crm_segment") == result.scores[once].segment


def test_the_batched_writer_writes_none_text_numbers_and_dates_per_customer():
	from online_crm.erp.bulk import update_by_name

	a, b = (builders.customer("Silver Dealers", with_address=False).name for _ in range(2))
	frappe.db.set_value("Customer", a, "th_crm_churn_risk", "High")
	update_by_name(
		"Customer",
		[
			(
				a,
				{
					"th_crm_churn_risk": None,
					"th_crm_frequency": 7,
					"th_crm_monetary": 12.34,
					"th_crm_scored_on": getdate("2026-11-30"),
				},
			),
			(
				b,
				{
					"th_crm_churn_risk": "Medium",
					"th_crm_frequency": 1,
					"th_crm_monetary": 0.5,
					"th_crm_scored_on": getdate("2026-12-01"),
				},
			),
		],
	)
	fields = ["th_crm_churn_risk", "th_crm_frequency", "th_crm_monetary", "th_crm_scored_on"]
	assert frappe.db.get_value("Customer", a, fields) == (None, 7, 12.34, getdate("2026-11-30"))
	assert frappe.db.get_value("Customer", b, fields) == ("Medium", 1, 0.5, getdate("2026-12-01"))
