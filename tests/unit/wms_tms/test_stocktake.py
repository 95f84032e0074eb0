"""Stock-take plans by bin, item, zone and ABC; counting by bin; recount above the threshold."""

import pytest

from wms_tms.core.errors import WmsInputError
from wms_tms.core.stocktake import BookRow, add_count, close_round, open_bin, scope

BOOK = [
	BookRow("A1-01", "TEA", 10, 5.0, aisle=1),
	BookRow("A1-01", "CUP", 4, 2.0, aisle=1),
	BookRow("A2-01", "TEA", 3, 5.0, aisle=2),
	BookRow("A2-02", "POT", 0, 9.0, aisle=2),  # nothing on the books: not a line
]


def keys(lines):
	return [(ln.bin, ln.item) for ln in lines]


def test_scope_by_each_basis():
	assert keys(scope(BOOK, "Bin", bins=["A1-01"])) == [("A1-01", "CUP"), ("A1-01", "TEA")]
	assert keys(scope(BOOK, "Item", items=["TEA"])) == [("A1-01", "TEA"), ("A2-01", "TEA")]
	assert keys(scope(BOOK, "Zone", zone=2)) == [("A2-01", "TEA")]
	classes = {"TEA": "A", "CUP": "C"}
	assert keys(scope(BOOK, "ABC", classes=classes, abc_class="A")) == [("A1-01", "TEA"), ("A2-01", "TEA")]
	assert keys(scope(BOOK, "ABC", classes=classes, abc_class="C")) == [("A1-01", "CUP")]


@pytest.mark.parametrize(
	"kw",
	[
		{"basis": "Shelf"},
		{"basis": "Bin"},
		{"basis": "Item"},
		{"basis": "Zone", "zone": 0},
		{"basis": "ABC", "abc_class": "D"},
	],
)
def test_a_plan_without_its_scope_is_refused(kw):
	with pytest.raises(WmsInputError):
		scope(BOOK, **kw)


def test_counting_needs_the_bin_first_and_finds_surplus():
	lines = scope(BOOK, "Bin", bins=["A1-01"])
	with pytest.raises(WmsInputError, match="scan the bin first"):
		add_count(lines, "A1-01", "TEA", 1)
	lines = open_bin(lines, "A1-01")
	lines = add_count(lines, "A1-01", "TEA", 9)
	lines = add_count(lines, "A1-01", "PEN", 2)  # not on the books here
	by = {(ln.bin, ln.item): ln for ln in lines}
	assert by[("A1-01", "TEA")].counted == 9 and by[("A1-01", "TEA")].difference == -1
	assert by[("A1-01", "CUP")].counted == 0 and by[("A1-01", "CUP")].done
	assert by[("A1-01", "PEN")].book == 0 and by[("A1-01", "PEN")].counted == 2
	lines = add_count(lines, "A1-01", "TEA", 10, set_to=True)
	assert {(ln.item, ln.counted) for ln in lines if ln.item == "TEA"} == {("TEA", 10)}
	for bad in (0, -1, float("nan")):
		with pytest.raises(WmsInputError):
			add_count(lines, "A1-01", "TEA", bad)


def test_a_round_asks_a_recount_once_above_the_threshold():
	lines = open_bin(scope(BOOK, "Bin", bins=["A1-01"]), "A1-01")
	lines = add_count(lines, "A1-01", "TEA", 8)  # -2 × 5.00 = -10.00
	lines = add_count(lines, "A1-01", "CUP", 4)
	first = close_round(lines, max_value=6)
	assert not first.final and keys(first.recounts) == [("A1-01", "TEA")]
	tea = first.recounts[0]
	assert tea.first_count == 8 and tea.counted == 0 and not tea.done
	with pytest.raises(WmsInputError, match="not counted"):
		close_round(first.lines, max_value=6)
	again = add_count(open_bin(first.lines, "A1-01"), "A1-01", "TEA", 8)
	second = close_round(again, max_value=6)
	assert second.final and {(ln.item, ln.counted) for ln in second.lines} == {("TEA", 8), ("CUP", 4)}
	# CUP was not reset by reopening the bin: a counted line keeps its figure
	assert sum(ln.value for ln in second.lines) == -10
