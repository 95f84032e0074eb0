"""RFM measures, the quintile rule, segments, incremental updates, churn and bad rows."""

import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from online_crm.core.churn import segment_gaps, warn
from online_crm.core.facts import facts_from_rows
from online_crm.core.rfm import (
	SEGMENTS,
	Boundaries,
	InvoiceFact,
	measures,
	quintile_cuts,
	score_full,
	score_incremental,
	segment_for,
	segment_grid,
)
from tests.unit.online_crm.factories import InvoiceFactFactory
from tests.unit.online_crm.segment_map import SEGMENT_OF

AS_OF = dt.date(2026, 11, 24)


def day(n: int) -> dt.date:
	return AS_OF - dt.timedelta(days=n)


def test_measures_count_purchases_and_net_out_returns_in_the_window():
	facts = [
		InvoiceFact("A", "I1", day(3), 100.0),
		InvoiceFact("A", "I2", day(40), 50.0),
		InvoiceFact("A", "I2", day(40), 0.0),  # a second line of the same invoice: still one purchase
		InvoiceFact("A", "R1", day(1), -30.0, is_return=True),  # a return is no purchase, but reduces spend
		InvoiceFact("A", "OLD", day(400), 999.0),  # outside the 365-day window
		InvoiceFact("B", "R2", day(2), 80.0, is_return=True),  # only a return: not scored
	]
	m = measures(facts, AS_OF, 365)
	assert set(m) == {"A"}
	assert (m["A"].recency_days, m["A"].frequency, m["A"].monetary) == (3, 2, 120.0)


def test_quintile_cut_points_follow_the_stated_rank_rule():
	# n = 10: cut points at ranks 2, 4, 6, 8 (1-based) of the sorted values
	assert quintile_cuts([10, 1, 9, 2, 8, 3, 7, 4, 6, 5]) == (2, 4, 6, 8)


def test_scores_on_a_hand_checked_population():
	# ten customers, customer i bought i times (i = 1..10), i·100 in total, last purchase i days ago
	facts = [InvoiceFact(f"C{i}", f"C{i}-{k}", day(i), 100.0) for i in range(1, 11) for k in range(i)]
	result = score_full(facts, AS_OF)
	s = {c: (sc.r, sc.f, sc.m) for c, sc in result.scores.items()}
	assert s["C10"] == (1, 5, 5)  # bought most, longest ago (10 days)
	assert s["C1"] == (5, 1, 1)
	assert s["C5"] == (3, 3, 3)
	assert result.scores["C1"].segment == "New"
	assert "cut points" in result.scores["C5"].explain(result.boundaries)


def test_tiny_population_scores_three_everywhere():
	result = score_full([InvoiceFact("A", "1", day(1), 5.0), InvoiceFact("B", "2", day(90), 500.0)], AS_OF)
	assert {(s.r, s.f, s.m) for s in result.scores.values()} == {(3, 3, 3)}


def test_fixed_thresholds_are_used_as_given():
	b = Boundaries.fixed(recency=(7, 30, 90, 180), frequency=(1, 2, 5, 10), monetary=(100, 500, 1000, 5000))
	result = score_full(
		[InvoiceFact("A", "1", day(20), 700.0), InvoiceFact("A", "2", day(200), 700.0)], AS_OF, boundaries=b
	)
	sc = result.scores["A"]
	assert (sc.r, sc.f, sc.m) == (
		4,
		2,
		4,
	)  # 20 days: two cuts above; 2 invoices: one cut below; 1400: three below
	with pytest.raises(ValueError):
		Boundaries.fixed(recency=(9, 1, 2, 3), frequency=(1, 2, 3, 4), monetary=(1, 2, 3, 4))


def test_every_score_pair_lands_in_the_segment_of_the_chart():
	"""All 25 (R, F) pairs against the chart written out by hand, on both paths (rule list and grid)."""
	names, grid = segment_grid()
	assert len(SEGMENT_OF) == 25
	for (r, f), name in SEGMENT_OF.items():
		assert segment_for(r, f) == name, (r, f)
		assert names[grid[r, f]] == name, (r, f)
	# every one of the eleven segments is reachable, and no other name exists
	assert (
		set(SEGMENT_OF.values()) == {rule.name for rule in SEGMENTS} and len(set(SEGMENT_OF.values())) == 11
	)


def test_where_two_rules_overlap_the_first_listed_wins():
	"""R1 F1 is covered by Lost and by Hibernating: Lost is listed first, so it is Lost."""
	both = [rule.name for rule in SEGMENTS if rule.matches(1, 1)]
	assert both == ["Lost", "Hibernating"]
	assert segment_for(1, 1) == "Lost" and segment_for(2, 1) == segment_for(1, 2) == "Hibernating"


facts_strategy = st.lists(
	st.builds(
		InvoiceFact,
		customer=st.sampled_from([f"C{i}" for i in range(12)]),
		invoice=st.uuids().map(str),
		posting_date=st.integers(0, 500).map(day),
		net_amount=st.floats(0, 10_000, allow_nan=False),
		is_return=st.booleans(),
	),
	max_size=80,
)


