"""Stock alerts, ABC classes and count variances at their edges, with the sentences a user reads
(each worked out by hand in the comments)."""

import datetime as dt

import pytest

from wms_tms.core.errors import WmsInputError
from wms_tms.core.inventory import ItemStats, abc, alerts, cycle_count_plan, variances

TODAY = dt.date(2026, 11, 24)


def _alerts(*stats, **kw):
	return [(a.item, a.kind, a.message, a.suggested_qty) for a in alerts(stats, TODAY, **kw)]


def test_alert_sentences():
	assert _alerts(
		# 730 a year = 2 a day; 30 days cover = 60; up to safety 10 from 2.5 on hand: 10 + 60 − 2.5 = 67.5 → 68
		ItemStats("LOW", 1, 730, on_hand=2.5, safety_stock=10, last_issue=TODAY),
		ItemStats("NEVER", 1, 0, on_hand=4),
		ItemStats("SLOW", 1, 0, on_hand=7, last_issue=TODAY - dt.timedelta(days=90)),
		# 365 a year = 1 a day: 181 on hand covers 181 days
		ItemStats("FULL", 1, 365, on_hand=181, last_issue=TODAY),
	) == [
		("LOW", "below_safety", "2.5 on hand, safety stock 10: order 68", 68),
		("NEVER", "slow_moving", "4 on hand, never issued", 0.0),
		("SLOW", "slow_moving", "7 on hand, no issue for 90 days", 0.0),
		("FULL", "overstock", "181 on hand covers 181 days of demand", 0.0),
	]


def test_alert_edges_are_quiet():
	assert (
		_alerts(
			ItemStats("AT_SAFETY", 1, 365, on_hand=10, safety_stock=10, last_issue=TODAY),
			ItemStats("RECENT", 1, 365, on_hand=5, last_issue=TODAY - dt.timedelta(days=89)),
			ItemStats("EXACT_180", 1, 365, on_hand=180, last_issue=TODAY),
			ItemStats("EMPTY", 1, 0, on_hand=0),  # nothing on hand is never slow
		)
		== []
	)


def test_alert_windows_can_be_set():
	stats = [ItemStats("X", 1, 365, on_hand=40, safety_stock=50, last_issue=TODAY - dt.timedelta(days=20))]
	assert _alerts(*stats, cover_days=10, slow_days=20, overstock_days=30) == [
		("X", "below_safety", "40 on hand, safety stock 50: order 20", 20),  # 50 + 10 − 40
		("X", "slow_moving", "40 on hand, no issue for 20 days", 0.0),
		("X", "overstock", "40 on hand covers 40 days of demand", 0.0),
	]
	for bad in (ItemStats("S", 1, 1, safety_stock=-1), ItemStats("I", 1, -1)):
		with pytest.raises(WmsInputError) as e:
			alerts([bad], TODAY)
		assert e.value.record == bad.item


def test_abc_cuts_are_on_the_value_before_the_item():
	# values 80, 15, 5 (total 100): before each item 0 %, 80 %, 95 % → A, then exactly 80 % is B,
	# exactly 95 % is C
	stats = [ItemStats("X", 1, 80), ItemStats("Y", 1, 15), ItemStats("Z", 1, 5)]
	assert abc(stats) == {"X": "A", "Y": "B", "Z": "C"}
	assert abc(stats, a_share=0.81, b_share=0.96) == {"X": "A", "Y": "A", "Z": "B"}
	# equal values: by item name
	assert abc([ItemStats("B", 1, 50), ItemStats("A", 1, 50)], a_share=0.5, b_share=0.5) == {
		"A": "A",
		"B": "C",
	}
	assert abc([ItemStats("Q", 0, 10), ItemStats("R", 5, 0)]) == {"Q": "C", "R": "C"}  # no value at all
	assert abc([ItemStats("ONE", 1, 1)], a_share=1, b_share=1) == {"ONE": "A"}


@pytest.mark.parametrize("a, b", [(0, 0.5), (0.6, 0.5), (0.5, 1.01), (-0.1, 0.5)])
def test_abc_refuses_shares_out_of_order(a, b):
	with pytest.raises(WmsInputError) as e:
		abc([ItemStats("X", 1, 1)], a_share=a, b_share=b)
	assert e.value.record == "abc"


def test_abc_refuses_negative_movements():
	with pytest.raises(WmsInputError) as e:
		abc([ItemStats("M", 1, 1, issues_per_year=-1)])
	assert e.value.record == "M"
	with pytest.raises(WmsInputError):
		abc([ItemStats("Q", 1, -1)])


def test_movement_only_when_some_item_moved():
	# by value 800 and 20: Y starts at 800/820 = 97.6 % → C; by movement Y is first → A: it takes A
	stats = [ItemStats("X", 10, 80, issues_per_year=1), ItemStats("Y", 1, 20, issues_per_year=99)]
	assert abc(stats) == {"X": "A", "Y": "A"}
	assert abc([ItemStats("X", 10, 80), ItemStats("Y", 1, 20)]) == {"X": "A", "Y": "C"}


def test_count_plan_order_and_intervals():
	# values 80, 10, 5, 5: before each 0 %, 80 %, 90 % (B0 before C1 by name), 95 %
	stats = [ItemStats("C1", 1, 5), ItemStats("A1", 1, 80), ItemStats("B1", 1, 10), ItemStats("B0", 1, 5)]
	plan = [(p.item, p.cls, p.counts_per_year, p.every_days) for p in cycle_count_plan(stats)]
	# 365 / 12 = 30.4 → 30; 365 / 4 = 91.25 → 91
	assert plan == [("A1", "A", 12, 30), ("B0", "B", 4, 91), ("B1", "B", 4, 91), ("C1", "C", 1, 365)]
	custom = cycle_count_plan(stats, {"A": 52, "B": 12, "C": 2})
	assert [(p.item, p.every_days) for p in custom] == [("A1", 7), ("B0", 30), ("B1", 30), ("C1", 182)]


def test_variances_sorted_and_float_noise_ignored():
	book = {("B2", "X"): 1.0, ("A1", "Y"): 0.3, ("A1", "Z"): 2.5}
	counted = {("B2", "X"): 1.5, ("A1", "Y"): 0.1 + 0.2, ("A1", "Z"): 0}
	assert [(v.bin, v.item, v.book, v.counted, v.difference) for v in variances(counted, book)] == [
		("A1", "Z", 2.5, 0.0, -2.5),
		("B2", "X", 1.0, 1.5, 0.5),
	]
