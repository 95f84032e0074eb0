"""Audiences (segments, tags, blacklist, frequency cap), hold-out, new vs returning, campaign effect."""

import datetime as dt

import factory.random
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from online_crm.core.audiences import (
	Contactable,
	audience,
	campaign_effect,
	contactables,
	holdout_split,
	new_vs_returning,
	period_of,
)
from online_crm.core.rfm import InvoiceFact, score_full
from tests.unit.online_crm.factories import CustomerFactory, InvoiceFactFactory

TODAY = dt.date(2026, 11, 24)


def test_audience_filters_by_segment_and_tags_minus_blacklist_and_recent_contacts():
	people = [
		Contactable("A", "Champions", frozenset({"wholesale", "tea"})),
		Contactable("B", "Champions", frozenset({"wholesale"})),  # lacks the tag
		Contactable("C", "At Risk", frozenset({"wholesale", "tea"})),
		Contactable("D", "Champions", frozenset({"wholesale", "tea"})),  # blacklisted
		Contactable(
			"E", "Loyal", frozenset({"wholesale", "tea"}), last_contacted=TODAY - dt.timedelta(days=3)
		),
		Contactable(
			"F", "Loyal", frozenset({"wholesale", "tea"}), last_contacted=TODAY - dt.timedelta(days=30)
		),
	]
	a = audience(
		people, TODAY, segments={"Champions", "Loyal"}, tags_all={"tea"}, blacklist={"D"}, cap_days=7
	)
	assert a.customers == ["A", "F"]
	assert a.excluded == {"blacklisted": 1, "contacted within 7 days": 1}


@given(st.lists(st.text(min_size=1, max_size=8), unique=True, max_size=200))
def test_holdout_is_stable_and_disjoint(customers):
	c1, h1 = holdout_split(customers, "double-11", 0.2)
	c2, h2 = holdout_split(list(reversed(customers)), "double-11", 0.2)
	assert (c1, h1) == (c2, h2)
	assert not set(c1) & set(h1) and set(c1) | set(h1) == set(customers)


def test_holdout_share_is_close_to_what_was_asked():
	_c, held = holdout_split([f"C{i}" for i in range(10_000)], "spring", 0.1)
	assert 900 < len(held) < 1100


def test_new_versus_returning_by_first_purchase():
	facts = [
		InvoiceFact("A", "1", dt.date(2026, 9, 5), 10),
		InvoiceFact("A", "2", dt.date(2026, 10, 1), 10),
		InvoiceFact("B", "3", dt.date(2026, 10, 9), 10),
		InvoiceFact("C", "4", dt.date(2026, 10, 9), 10, is_return=True),  # a return makes nobody a buyer
	]
	assert new_vs_returning(facts) == {"2026-09": (1, 0), "2026-10": (1, 1)}


def test_campaign_effect_against_the_holdout():
	start, end = dt.date(2026, 11, 1), dt.date(2026, 11, 30)
	facts = [
		InvoiceFact("A", "1", dt.date(2026, 11, 3), 100),
		InvoiceFact("B", "2", dt.date(2026, 11, 4), 50),
		InvoiceFact("H1", "3", dt.date(2026, 11, 5), 40),
		InvoiceFact("A", "4", dt.date(2026, 10, 30), 999),  # before the campaign
	]
	e = campaign_effect(facts, ["A", "B", "C", "D"], ["H1", "H2"], start, end)
	assert (e.contacted_rate, e.holdout_rate) == (0.5, 0.5)
	assert e.lift == 0.0 and e.contacted_spend == 37.5 and e.holdout_spend == 20.0


# ---- more audience rules, with the customer factory ---------------------------------------------


def test_any_and_none_tags_duplicates_and_the_cap_boundary():
	people = [
		CustomerFactory.build(customer="A", segment="Loyal", tags=frozenset({"tea"})),
		CustomerFactory.build(customer="A", segment="Loyal", tags=frozenset({"tea"})),  # listed twice
		CustomerFactory.build(customer="B", segment="Loyal", tags=frozenset({"coffee", "vip"})),  # vip: out
		CustomerFactory.build(
			customer="C", segment="Loyal", tags=frozenset({"retail"})
		),  # neither tea nor coffee
		CustomerFactory.build(
			customer="D", segment="Loyal", tags=frozenset({"coffee"}), contacted_days_ago=7
		),
		CustomerFactory.build(
			customer="E", segment="Loyal", tags=frozenset({"coffee"}), contacted_days_ago=6
		),
	]
	a = audience(people, TODAY, tags_any={"tea", "coffee"}, tags_none={"vip"}, cap_days=7)
	# contacted exactly 7 days ago is outside a 7-day cap; 6 days ago is inside
	assert a.customers == ["A", "D"]
	assert a.excluded == {"contacted within 7 days": 1}
	with pytest.raises(ValueError):
		audience(people, TODAY, cap_days=-1)


