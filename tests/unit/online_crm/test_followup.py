"""Churn follow-up: only real warnings, the action by level and value, never twice for one warning."""

import datetime as dt

from online_crm.core.followup import follow_up, suggested_action

LAST = dt.date(2026, 8, 1)


def test_low_or_no_warning_gets_no_task():
	assert follow_up("A", "Low", LAST, 5, None) is None
	assert follow_up("A", None, LAST, 5, None) is None
	assert follow_up("A", "High", None, 5, None) is None


def test_action_by_level_and_value():
	assert [suggested_action("High", m) for m in (1, 3, 4, 5)] == ["coupon", "coupon", "call", "call"]
	assert suggested_action("Medium", 5) == "campaign"
	f = follow_up("A", "High", LAST, 5, None)
	assert (f.action, f.priority) == ("call", "High")


def test_the_same_warning_is_followed_up_once_a_new_one_again():
	first = follow_up("A", "Medium", LAST, 2, None)
	assert first is not None
	assert follow_up("A", "Medium", LAST, 2, first.key) is None  # recomputed, nothing changed
	worse = follow_up("A", "High", LAST, 2, first.key)  # still no purchase, now long overdue
	assert worse is not None and worse.key != first.key
	# they bought again, then lapsed again: a new warning
	assert follow_up("A", "Medium", LAST + dt.timedelta(days=40), 2, first.key) is not None
