"""催付 and logistics reminder rules: who is due, by which channel and means."""

import datetime as dt

import pytest

from online_crm.core.reminders import (
	EMAIL_FIRST,
	EMAIL_ONLY,
	OVERDUE,
	SMS_FIRST,
	SMS_ONLY,
	UNDELIVERED,
	UNPAID,
	Candidate,
	Rule,
	channel_matches,
	due,
	log_key,
	route,
)

NOW = dt.datetime(2026, 12, 1, 12, 0)


def test_unpaid_waits_minutes_and_the_others_days():
	rule = Rule("R1", UNPAID, 30, "Taobao")
	placed_40 = Candidate("Sales Order", "SO-1", NOW - dt.timedelta(minutes=40), "Taobao:Tea Shop")
	placed_20 = Candidate("Sales Order", "SO-2", NOW - dt.timedelta(minutes=20), "Taobao:Tea Shop")
	other_shop = Candidate("Sales Order", "SO-3", NOW - dt.timedelta(hours=5), "Shopify:Tea Shop")
	exactly = Candidate("Sales Order", "SO-4", NOW - dt.timedelta(minutes=30), "Taobao:Other")
	assert [c.name for c in due(rule, [placed_40, placed_20, other_shop, exactly], NOW)] == ["SO-1", "SO-4"]

	overdue = Rule("R2", OVERDUE, 3, "B2B Portal")
	inv = [
		Candidate("Sales Invoice", "I-1", NOW - dt.timedelta(days=4), "B2B Portal"),
		Candidate("Sales Invoice", "I-2", NOW - dt.timedelta(days=2), "B2B Portal"),
		Candidate("Sales Invoice", "I-3", NOW - dt.timedelta(days=9), "Desk"),
	]
	assert [c.name for c in due(overdue, inv, NOW)] == ["I-1"]
	# no channel: every channel
	assert [c.name for c in due(Rule("R3", UNDELIVERED, 3), inv, NOW)] == ["I-1", "I-3"]


def test_channel_matching():
	assert channel_matches("", "anything")
	assert channel_matches("shopify", "Shopify:My Shop")
	assert channel_matches("Shopify:My Shop", "shopify:my shop")
	assert not channel_matches("Shopify:My Shop", "Shopify:Other")
	assert not channel_matches("Shop", "Shopify:My Shop")


def test_route_prefers_the_chosen_means_and_explains_when_none_is_possible():
	assert route(SMS_FIRST, "a@example.com", "139") == ("sms", "139")
	assert route(SMS_FIRST, "a@example.com", "") == ("email", "a@example.com")
	assert route(EMAIL_FIRST, "a@example.com", "139") == ("email", "a@example.com")
	assert route(SMS_ONLY, "a@example.com", "") == (None, "no mobile number")
	assert route(EMAIL_ONLY, "", "139")[0] is None
	assert route(SMS_FIRST, " ", " ") == (None, "no mobile number or e-mail address")


def test_rules_refuse_nonsense_and_keys_are_per_rule_and_order():
	with pytest.raises(ValueError):
		Rule("R", "Birthday", 1)
	with pytest.raises(ValueError):
		Rule("R", UNPAID, -5)
	assert log_key("R1", "Sales Order", "SO-1") != log_key("R2", "Sales Order", "SO-1")