@settings(max_examples=60, deadline=None)
@given(
	st.integers(0, 60),
	st.sets(st.sampled_from([f"CUST-{i:05d}" for i in range(60)])),
	st.integers(0, 30),
	st.sets(st.sampled_from(["Champions", "Loyal", "Lost", "New"])),
)
def test_an_audience_never_holds_the_blacklisted_or_the_recently_contacted(n, blacklist, cap, segments):
	factory.random.reseed_random(n)
	CustomerFactory.reset_sequence()
	people = [
		CustomerFactory.build(tagged=True, contacted_days_ago=(i * 7) % 40 if i % 3 else None)
		for i in range(n)
	]
	a = audience(people, TODAY, segments=segments, blacklist=blacklist, cap_days=cap)
	by_id = {p.customer: p for p in people}
	assert len(a.customers) == len(set(a.customers))
	for c in a.customers:
		p = by_id[c]
		assert c not in blacklist and p.segment in segments
		assert p.last_contacted is None or cap == 0 or (TODAY - p.last_contacted).days >= cap
	wanted = [p for p in people if p.segment in segments]
	assert len(a.customers) + sum(a.excluded.values()) == len(wanted)


def test_audience_straight_from_an_rfm_result():
	facts = InvoiceFactFactory.build_batch(300)
	result = score_full(facts, TODAY)
	people = contactables(
		{c: s.segment for c, s in result.scores.items()}, tags={"CUST-00001": {"vip"}}, last_contacted={}
	)
	assert len(people) == len(result.scores)
	champions = audience(people, TODAY, segments={"Champions"})
	assert champions.customers == sorted(c for c, s in result.scores.items() if s.segment == "Champions")


@given(st.lists(st.text(min_size=1, max_size=8), unique=True, min_size=1, max_size=100), st.text(max_size=5))
def test_holdout_side_of_a_customer_does_not_depend_on_the_others(customers, campaign):
	_c, held_all = holdout_split(customers, campaign, 0.3)
	for c in customers[:10]:
		_c1, held_one = holdout_split([c], campaign, 0.3)
		assert (c in held_all) == (c in held_one)
	assert holdout_split(customers, campaign, 0.0)[1] == []
	with pytest.raises(ValueError):
		holdout_split(customers, campaign, 1.0)


def test_new_vs_returning_by_quarter_and_iso_week():
	facts = [
		InvoiceFact("A", "1", dt.date(2026, 1, 5), 10),  # Monday of ISO week 2
		InvoiceFact("A", "2", dt.date(2026, 1, 11), 10),  # Sunday, same week: still new that week
		InvoiceFact("A", "3", dt.date(2026, 4, 1), 10),
		InvoiceFact("B", "4", dt.date(2026, 4, 2), 10),
	]
	assert new_vs_returning(facts, "quarter") == {"2026-Q1": (1, 0), "2026-Q2": (1, 1)}
	assert new_vs_returning(facts, "week") == {"2026-W02": (1, 0), "2026-W14": (1, 1)}
	assert new_vs_returning(facts, "year") == {"2026": (2, 0)}
	assert period_of(dt.date(2027, 1, 1), "week") == "2026-W53"
	with pytest.raises(ValueError):
		period_of(dt.date(2026, 1, 1), "fortnight")


def test_campaign_effect_counts_purchases_nets_returns_and_refuses_overlap():
	start, end = dt.date(2026, 11, 1), dt.date(2026, 11, 30)
	facts = [
		InvoiceFact("A", "1", dt.date(2026, 11, 1), 100),  # first day counts
		InvoiceFact("A", "2", dt.date(2026, 11, 30), 60),  # last day counts
		InvoiceFact("A", "R", dt.date(2026, 11, 10), 40, is_return=True),
		InvoiceFact("B", "3", dt.date(2026, 12, 1), 500),  # after the window
		InvoiceFact("H", "4", dt.date(2026, 11, 15), 30),
		InvoiceFact("X", "5", dt.date(2026, 11, 15), 999),  # in neither group
	]
	e = campaign_effect(facts, ["A", "B"], ["H", "H2"], start, end)
	assert (e.contacted_rate, e.holdout_rate, e.lift) == (0.5, 0.5, 0.0)
	assert (e.contacted_spend, e.holdout_spend, e.spend_lift) == (60.0, 15.0, 45.0)
	assert (e.contacted_purchases, e.holdout_purchases) == (1.0, 0.5)
	with pytest.raises(ValueError, match="both contacted and held out"):
		campaign_effect(facts, ["A"], ["A"], start, end)
