"""Small populations computed by hand: each test fails if the stated rule were different."""

import csv
import datetime as dt
import gzip

import numpy as np
import pytest

from online_crm.core.facts import facts_from_rows, online_retail_facts
from online_crm.core.rfm import (
	Boundaries,
	InvoiceFact,
	Measures,
	boundaries_for,
	measures,
	quintile_cuts,
	recency_cuts,
	score,
	score_columns,
	score_full,
	score_incremental,
	segment_for,
	segment_grid,
)
from tests.unit.online_crm.factories import InvoiceFactFactory

AS_OF = dt.date(2026, 11, 24)


def day(n: int) -> dt.date:
	return AS_OF - dt.timedelta(days=n)


def m(customer="X", recency=10, frequency=1, monetary=10.0) -> Measures:
	return Measures(customer, recency, frequency, monetary, day(recency))


# the eleven segments over R (rows 5 → 1) and F (columns 1 → 5), written out by hand
GRID = {
	5: ["New", "Potential Loyalist", "Potential Loyalist", "Champions", "Champions"],
	4: ["Promising", "Potential Loyalist", "Potential Loyalist", "Loyal", "Loyal"],
	3: ["About to Sleep", "About to Sleep", "Need Attention", "Loyal", "Loyal"],
	2: ["Hibernating", "Hibernating", "At Risk", "At Risk", "Can't Lose"],
	1: ["Lost", "Hibernating", "At Risk", "At Risk", "Can't Lose"],
}


@pytest.mark.parametrize("r", range(1, 6))
@pytest.mark.parametrize("f", range(1, 6))
def test_the_segment_table_cell_by_cell(r, f):
	assert segment_for(r, f) == GRID[r][f - 1]
	names, grid = segment_grid()
	assert names[grid[r, f]] == GRID[r][f - 1]


def test_quintile_ranks_with_ties_by_hand():
	# n = 7: cut points at ranks ⌈7k/5⌉ = 2, 3, 5, 6 → sorted values [1,1,1,1,1,2,3] give 1, 1, 1, 2
	values = [3, 1, 2, 1, 1, 1, 1]
	assert quintile_cuts(values) == (1, 1, 1, 2)
	b = Boundaries((0, 0, 0, 0), (1, 1, 1, 2), (0, 0, 0, 0))
	# score = 1 + cut points strictly below: 1 → none below; 2 → three below; 3 → all four
	assert [score(m(frequency=v), b).f for v in (1, 2, 3)] == [1, 4, 5]


def test_recency_is_scored_on_minus_days_by_hand():
	# ten customers, last purchase 0…9 days ago: −days cut points at ranks 2,4,6,8 = −8,−6,−4,−2
	assert recency_cuts(list(range(10))) == (2, 4, 6, 8)
	pop = [m(f"C{d}", recency=d) for d in range(10)]
	b = boundaries_for(pop)
	assert [score(x, b).r for x in pop] == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]


def test_five_customers_is_enough_four_is_not():
	four = [m(f"C{i}", recency=i, frequency=i + 1, monetary=10.0 * i) for i in range(4)]
	assert boundaries_for(four).rule.startswith("too few")
	assert {(score(x, boundaries_for(four)).r, score(x, boundaries_for(four)).f) for x in four} == {(3, 3)}
	five = [*four, m("C4", recency=4, frequency=5, monetary=40.0)]
	b = boundaries_for(five)
	assert b.rule == "quintiles"
	assert [score(x, b).f for x in five] == [1, 2, 3, 4, 5]


def test_window_edges_returns_and_future_facts():
	facts = [
		InvoiceFact("A", "edge", day(365), 1000.0),  # exactly 365 days old: outside (as_of − 365, as_of]
		InvoiceFact("A", "in", day(364), 100.0),
		InvoiceFact("A", "today", day(0), 10.0),
		InvoiceFact("A", "future", day(-1), 5000.0),  # after as_of: not yet
		InvoiceFact("A", "ret+", day(5), 30.0, is_return=True),  # a credit note with a positive amount
		InvoiceFact("A", "ret-", day(6), -20.0, is_return=True),  # … or a negative one: both reduce
	]
	got = measures(facts, AS_OF, 365)["A"]
	assert (got.recency_days, got.frequency, got.monetary, got.last_purchase) == (0, 2, 60.0, AS_OF)


