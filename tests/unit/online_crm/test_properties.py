"""Properties that hold for any population: hypothesis for the plain path, seeded numpy for the column path."""

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from online_crm.core.rfm import (
	SEGMENTS,
	Boundaries,
	InvoiceFact,
	rules_from_data,
	score_columns,
	score_full,
	score_incremental,
	segment_for,
	segment_grid,
)
from tests.unit.online_crm.factories import InvoiceFactFactory
from tests.unit.online_crm.segment_map import SEGMENT_OF

AS_OF = dt.date(2026, 11, 24)
NAMES = [rule.name for rule in SEGMENTS]


def day(n: int) -> dt.date:
	return AS_OF - dt.timedelta(days=n)


# few distinct values on purpose: ties everywhere
facts_strategy = st.lists(
	st.builds(
		InvoiceFact,
		customer=st.sampled_from([f"C{i}" for i in range(25)]),
		invoice=st.sampled_from([f"I{i}" for i in range(60)]),
		posting_date=st.integers(-3, 420).map(day),
		net_amount=st.one_of(
			st.sampled_from([0.0, 10.0, 99.99, 100.0, 422.785]), st.floats(-50, 10_000, allow_nan=False)
		),
		is_return=st.booleans(),
	),
	max_size=150,
)


def buyers_in_window(facts, window=365):
	return {f.customer for f in facts if not f.is_return and 0 <= (AS_OF - f.posting_date).days < window}


@settings(max_examples=150, deadline=None)
@given(facts_strategy)
def test_every_scored_customer_is_in_exactly_one_segment_with_scores_1_to_5(facts):
	result = score_full(facts, AS_OF)
	assert set(result.scores) == buyers_in_window(facts)
	assert sum(result.segment_counts().values()) == len(result.scores)
	for sc in result.scores.values():
		assert {sc.r, sc.f, sc.m} <= {1, 2, 3, 4, 5}
		assert sc.segment == SEGMENT_OF[(sc.r, sc.f)]  # the chart written out by hand


@settings(max_examples=150, deadline=None)
@given(facts_strategy)
def test_ties_are_never_split(facts):
	result = score_full(facts, AS_OF)
	for attr, value in (("r", "recency_days"), ("f", "frequency"), ("m", "monetary")):
		seen: dict[float, int] = {}
		for sc in result.scores.values():
			v = getattr(sc.measures, value)
			assert seen.setdefault(v, getattr(sc, attr)) == getattr(sc, attr), f"{value} {v} split"
	# and scores never go the wrong way: more money never scores lower
	pairs = sorted((sc.measures.monetary, sc.m) for sc in result.scores.values())
	assert [s for _v, s in pairs] == sorted(s for _v, s in pairs)
	pairs = sorted((sc.measures.recency_days, -sc.r) for sc in result.scores.values())
	assert [s for _v, s in pairs] == sorted(s for _v, s in pairs)


@settings(max_examples=100, deadline=None)
@given(facts_strategy, st.randoms(use_true_random=False))
def test_input_order_does_not_matter(facts, rnd):
	shuffled = facts[:]
	rnd.shuffle(shuffled)
	a, b = score_full(facts, AS_OF), score_full(shuffled, AS_OF)
	assert a.scores == b.scores and a.boundaries == b.boundaries


@settings(max_examples=100, deadline=None)
@given(facts_strategy, facts_strategy, st.booleans())
def test_incremental_equals_full_when_boundaries_have_not_moved(old, new, fixed):
	b = (
		Boundaries.fixed((7, 30, 90, 180), (1, 2, 4, 8), (100, 1000, 5000, 20000))
		if fixed
		else score_full(old, AS_OF).boundaries  # the last full run's quintiles, kept
	)
	before = score_full(old, AS_OF, boundaries=b)
	touched = {f.customer for f in new}
	everything = old + new
	inc = score_incremental(before, [f for f in everything if f.customer in touched], touched)
	assert inc.scores == score_full(everything, AS_OF, boundaries=b).scores
	assert inc.boundaries == b


@settings(max_examples=60, deadline=None)
@given(
	st.lists(
		st.tuples(st.integers(1, 5), st.integers(1, 5), st.integers(1, 5), st.integers(1, 5)),
		max_size=6,
	),
	st.integers(1, 5),
	st.integers(1, 5),
)
def test_edited_rules_with_a_catch_all_still_place_everyone_once(ranges, r, f):
	"""Read from the rows as the business typed them: the segment holds (r, f) in its ranges and
	no row above it does."""
	rows = [{"name": f"S{i}", "r": sorted(x[:2]), "f": sorted(x[2:])} for i, x in enumerate(ranges)] + [
		{"name": "Everyone else", "r": [1, 5], "f": [1, 5]}
	]
	got = segment_for(r, f, rules_from_data(rows))
	at = [row["name"] for row in rows].index(got)
	lo_r, hi_r = rows[at]["r"]
	lo_f, hi_f = rows[at]["f"]
	assert lo_r <= r <= hi_r and lo_f <= f <= hi_f
	for row in rows[:at]:
		assert not (row["r"][0] <= r <= row["r"][1] and row["f"][0] <= f <= row["f"][1]), row


