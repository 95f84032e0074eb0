"""Churn warnings, audience inputs, campaign effect and edited segment rules, each value worked out by
hand in the comments: what a marketer reads on the screen."""

import datetime as dt

import pytest

from online_crm.core.audiences import Contactable, campaign_effect, contactables
from online_crm.core.churn import SUGGESTIONS, warn
from online_crm.core.rfm import InvoiceFact, rules_from_data

AS_OF = dt.date(2026, 11, 24)


def days_ago(*n):
	return [AS_OF - dt.timedelta(days=x) for x in n]


@pytest.mark.parametrize(
	"bought, level, lateness, reason",
	[
		# gaps 10, 10 → typical 10; 14 days since → 1.4× → Low
		(
			days_ago(14, 24, 34),
			"Low",
			1.4,
			"last purchase 14 days ago; their own typical gap is 10 days (1.4× late)",
		),
		# exactly 1.5× is no longer on rhythm
		(
			days_ago(15, 25, 35),
			"Medium",
			1.5,
			"last purchase 15 days ago; their own typical gap is 10 days (1.5× late)",
		),
		# 29 / 10 = 2.9 → Medium; 30 / 10 = 3 → High
		(
			days_ago(29, 39, 49),
			"Medium",
			2.9,
			"last purchase 29 days ago; their own typical gap is 10 days (2.9× late)",
		),
		(
			days_ago(30, 40, 50),
			"High",
			3.0,
			"last purchase 30 days ago; their own typical gap is 10 days (3.0× late)",
		),
		# 10 / 3 = 3.333… → lateness kept to two decimals
		(
			days_ago(10, 13, 16),
			"High",
			3.33,
			"last purchase 10 days ago; their own typical gap is 3 days (3.3× late)",
		),
	],
)
def test_churn_levels_on_their_own_rhythm(bought, level, lateness, reason):
	w = warn("C1", bought, AS_OF, "Loyal", {})
	assert (w.customer, w.level, w.lateness, w.reason, w.suggestion) == (
		"C1",
		level,
		lateness,
		reason,
		SUGGESTIONS[level],
	)


def test_churn_falls_back_to_the_segment_and_never_divides_by_less_than_a_day():
	# one gap of their own is too few: the segment's 20 days; 30 / 20 = 1.5 → Medium
	w = warn("C2", days_ago(30, 40), AS_OF, "At Risk", {"At Risk": 20.0})
	assert (w.level, w.lateness) == ("Medium", 1.5)
	assert w.reason == "last purchase 30 days ago; the At Risk segment's typical gap is 20 days (1.5× late)"
	# a segment gap of half a day counts as one day: 2 days since → 2× → Medium
	assert warn("C3", days_ago(2), AS_OF, "New", {"New": 0.5}).lateness == 2.0
	assert warn("C4", days_ago(2), AS_OF, "New", {}) is None
	assert warn("C5", [], AS_OF, "New", {"New": 5.0}) is None


def test_contactables_carry_each_customers_tags_and_last_contact():
	got = contactables(
		{"B": "Loyal", "A": "Lost"},
		tags={"A": ["vip", "tea"], "Z": ["x"]},
		last_contacted={"B": AS_OF},
	)
	assert got == [
		Contactable("A", "Lost", frozenset({"vip", "tea"}), None),
		Contactable("B", "Loyal", frozenset(), AS_OF),
	]


def fact(customer, invoice, day, amount, is_return=False):
	return InvoiceFact(customer, invoice, day, amount, is_return)