def test_a_customer_with_only_returns_in_the_window_is_not_scored_but_others_are():
	facts = [InvoiceFact("A", "1", day(400), 100.0), InvoiceFact("A", "R", day(3), 50.0, is_return=True)]
	facts += [InvoiceFact("B", "2", day(3), 10.0)]
	assert set(score_full(facts, AS_OF).scores) == {"B"}


def test_explain_names_the_inputs_and_the_cut_points():
	b = Boundaries.fixed((7, 30, 90, 180), (1, 2, 5, 10), (100, 500, 1000, 5000))
	sc = score(m(recency=20, frequency=6, monetary=750.0), b)
	text = sc.explain(b)
	assert (sc.r, sc.f, sc.m, sc.segment) == (4, 4, 3, "Loyal")
	for piece in (
		"R4",
		"20 days ago",
		"[7, 30, 90, 180]",
		"F4",
		"6 invoices",
		"M3",
		"750.00",
		"Loyal",
		"fixed",
	):
		assert piece in text


def test_incremental_drops_a_customer_whose_purchases_left_the_window_and_keeps_the_others():
	b = Boundaries.fixed((7, 30, 90, 180), (1, 2, 4, 8), (100, 1000, 5000, 20000))
	old = [InvoiceFact("A", "1", day(10), 100.0), InvoiceFact("B", "2", day(10), 100.0)]
	before = score_full(old, AS_OF, boundaries=b)
	# A's only invoice was cancelled: the adapter gives A's remaining facts (none)
	after = score_incremental(before, [], ["A"])
	assert set(after.scores) == {"B"} and after.scores["B"] == before.scores["B"]
	assert after.boundaries == b


def test_incremental_with_quintile_boundaries_equals_a_full_run_with_those_boundaries():
	facts = InvoiceFactFactory.build_batch(300)
	before = score_full(facts, AS_OF)
	new = [InvoiceFact("CUST-00003", "NEW-1", day(0), 9999.0), InvoiceFact("NEW", "NEW-2", day(1), 5.0)]
	touched = {"CUST-00003", "NEW"}
	inc = score_incremental(before, [f for f in facts + new if f.customer in touched], touched)
	assert inc.scores == score_full(facts + new, AS_OF, boundaries=before.boundaries).scores


def test_half_cent_amounts_score_the_same_on_both_paths():
	# 422.785 is stored as 422.78499…: Python's round(x, 2) and numpy's np.round(x, 2) used to
	# disagree on such values, so the plain and the column path could give different M scores
	amounts = [422.785, 683.065, 784.565, 57.455, 6.785, 422.79, 683.07, 784.57, 57.46, 6.79]
	facts = [InvoiceFact(f"C{i}", f"I{i}", day(i), a) for i, a in enumerate(amounts)]
	plain = score_full(facts, AS_OF)
	cols = score_columns(
		np.arange(10),
		np.array([f.posting_date.toordinal() for f in facts]),
		np.array(amounts),
		np.zeros(10, dtype=bool),
		np.arange(10),
		AS_OF.toordinal(),
	)
	assert cols["boundaries"] == plain.boundaries
	assert [float(x) for x in cols["monetary"]] == [
		plain.scores[f"C{i}"].measures.monetary for i in range(10)
	]
	assert [int(x) for x in cols["m"]] == [plain.scores[f"C{i}"].m for i in range(10)]


def test_monetary_is_exact_in_cents_whatever_the_order():
	amounts = [0.1] * 10 + [0.2] * 5
	a = measures([InvoiceFact("A", str(i), day(1), x) for i, x in enumerate(amounts)], AS_OF)["A"]
	b = measures([InvoiceFact("A", str(i), day(1), x) for i, x in reversed(list(enumerate(amounts)))], AS_OF)[
		"A"
	]
	assert a.monetary == b.monetary == 2.0


