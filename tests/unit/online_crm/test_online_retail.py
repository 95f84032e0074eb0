"""RFM on a real year of a wholesaler's invoices (UCI Online Retail), as of 2011-12-10, 365-day window.

The window is (2010-12-10, 2011-12-10], so the file's first nine days fall outside it. The
expected figures are computed here straight from the CSV with plain sums, not by the core.
"""

import csv
import datetime as dt
import gzip
from collections import defaultdict
from pathlib import Path

import pytest

from online_crm.core.facts import online_retail_facts
from online_crm.core.rfm import score_full

DATA = (
	Path(__file__).resolve().parents[3].parent
	/ "shared"
	/ "datasets"
	/ "online_retail"
	/ "online_retail.csv.gz"
)
AS_OF = dt.date(2011, 12, 10)
START = AS_OF - dt.timedelta(days=365)

pytestmark = pytest.mark.skipif(not DATA.exists(), reason=f"{DATA} is not beside the checkout")


@pytest.fixture(scope="module")
def loaded():
	facts, rejects = online_retail_facts(DATA)
	return facts, rejects, score_full(facts, AS_OF, 365)


def by_hand(customer_id: str) -> tuple[int, int, float]:
	"""Recency, frequency, monetary for one customer, straight from the file."""
	invoices: dict[str, dt.date] = {}
	net = defaultdict(float)
	with gzip.open(DATA, "rt", encoding="utf-8", newline="") as f:
		for row in csv.DictReader(f):
			if row["CustomerID"] != customer_id:
				continue
			day = dt.date.fromisoformat(row["InvoiceDate"][:10])
			if not START < day <= AS_OF:
				continue
			amount = float(row["Quantity"]) * float(row["UnitPrice"])
			if row["InvoiceNo"].startswith("C"):
				net["returns"] += abs(amount)
			else:
				invoices[row["InvoiceNo"]] = day
				net["bought"] += amount
	last = max(invoices.values())
	return (AS_OF - last).days, len(invoices), round(net["bought"] - net["returns"], 2)


@pytest.mark.parametrize("customer_id", ["12347.0", "13047.0", "14911.0"])
def test_a_customer_checked_by_hand(loaded, customer_id):
	_facts, _rejects, result = loaded
	sc = result.scores[str(int(float(customer_id)))]
	r, f, m = by_hand(customer_id)
	assert (sc.measures.recency_days, sc.measures.frequency) == (r, f)
	assert sc.measures.monetary == pytest.approx(m, abs=0.01)


def test_a_customer_whose_only_invoices_in_the_window_are_cancellations_is_not_scored(loaded):
	# 17850 bought on 2010-12-01/02 (before the window) and only cancelled on 2011-02-10
	_facts, _rejects, result = loaded
	assert "17850" not in result.scores


def test_lines_without_customer_are_reported_not_lost(loaded):
	_facts, rejects, _result = loaded
	assert rejects.reasons["missing customer"] == 135_080


def test_segments_add_up_and_cover_the_scored_customers(loaded):
	facts, _rejects, result = loaded
	counts = result.segment_counts()
	assert sum(counts.values()) == len(result.scores)
	assert len(result.scores) > 4000  # of the file's 4,372 customers, those who bought in the window
	assert {sc.segment for sc in result.scores.values()} <= set(counts)
	print("\nsegments as of 2011-12-10:", dict(sorted(counts.items(), key=lambda kv: -kv[1])))