@settings(max_examples=80, deadline=None)
@given(facts_strategy)
def test_scores_in_range_ties_equal_and_order_free(facts):
	result = score_full(facts, AS_OF)
	shuffled = facts[:]
	random.Random(1).shuffle(shuffled)
	assert score_full(shuffled, AS_OF).scores == result.scores
	by_m: dict[float, set[int]] = {}
	for sc in result.scores.values():
		assert all(1 <= x <= 5 for x in (sc.r, sc.f, sc.m))
		assert sc.segment == segment_for(sc.r, sc.f)
		by_m.setdefault(sc.measures.monetary, set()).add(sc.m)
	assert all(len(v) == 1 for v in by_m.values()), "equal spend, equal score"


@settings(max_examples=60, deadline=None)
@given(facts_strategy, facts_strategy)
def test_incremental_equals_full_when_boundaries_are_fixed(old, new):
	b = Boundaries.fixed((7, 30, 90, 180), (1, 2, 4, 8), (100, 1000, 5000, 20000))
	before = score_full(old, AS_OF, boundaries=b)
	touched = {f.customer for f in new}
	all_facts = old + new
	incremental = score_incremental(before, [f for f in all_facts if f.customer in touched], touched)
	assert incremental.scores == score_full(all_facts, AS_OF, boundaries=b).scores


def test_factory_population_lands_every_customer_once():
	facts = InvoiceFactFactory.build_batch(400)
	result = score_full(facts, AS_OF)
	assert sum(result.segment_counts().values()) == len(result.scores) == len({f.customer for f in facts})


def test_churn_compares_with_own_rhythm_then_the_segment():
	regular = [day(n) for n in (10, 40, 70, 100)]  # every 30 days, last 10 days ago
	assert warn("A", regular, AS_OF, "Loyal", {}).level == "Low"
	late = [day(n) for n in (100, 130, 160)]  # every 30 days, last 100 days ago: 3.3× late
	w = warn("B", late, AS_OF, "At Risk", {})
	assert w.level == "High" and "their own" in w.reason and "coupon" in w.suggestion
	once = warn("C", [day(50)], AS_OF, "New", {"New": 20.0})  # one purchase: the segment's gap
	assert once.level == "Medium" and "New segment" in once.reason
	assert warn("D", [day(50)], AS_OF, "New", {}) is None
	gaps = segment_gaps({"A": regular, "B": late}, {"A": "Loyal", "B": "Loyal"})
	assert gaps == {"Loyal": 30.0}


def test_bad_rows_are_counted_with_reasons_never_dropped_silently():
	rows = [
		{"customer": "A", "invoice": "1", "posting_date": "2026-11-01", "net_amount": "10.5", "is_return": 0},
		{"customer": "", "invoice": "2", "posting_date": "2026-11-01", "net_amount": 5},
		{"customer": "B", "invoice": "3", "posting_date": "yesterday-ish", "net_amount": 5},
		{"customer": "C", "invoice": "4", "posting_date": "2026-11-02", "net_amount": "abc"},
		{"customer": "D", "invoice": "5", "posting_date": dt.date(2026, 11, 2), "net_amount": float("nan")},
	]
	facts, rejects = facts_from_rows(rows)
	assert [f.customer for f in facts] == ["A"] and facts[0].net_amount == 10.5
	assert rejects.count == 4
	assert rejects.reasons == {"missing customer": 1, "unparseable date": 1, "non-numeric amount": 2}


@settings(max_examples=40, deadline=None)
@given(facts_strategy)
def test_column_path_gives_the_same_scores_as_the_plain_path(facts):
	import numpy as np

	from online_crm.core.rfm import score_columns, segment_grid

	expected = score_full(facts, AS_OF)
	customers = sorted({f.customer for f in facts})
	invoices = sorted({f.invoice for f in facts})
	cols = score_columns(
		np.array([customers.index(f.customer) for f in facts], dtype=np.int64),
		np.array([f.posting_date.toordinal() for f in facts], dtype=np.int64),
		np.array([f.net_amount for f in facts], dtype=float),
		np.array([f.is_return for f in facts], dtype=bool),
		np.array([invoices.index(f.invoice) for f in facts], dtype=np.int64),
		AS_OF.toordinal(),
	)
	names, _grid = segment_grid()
	got = {
		customers[c]: (int(r), int(f), int(m), names[s])
		for c, r, f, m, s in zip(
			cols["customer"], cols["r"], cols["f"], cols["m"], cols["segment"], strict=True
		)
	}
	assert got == {c: (s.r, s.f, s.m, s.segment) for c, s in expected.scores.items()}
	assert cols["boundaries"] == expected.boundaries


def test_edited_segment_rules_must_cover_every_score_pair():
	from online_crm.core.rfm import rules_from_data

	two = rules_from_data(
		[{"name": "Good", "r": [3, 5], "f": [1, 5]}, {"name": "Bad", "r": [1, 2], "f": [1, 5]}]
	)
	assert segment_for(4, 1, two) == "Good" and segment_for(1, 5, two) == "Bad"
	with pytest.raises(ValueError, match="R1F1"):
		rules_from_data(
			[{"name": "Good", "r": [3, 5], "f": [1, 5]}, {"name": "Half", "r": [1, 2], "f": [2, 5]}]
		)
	with pytest.raises(ValueError, match="rule 1"):
		rules_from_data([{"name": "Bad", "r": [0, 9], "f": [1, 5]}])