def test_campaign_effect_by_hand():
	start, end = AS_OF, AS_OF + dt.timedelta(days=14)
	facts = [
		fact("C1", "I1", start, 100.0),
		fact("C1", "I2", end, 50.0),  # the last day counts
		fact("C1", "R1", end, -30.0, is_return=True),
		fact("C2", "I3", start - dt.timedelta(days=1), 999.0),  # before the campaign
		fact("H1", "I4", start + dt.timedelta(days=3), 40.0),
		fact("X9", "I5", start, 10.0),  # in neither group
	]
	e = campaign_effect(facts, ["C1", "C2", "C3", "C4"], ["H1", "H2"], start, end)
	# contacted: 1 of 4 bought, (100 + 50 − 30) / 4 = 30 spend, 2 invoices / 4 = 0.5
	# held out: 1 of 2 bought, 40 / 2 = 20 spend, 1 / 2 = 0.5 invoices
	assert (e.contacted, e.holdout) == (4, 2)
	assert (e.contacted_rate, e.holdout_rate, e.contacted_spend, e.holdout_spend) == (0.25, 0.5, 30.0, 20.0)
	assert (e.contacted_purchases, e.holdout_purchases) == (0.5, 0.5)
	assert (e.lift, e.spend_lift) == (-0.25, 10.0)
	empty = campaign_effect(facts, ["C1"], [], start, start)  # a one-day window; nobody held out
	assert (empty.holdout, empty.holdout_rate, empty.holdout_spend) == (0, 0.0, 0.0)
	assert empty.contacted_spend == 100.0
	with pytest.raises(ValueError, match="^the window after the campaign ends before it starts$"):
		campaign_effect(facts, ["C1"], ["H1"], end, start)


@pytest.mark.parametrize(
	"rows, message",
	[
		([{"name": "X", "r": [1, 5]}], "rule 1 needs a name and r, f ranges like [4, 5]"),
		([{"name": "X", "r": [1, 5], "f": ["a", 2]}], "rule 1 needs a name and r, f ranges like [4, 5]"),
		(
			[{"name": " ", "r": [1, 5], "f": [1, 5]}],
			"rule 1 (unnamed): ranges must lie within 1…5, low before high",
		),
		(
			[{"name": "X", "r": [1, 5, 5], "f": [1, 5]}],
			"rule 1 (X): ranges must lie within 1…5, low before high",
		),
		([{"name": "X", "r": [1, 5], "f": [1]}], "rule 1 (X): ranges must lie within 1…5, low before high"),
		(
			[{"name": "X", "r": [3, 2], "f": [1, 5]}],
			"rule 1 (X): ranges must lie within 1…5, low before high",
		),
		(
			[{"name": "X", "r": [1, 6], "f": [1, 5]}],
			"rule 1 (X): ranges must lie within 1…5, low before high",
		),
		(
			[{"name": "X", "r": [1, 5], "f": [4, 3]}],
			"rule 1 (X): ranges must lie within 1…5, low before high",
		),
		(
			[{"name": "X", "r": [1, 5], "f": [0, 5]}],
			"rule 1 (X): ranges must lie within 1…5, low before high",
		),
		(
			[{"name": "X", "r": [1, 5], "f": [1, 6]}],
			"rule 1 (X): ranges must lie within 1…5, low before high",
		),
		(
			[{"name": "X", "r": [2, 5], "f": [1, 5]}, {"name": "Y", "r": [1, 1], "f": [2, 5]}],
			"no rule covers R1F1",
		),
		(
			[{"name": "X", "r": [1, 4], "f": [1, 4]}],
			"no rule covers R1F5, R2F5, R3F5, R4F5, R5F1, R5F2, R5F3, R5F4, R5F5",
		),
	],
)
def test_edited_rules_are_refused_with_the_reason(rows, message):
	with pytest.raises(ValueError) as e:
		rules_from_data(rows)
	assert str(e.value) == message


def test_fixed_cut_points_are_checked_with_the_measure_named():
	from online_crm.core.rfm import Boundaries

	b = Boundaries.fixed((7, 30, 90, 180), (1, 2, 5, 10), (100, 500, 1000, 5000))
	assert (b.recency, b.rule) == ((7, 30, 90, 180), "fixed")
	for args, message in [
		(
			((9, 1, 2, 3), (1, 2, 3, 4), (1, 2, 3, 4)),
			"recency needs four ascending cut points, got [9, 1, 2, 3]",
		),
		(((1, 2, 3, 4), (1, 2, 3), (1, 2, 3, 4)), "frequency needs four ascending cut points, got [1, 2, 3]"),
		(
			((1, 2, 3, 4), (1, 2, 3, 4), (5, 4, 3, 2)),
			"monetary needs four ascending cut points, got [5, 4, 3, 2]",
		),
	]:
		with pytest.raises(ValueError) as e:
			Boundaries.fixed(*args)
		assert str(e.value) == message
