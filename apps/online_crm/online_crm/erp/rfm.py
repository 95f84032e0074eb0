"""RFM from ERPNext's submitted Sales Invoices (every channel), written onto the Customer.

A full run recomputes the score boundaries from the whole population and keeps them in
Online CRM Settings; after that, an invoice submitted or cancelled re-scores only its customer
against those boundaries. The only module of online_crm that writes ERPNext documents.
"""

import json
from dataclasses import asdict
from datetime import date

import frappe
from frappe import _
from frappe.utils import add_days, getdate, now_datetime, nowdate

from online_crm.core import churn
from online_crm.core.facts import facts_from_rows
from online_crm.core.rfm import Boundaries, RFMResult, Score, score_full, score_incremental
from online_crm.erp import bulk, followup, tags


def _settings():
	return frappe.get_single("Online CRM Settings")


def invoice_facts(as_of: date, window_days: int, customers: list[str] | None = None):
	filters = {"docstatus": 1, "posting_date": (">", add_days(as_of, -window_days))}
	if customers is not None:
		filters["customer"] = ("in", customers)
	rows = frappe.get_all(
		"Sales Invoice",
		filters=filters,
		fields=["customer", "name as invoice", "posting_date", "base_net_total as net_amount", "is_return"],
	)
	facts, rejects = facts_from_rows(rows)
	if rejects.count:
		frappe.log_error("RFM: invoices skipped", json.dumps(dict(rejects.reasons)))
	return facts


def full_run(as_of: date | None = None, progress=None) -> RFMResult:
	"""Score every customer; keep the boundaries for later incremental updates.

	progress(percent, text), when given, is told each phase: reading the invoices, scoring, writing
	the scores (in batches), tags and follow-ups."""
	tell = progress or (lambda percent, text: None)
	s = _settings()
	as_of = getdate(as_of or nowdate())
	window = s.look_back_days or 365
	tell(2, _("Reading invoices"))
	facts = invoice_facts(as_of, window)
	tell(20, _("Scoring {0} invoices").format(len(facts)))
	result = score_full(facts, as_of, window, rules=s.rules())
	_write(result, facts, as_of, progress=tell)
	s.boundaries = json.dumps(asdict(result.boundaries))
	s.last_full_run = now_datetime()
	s.customers_scored = len(result.scores)
	s.save(ignore_permissions=True)
	tell(100, _("{0} customers scored").format(len(result.scores)))
	return result


JOB_ID = "online-crm-full-rfm-run"


def start_full_run() -> bool:
	"""Queue a full run on the long queue for the calling desk user (its progress goes to them);
	answers False when one is already queued or running."""
	from frappe.utils.background_jobs import is_job_enqueued

	if is_job_enqueued(JOB_ID):
		return False
	frappe.enqueue(
		"online_crm.erp.rfm.full_run_job",
		queue="long",
		timeout=4 * 3600,
		job_id=JOB_ID,
		deduplicate=True,
		enqueue_after_commit=True,
	)
	return True


def full_run_job() -> None:
	"""The background full run: progress to the user who started it, as Frappe's progress bar."""
	title = _("Recomputing RFM")

	def tell(percent: float, text: str) -> None:
		frappe.publish_progress(min(percent, 100), title=title, description=text)

	result = full_run(progress=tell)
	frappe.publish_realtime(  # once the job's transaction is committed: the report reads the new scores
		"online_crm_rfm_done", {"customers": len(result.scores)}, user=frappe.session.user, after_commit=True
	)


def rescore_customers(customers: list[str], as_of: date | None = None) -> RFMResult:
	"""Re-score these customers against the stored boundaries (a full run when there are none yet)."""
	s = _settings()
	as_of = getdate(as_of or nowdate())
	if not s.boundaries:
		return full_run(as_of)
	window = s.look_back_days or 365
	b = Boundaries(**{k: tuple(v) if isinstance(v, list) else v for k, v in json.loads(s.boundaries).items()})
	previous = RFMResult(as_of, window, b, {})
	facts = invoice_facts(as_of, window, customers)
	result = score_incremental(previous, facts, customers, rules=s.rules())
	_write(result, facts, as_of, customers)
	return result


BATCH = 500  # customers written between two progress reports


def _write(result: RFMResult, facts, as_of: date, only: list[str] | None = None, progress=None) -> None:
	tell = progress or (lambda percent, text: None)
	dates: dict[str, list[date]] = {}
	for f in facts:
		if not f.is_return:
			dates.setdefault(f.customer, []).append(f.posting_date)
	segment_of = {c: sc.segment for c, sc in result.scores.items()}
	seg_gaps = churn.segment_gaps(dates, segment_of)
	warned = []
	for customer, sc in result.scores.items():
		warning = churn.warn(customer, dates.get(customer, []), as_of, sc.segment, seg_gaps)
		warned.append((customer, sc, warning))
	total = len(warned)
	for start in range(0, total, BATCH):
		tell(30 + 50 * start / max(total, 1), _("Writing scores: {0} of {1} customers").format(start, total))
		bulk.update_by_name(
			"Customer",
			[
				(customer, _fields(sc, warning, as_of))
				for customer, sc, warning in warned[start : start + BATCH]
			],
		)
	tell(80, _("Churn follow-ups"))
	followup.open_follow_ups(warned, as_of)
	tell(88, _("Tags"))
	tags.retag(result.scores, only)
	for customer in set(only or []) - set(result.scores):
		# no purchase in the window any more: clear the figures rather than keep stale ones
		frappe.db.set_value(
			"Customer",
			customer,
			{
				"th_crm_segment": None,
				"th_crm_r_score": 0,
				"th_crm_f_score": 0,
				"th_crm_m_score": 0,
				"th_crm_scored_on": as_of,
			},
			update_modified=False,
		)


def _fields(sc: Score, warning, as_of: date) -> dict:
	m = sc.measures
	return {
		"th_crm_recency_days": m.recency_days,
		"th_crm_frequency": m.frequency,
		"th_crm_monetary": m.monetary,
		"th_crm_r_score": sc.r,
		"th_crm_f_score": sc.f,
		"th_crm_m_score": sc.m,
		"th_crm_segment": sc.segment,
		"th_crm_churn_risk": warning.level if warning else None,
		"th_crm_churn_reason": f"{warning.reason}. {warning.suggestion}" if warning else None,
		"th_crm_scored_on": as_of,
	}


def on_invoice_change(doc, method=None) -> None:
	"""doc_events: a submitted or cancelled Sales Invoice re-scores its customer after commit."""
	frappe.enqueue(
		"online_crm.erp.rfm.rescore_customers",
		queue="short",
		enqueue_after_commit=True,
		job_id=f"crm-rescore::{doc.customer}",
		deduplicate=True,
		customers=[doc.customer],
	)
