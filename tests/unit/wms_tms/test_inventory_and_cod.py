import datetime as dt

import pytest

from wms_tms.core.cod import reconcile
from wms_tms.core.errors import WmsInputError
from wms_tms.core.inventory import ItemStats, abc, alerts, cycle_count_plan, variances

TODAY = dt.date(2026, 11, 24)


def test_abc_by_issue_value_and_counts_per_class():
	stats = [
		ItemStats("TEA", 50, 1600),  # 80,000 — 80% of the value
		ItemStats("POT", 300, 40),  # 12,000
		ItemStats("CUP", 5, 1000),  # 5,000
		ItemStats("BOX", 10, 300),  # 3,000
		ItemStats("OLD", 99, 0),  # never moves
	]
	assert abc(stats) == {"TEA": "A", "POT": "B", "CUP": "B", "BOX": "C", "OLD": "C"}
	plan = {line.item: (line.cls, line.counts_per_year, line.every_days) for line in cycle_count_plan(stats)}
	assert plan["TEA"] == ("A", 12, 30) and plan["BOX"] == ("C", 1, 365)
	with pytest.raises(WmsInputError, match="NEG"):
		abc([ItemStats("NEG", -1, 3)])


def test_variances_per_bin_and_item():
	book = {("A1", "TEA"): 10, ("A1", "CUP"): 5, ("A2", "POT"): 3}
	counted = {("A1", "TEA"): 8, ("A1", "BOX"): 2}  # A2 not counted; CUP missing from A1
	lines = {(v.bin, v.item): v.difference for v in variances(counted, book)}
	assert lines == {("A1", "TEA"): -2, ("A1", "CUP"): -5, ("A1", "BOX"): 2}
	with pytest.raises(WmsInputError, match="A1/TEA"):
		variances({("A1", "TEA"): -1}, book)


def test_alerts():
	found = alerts(
		[
			ItemStats("LOW", 1, 365, on_hand=2, safety_stock=10, last_issue=TODAY),
			ItemStats("SLOW", 1, 10, on_hand=50, last_issue=TODAY - dt.timedelta(days=120)),
			ItemStats("FULL", 1, 365, on_hand=400, last_issue=TODAY),
		],
		TODAY,
	)
	kinds = {(a.item, a.kind) for a in found}
	assert kinds == {
		("LOW", "below_safety"),
		("SLOW", "slow_moving"),
		("SLOW", "overstock"),
		("FULL", "overstock"),
	}
	low = next(a for a in found if a.kind == "below_safety")
	assert low.suggested_qty == 10 + 30 - 2  # up to safety stock plus 30 days of one a day


def test_cod_reconciliation_lists_every_difference():
	r = reconcile({"S1": 207.0, "S2": 99.5, "S3": 0}, {"S1": 207.0, "S2": 90.0, "S4": 10})
	assert (r.expected, r.collected) == (306.5, 307.0)
	assert {(x.stop, x.difference) for x in r.differences} == {("S2", -9.5), ("S4", 10.0)}
	with pytest.raises(WmsInputError, match="S9"):
		reconcile({"S9": -1}, {})


@pytest.mark.parametrize(
	"expected, collected, stop",
	[
		({"S1": -5}, {"S1": 10}, "S1"),  # the stop is in both: the collected 10 must not hide the -5
		({"S1": 10}, {"S1": -5}, "S1"),
		({"S1": 10}, {"S2": -0.01}, "S2"),
		({"S1": float("nan")}, {"S1": 10}, "S1"),
		({"S1": 10}, {"S1": float("inf")}, "S1"),
	],
)
def test_cod_refuses_a_negative_or_non_numeric_amount_on_either_side(expected, collected, stop):
	with pytest.raises(WmsInputError) as e:
		reconcile(expected, collected)
	assert e.value.record == stop


def test_cod_zero_on_both_sides_is_no_difference():
	r = reconcile({"S1": 0, "S2": 50}, {"S1": 0, "S2": 50})
	assert (r.expected, r.collected, r.differences) == (50.0, 50.0, ())
	assert [(x.stop, x.difference) for x in r.lines] == [("S1", 0.0), ("S2", 0.0)]


def test_a_cheap_item_picked_all_day_is_counted_like_a_valuable_one():
	stats = [
		ItemStats("GOLD", 1000, 80, issues_per_year=20),  # 80,000 of value, rarely picked
		ItemStats("TAPE", 0.5, 5000, issues_per_year=4000),  # 2,500 of value (last 3%), picked all day
		ItemStats("BOLT", 2, 2500, issues_per_year=300),  # 5,000: from 91% of the value → B
		ItemStats("DUST", 3, 10, issues_per_year=2),
	]
	classes = abc(stats)
	assert classes["GOLD"] == "A"  # by value
	assert classes["TAPE"] == "A"  # by movement, though C by value
	assert classes["DUST"] == "C"
	by_value_only = abc([ItemStats(s.item, s.unit_value, s.issued_per_year) for s in stats])
	assert by_value_only["TAPE"] == "C"
	plan = {line.item: line.counts_per_year for line in cycle_count_plan(stats)}
	assert plan["TAPE"] == 12 and plan["DUST"] == 1


def test_bad_shares_and_negative_stock_are_refused():
	with pytest.raises(WmsInputError):
		abc([ItemStats("X", 1, 1)], a_share=0.9, b_share=0.5)
	with pytest.raises(WmsInputError, match="MINUS"):
		alerts([ItemStats("MINUS", 1, 10, on_hand=-3)], TODAY)
