"""RFM on a real year of a wholesaler's invoices (UCI Online Retail), as of 2011-12-10, 365-day window.

The window is (2010-12-10, 2011-12-10], so the file's first nine days fall outside it. The
expected figures are computed here straight from the CSV with the csv module and plain sums
over a customer's own lines, not by the core. The file is read once per module (two passes:
the core's loader, and the plain reading below).
"""

import csv
import datetime as dt
import gzip
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from online_crm.core.facts import online_retail_facts
from online_crm.core.rfm import score_columns, score_full, segment_grid

# repository root's parent / shared / … (CI has shared/ beside the checkout)
DATA = (
	Path(__file__).resolve().parents[3].parent
	/ "shared"
	/ "datasets"
	/ "online_retail"
	/ "online_retail.csv.gz"
)
AS_OF = dt.date(2011, 12, 10)
WINDOW = 365
START = AS_OF - dt.timedelta(days=WINDOW)

pytestmark = pytest.mark.skipif(not DATA.exists(), reason=f"{DATA} is not beside the checkout")


@pytest.fixture(scope="module")
def loaded():
	facts, rejects = online_retail_facts(DATA)
	return facts, rejects, score_full(facts, AS_OF, WINDOW)


@pytest.fixture(scope="module")
def lines():
	"""Every line of the file as the csv module reads it, by CustomerID as written ('' for none)."""
	by_customer = defaultdict(list)
	with gzip.open(DATA, "rt", encoding="utf-8", newline="") as f:
		for row in csv.DictReader(f):
			by_customer[row["CustomerID"]].append(row)
	return by_customer


def by_hand(rows, cancellations=True) -> tuple[int, int, float]:
	"""Recency, frequency, monetary for one customer's lines, with plain sums."""
	invoices: dict[str, dt.date] = {}
	bought = returned = 0.0
	for row in rows:
		day = dt.date.fromisoformat(row["InvoiceDate"][:10])
		if not START < day <= AS_OF:
			continue
		amount = float(row["Quantity"]) * float(row["UnitPrice"])
		if row["InvoiceNo"].startswith("C"):
			returned += abs(amount)
		else:
			invoices[row["InvoiceNo"]] = day
			bought += amount
	last = max(invoices.values())
	return (AS_OF - last).days, len(invoices), round(bought - (returned if cancellations else 0), 2)


@pytest.mark.parametrize("customer_id", ["12347.0", "13047.0", "14911.0", "12748.0"])
def test_a_customer_checked_by_hand(loaded, lines, customer_id):
	_facts, _rejects, result = loaded
	sc = result.scores[str(int(float(customer_id)))]
	r, f, m = by_hand(lines[customer_id])
	assert (sc.measures.recency_days, sc.measures.frequency) == (r, f)
	assert sc.measures.monetary == pytest.approx(m, abs=0.01 * f)  # cents rounded per invoice


def test_12347_figures_a_person_can_read_off_the_file(loaded):
	# 12347 (Iceland): last invoice 581180 on 2011-12-07 → 3 days; 7 invoices in the file, the
	# first (537626, 2010-12-07) before the window → 6; no cancellations
	sc = loaded[2].scores["12347"]
	assert (sc.measures.recency_days, sc.measures.frequency) == (3, 6)
	assert sc.measures.last_purchase == dt.date(2011, 12, 7)


def test_cancellations_reduce_monetary(loaded, lines):
	_facts, _rejects, result = loaded
	# 14911 cancels often: the core's monetary is the gross minus the cancelled lines
	r, f, gross = by_hand(lines["14911.0"], cancellations=False)
	_r, _f, net = by_hand(lines["14911.0"])
	assert net < gross - 1000
	assert result.scores["14911"].measures.monetary == pytest.approx(net, abs=0.01 * f)
	# and over the whole population: every customer with a cancellation in the window has less
	# than their purchases alone
	cancellers = {f.customer for f in loaded[0] if f.is_return and START < f.posting_date <= AS_OF}
	gross_of: dict[str, float] = defaultdict(float)
	for fact in loaded[0]:
		if not fact.is_return and START < fact.posting_date <= AS_OF:
			gross_of[fact.customer] += fact.net_amount
	scored = cancellers & set(result.scores)
	assert len(scored) > 1000
	assert all(result.scores[c].measures.monetary < gross_of[c] for c in scored)


def test_lines_without_customer_are_reported_not_lost(loaded, lines):
	facts, rejects, _result = loaded
	assert rejects.reasons["missing customer"] == 135_080 == len(lines[""])
	assert rejects.count == 135_080  # nothing else in this file is bad
	# every other line is in some invoice fact: 22,190 invoices with a customer
	invoices = {row["InvoiceNo"] for cid, rows in lines.items() if cid for row in rows}
	assert len(facts) == len(invoices) == 22_190


def test_who_is_scored(loaded, lines):
	_facts, _rejects, result = loaded
	buyers = {
		str(int(float(cid)))
		for cid, rows in lines.items()
		if cid
		for row in rows
		if not row["InvoiceNo"].startswith("C")
		and START < dt.date.fromisoformat(row["InvoiceDate"][:10]) <= AS_OF
	}
	assert set(result.scores) == buyers
	assert "17850" not in result.scores  # bought only before the window, cancelled inside it


def test_segments_add_up_and_the_column_path_agrees(loaded):
	facts, _rejects, result = loaded
	counts = result.segment_counts()
	assert sum(counts.values()) == len(result.scores)
	customers = sorted({f.customer for f in facts})
	code = {c: i for i, c in enumerate(customers)}
	invoice_code = {f.invoice: i for i, f in enumerate(facts)}
	cols = score_columns(
		np.array([code[f.customer] for f in facts]),
		np.array([f.posting_date.toordinal() for f in facts]),
		np.array([f.net_amount for f in facts]),
		np.array([f.is_return for f in facts]),
		np.array([invoice_code[f.invoice] for f in facts]),
		AS_OF.toordinal(),
		WINDOW,
	)
	names, _grid = segment_grid()
	assert cols["boundaries"] == result.boundaries
	assert (
		dict(zip(*np.unique([names[s] for s in cols["segment"]], return_counts=True), strict=True)) == counts
	)
	print(
		f"\nas of {AS_OF}, {WINDOW}-day window: {len(result.scores)} customers; boundaries {result.boundaries}"
	)
	print("segments:", dict(sorted(counts.items(), key=lambda kv: -kv[1])))