# ---- bad input ---------------------------------------------------------------------------------


def test_rows_without_invoice_number_or_with_an_unreadable_flag_are_reported():
	rows = [
		{"customer": "A", "invoice": "1", "posting_date": "2026-11-01", "net_amount": 10, "is_return": "0"},
		{"customer": "A", "invoice": "2", "posting_date": "2026-11-01", "net_amount": 10, "is_return": "1"},
		{"customer": "A", "invoice": "", "posting_date": "2026-11-01", "net_amount": 10},
		{"customer": "A", "invoice": None, "posting_date": "2026-11-01", "net_amount": 10},
		{
			"customer": "A",
			"invoice": "5",
			"posting_date": "2026-11-01",
			"net_amount": 10,
			"is_return": "maybe",
		},
		{"customer": None, "invoice": "6", "posting_date": "2026-11-01", "net_amount": 10},
		{"customer": "B", "invoice": "7", "posting_date": None, "net_amount": 10},
		{"customer": "B", "invoice": "8", "posting_date": "2026-02-30", "net_amount": 10},
		{"customer": "B", "invoice": "9", "posting_date": "2026-11-01", "net_amount": None},
		{"customer": "B", "invoice": "10", "posting_date": "2026-11-01", "net_amount": float("inf")},
		{"customer": "B", "invoice": "11", "posting_date": "2026-11-01", "net_amount": True},
	]
	facts, rejects = facts_from_rows(rows)
	assert [(f.invoice, f.is_return) for f in facts] == [("1", False), ("2", True)]
	assert rejects.count == 9 == sum(rejects.reasons.values())
	assert rejects.reasons == {
		"missing invoice": 2,
		"unreadable is_return": 1,
		"missing customer": 1,
		"unparseable date": 2,
		"non-numeric amount": 3,
	}
	assert rejects.examples["unparseable date"]["invoice"] == "7"  # the first offending row is kept


def test_online_retail_loader_reports_every_kind_of_bad_line_and_never_crashes(tmp_path):
	path = tmp_path / "lines.csv.gz"
	header = [
		"InvoiceNo",
		"StockCode",
		"Description",
		"Quantity",
		"InvoiceDate",
		"UnitPrice",
		"CustomerID",
		"Country",
	]
	lines = [
		["536365", "A", "x", "6", "2010-12-01 08:26:00", "2.55", "17850.0", "UK"],
		["536365", "B", "x", "2", "2010-12-01 08:26:00", "0.001", "17850.0", "UK"],
		["C536379", "D", "x", "-1", "2010-12-01 09:41:00", "27.50", "14527.0", "UK"],
		["536366", "A", "x", "6", "2010-12-01 08:28:00", "1.85", "", "UK"],  # no customer
		["536367", "A", "x", "6", "not a date", "1.85", "13047.0", "UK"],
		["536368", "A", "x", "six", "2010-12-01 08:34:00", "1.85", "13047.0", "UK"],
		["536369", "A", "x", "6", "2010-12-01 08:35:00", "", "13047.0", "UK"],
		["", "A", "x", "6", "2010-12-01 08:35:00", "1.00", "13047.0", "UK"],
		["536370", "A", "x", "1", "2010-12-01 08:45:00", "3.00", "ABC-1", "FR"],  # odd id: kept as written
	]
	with gzip.open(path, "wt", newline="") as f:
		w = csv.writer(f)
		w.writerow(header)
		w.writerows(lines)
	facts, rejects = online_retail_facts(path)
	got = {f.invoice: (f.customer, f.net_amount, f.is_return) for f in facts}
	assert got == {
		"536365": ("17850", pytest.approx(15.302), False),
		"C536379": ("14527", -27.5, True),
		"536370": ("ABC-1", 3.0, False),
	}
	assert rejects.reasons == {
		"missing customer": 1,
		"unparseable date": 1,
		"non-numeric amount": 2,
		"missing invoice": 1,
	}
	assert rejects.count == 5
