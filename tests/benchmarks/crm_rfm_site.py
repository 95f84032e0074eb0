"""Benchmark: a full RFM recompute on a bench site for 100,000 parties, against the core alone on the
same data, and which part costs what (reading, scoring, writing the scores, tags, follow-ups).

    <bench>/env/bin/python tests/benchmarks/crm_rfm_site.py [--site test.localhost]
        [--parties 100000] [--invoices 3] [--seed 7]

The parties (Customers BENCH-RFM-…) and their submitted invoices (bare Sales Invoice rows: customer,
date, net total, channel) are inserted in one transaction, the full run (online_crm.erp.rfm.full_run,
what the background job runs) is timed phase by phase through its progress reports, and everything is
rolled back at the end: nothing is left on the site. The seeded parties have no account manager and
the churn owner is unset for the run, so no follow-up ToDo is written (that cost is per warned party
with an owner, and is not what this measures). The core alone is score_full plus the churn warnings
on the same facts, as read by the run.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import frappe  # noqa: E402

from tests.benchmarks.on_site import connect  # noqa: E402

PREFIX = "BENCH-RFM-"
CHANNELS = ("B2B Portal", "Shopify:bench", "Taobao:bench", "")


def check(ok, what: str) -> None:
	"""A result check that stays under `python -O`: stop with the reason."""
	if not ok:
		raise SystemExit(f"benchmark check failed: {what}")


def seed(parties: int, per_party: int, seed_: int, today: date) -> int:
	rnd = random.Random(seed_)
	now = frappe.utils.now()
	company = (
		frappe.defaults.get_global_default("company") or frappe.get_all("Company", pluck="name", limit=1)[0]
	)
	group = frappe.db.get_value("Customer Group", {"is_group": 0}, "name")
	territory = frappe.db.get_value("Territory", {"is_group": 0}, "name")
	names = [f"{PREFIX}{i:06d}" for i in range(parties)]
	frappe.db.bulk_insert(
		"Customer",
		[
			"name",
			"customer_name",
			"customer_group",
			"territory",
			"customer_type",
			"creation",
			"modified",
			"owner",
			"modified_by",
		],
		[(n, n, group, territory, "Company", now, now, "Administrator", "Administrator") for n in names],
		chunk_size=5000,
	)
	rows = []
	for n in names:
		for k in range(rnd.randint(1, 2 * per_party - 1)):
			day = today - timedelta(days=rnd.randint(0, 364))
			rows.append(
				(
					f"{n}-{k}",
					n,
					n,
					company,
					day,
					round(rnd.lognormvariate(5, 1), 2),
					0,
					1,
					rnd.choice(CHANNELS),
					now,
					now,
					"Administrator",
					"Administrator",
				)
			)
	frappe.db.bulk_insert(
		"Sales Invoice",
		[
			"name",
			"customer",
			"customer_name",
			"company",
			"posting_date",
			"base_net_total",
			"is_return",
			"docstatus",
			"th_channel",
			"creation",
			"modified",
			"owner",
			"modified_by",
		],
		rows,
		chunk_size=5000,
	)
	return len(rows)


def main() -> None:
	ap = argparse.ArgumentParser()
	ap.add_argument("--site", default=os.environ.get("BENCH_SITE", "test.localhost"))
	ap.add_argument("--parties", type=int, default=100_000)
	ap.add_argument("--invoices", type=int, default=3, help="mean invoices per party")
	ap.add_argument("--seed", type=int, default=7)
	args = ap.parse_args()
	connect(args.site)
	from online_crm.core import churn
	from online_crm.core.rfm import score_full
	from online_crm.erp import rfm

	today = frappe.utils.getdate(frappe.utils.nowdate())
	try:
		t0 = time.perf_counter()
		n_invoices = seed(args.parties, args.invoices, args.seed, today)
		seeded = time.perf_counter() - t0
		frappe.db.set_single_value("Online CRM Settings", "churn_owner", None)
		everyone = frappe.db.count("Customer")

		marks: list[tuple[float, str]] = []
		t0 = time.perf_counter()
		result = rfm.full_run(today, progress=lambda pct, text: marks.append((time.perf_counter(), text)))
		total = time.perf_counter() - t0
		check(
			all(f"{PREFIX}{i:06d}" in result.scores for i in (0, args.parties - 1)),
			"the seeded parties are scored",
		)
		written = frappe.db.count("Customer", {"name": ("like", f"{PREFIX}%"), "th_crm_scored_on": today})
		check(written == args.parties, f"{written} of {args.parties} seeded parties carry today's scores")

		# the core alone, on the same facts as the run read them
		s = rfm._settings()
		window = s.look_back_days or 365
		facts = rfm.invoice_facts(today, window)
		t1 = time.perf_counter()
		core = score_full(facts, today, window, rules=s.rules())
		dates: dict = {}
		for f in facts:
			if not f.is_return:
				dates.setdefault(f.customer, []).append(f.posting_date)
		gaps = churn.segment_gaps(dates, {c: sc.segment for c, sc in core.scores.items()})
		warnings = [churn.warn(c, dates.get(c, []), today, sc.segment, gaps) for c, sc in core.scores.items()]
		core_time = time.perf_counter() - t1
		check(len(core.scores) == len(result.scores), "the core scores as many parties as the run")
		check(
			all(core.scores[c].segment == result.scores[c].segment for c in list(core.scores)[:1000]),
			"same segments",
		)

		phases: dict[str, float] = {}
		names = {
			"Reading invoices": "reading invoices",
			"Scoring": "scoring + churn warnings",
			"Writing scores": "writing scores (batched UPDATE)",
			"Churn follow-ups": "follow-ups",
			"Tags": "auto-tags",
		}
		for (start, text), (end, _next) in zip(marks, marks[1:], strict=False):
			key = next((v for k, v in names.items() if text.startswith(k)), text)
			phases[key] = phases.get(key, 0.0) + end - start
		print(
			f"site {args.site}: {args.parties:,} seeded parties ({everyone:,} customers in all), "
			f"{n_invoices:,} seeded invoices ({len(facts):,} facts in the window); seeding took {seeded:.1f} s"
		)
		print(f"{'part':34} {'seconds':>8} {'share':>6}")
		for name, secs in phases.items():
			print(f"{name:34} {secs:8.2f} {secs / total:6.1%}")
		print(f"{'full run (background job body)':34} {total:8.2f}")
		print(f"{'core alone (score_full + churn)':34} {core_time:8.2f}")
		print(
			f"ratio full run / core alone: {total / core_time:.1f}x; {len(warnings):,} parties warned-checked"
		)
	finally:
		frappe.db.rollback()
		frappe.destroy()


if __name__ == "__main__":
	main()
