import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from online_crm.core.audiences import Contactable, audience, campaign_effect, holdout_split, new_vs_returning
from online_crm.core.rfm import InvoiceFact

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