def test_edited_rules_by_hand():
	rows = [
		{"name": "VIP", "r": [4, 5], "f": [5, 5]},
		{"name": "Recent", "r": [5, 5], "f": [1, 5]},
		{"name": "Everyone else", "r": [1, 5], "f": [1, 5]},
	]
	rules = rules_from_data(rows)
	assert [segment_for(r, f, rules) for r, f in [(5, 5), (5, 1), (4, 5), (4, 4), (1, 1)]] == [
		"VIP",
		"Recent",
		"VIP",
		"Everyone else",
		"Everyone else",
	]
	with pytest.raises(ValueError, match="R1F1"):
		rules_from_data(rows[:2])


def test_factory_population_lands_every_customer_once():
	facts = InvoiceFactFactory.build_batch(400) + InvoiceFactFactory.build_batch(40, credit_note=True)
	result = score_full(facts, AS_OF)
	assert sum(result.segment_counts().values()) == len(result.scores)
	assert set(result.scores) == buyers_in_window(facts)


# ---- the column path (fast path) gives the plain path's scores on random data ---------------------


def random_columns(seed: int, customers: int, facts: int):
	rng = np.random.default_rng(seed)
	customer = rng.integers(0, customers, facts)
	day_no = AS_OF.toordinal() - rng.integers(-5, 420, facts)
	# a third of the amounts from a small set (ties), some with half cents, some negative
	amount = np.where(
		rng.random(facts) < 0.3,
		rng.choice([10.0, 25.5, 100.0, 422.785], facts),
		np.round(rng.lognormal(4, 1.2, facts), 3) - 5,
	)
	is_return = rng.random(facts) < 0.08
	invoice = rng.integers(0, facts // 2 + 1, facts)  # repeated invoice codes: several lines per invoice
	return customer, day_no, amount, is_return, invoice


def as_facts(customer, day_no, amount, is_return, invoice):
	return [
		InvoiceFact(f"C{c}", f"I{i}", dt.date.fromordinal(int(d)), float(a), bool(r))
		for c, d, a, r, i in zip(customer, day_no, amount, is_return, invoice, strict=True)
	]


def by_customer(cols):
	names, _grid = segment_grid()
	return {
		f"C{c}": (int(r), int(f), int(m), names[s], float(mon), int(rec), int(fr))
		for c, r, f, m, s, mon, rec, fr in zip(
			cols["customer"],
			cols["r"],
			cols["f"],
			cols["m"],
			cols["segment"],
			cols["monetary"],
			cols["recency"],
			cols["frequency"],
			strict=True,
		)
	}


def plain(result):
	return {
		c: (s.r, s.f, s.m, s.segment, s.measures.monetary, s.measures.recency_days, s.measures.frequency)
		for c, s in result.scores.items()
	}


@pytest.mark.parametrize(
	"seed, customers, n", [(1, 3, 20), (2, 50, 400), (3, 2_000, 20_000), (4, 5_000, 30_000)]
)
def test_column_path_equals_the_plain_path_on_random_data(seed, customers, n):
	cols = random_columns(seed, customers, n)
	expected = score_full(as_facts(*cols), AS_OF)
	got = score_columns(*cols, AS_OF.toordinal())
	assert got["boundaries"] == expected.boundaries
	assert by_customer(got) == plain(expected)


@pytest.mark.parametrize("codes", ["owned invoices", "sparse customer codes"])
def test_column_path_other_code_shapes(codes):
	customer, day_no, amount, is_return, invoice = random_columns(10, 800, 8_000)
	if codes == "owned invoices":  # each invoice belongs to one customer: the counting shortcut
		invoice = customer * 100 + invoice % 7
	else:  # ids far apart and negative: factorised by sorting instead
		customer = customer * 10_000_019 - 4_000_000_000
	cols = (customer, day_no, amount, is_return, invoice)
	expected = score_full(as_facts(*cols), AS_OF)
	got = score_columns(*cols, AS_OF.toordinal())
	assert got["boundaries"] == expected.boundaries
	assert by_customer(got) == plain(expected)


def test_column_path_incremental_equals_its_full_run_for_the_touched():
	cols = random_columns(5, 3_000, 30_000)
	full = score_columns(*cols, AS_OF.toordinal())
	touched = np.random.default_rng(6).choice(full["customer"], 30, replace=False)
	mask = np.isin(cols[0], touched)
	inc = score_columns(*(c[mask] for c in cols), AS_OF.toordinal(), boundaries=full["boundaries"])
	want = {k: v for k, v in by_customer(full).items() if int(k[1:]) in set(touched.tolist())}
	assert by_customer(inc) == want


def test_column_path_with_nobody_and_with_too_few():
	empty = score_columns(*(np.zeros(0, dtype=t) for t in (np.int64, np.int64, float, bool, np.int64)), 1)
	assert len(empty["customer"]) == 0
	cols = random_columns(7, 3, 10)
	small = score_columns(*cols, AS_OF.toordinal())
	assert set(small["r"].tolist()) <= {3} and small["boundaries"].rule.startswith("too few")


def test_shuffled_columns_give_the_same_result():
	cols = random_columns(8, 1_000, 10_000)
	perm = np.random.default_rng(9).permutation(10_000)
	a = score_columns(*cols, AS_OF.toordinal())
	b = score_columns(*(c[perm] for c in cols), AS_OF.toordinal())
	assert by_customer(a) == by_customer(b) and a["boundaries"] == b["boundaries"]
