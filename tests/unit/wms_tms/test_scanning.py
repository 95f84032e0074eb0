"""Floor scans: picking refusals, parcel check, recount threshold."""

from wms_tms.core.scanning import (
	PickLine,
	check_parcel,
	check_pick,
	check_short,
	needs_recount,
	next_line,
	wave_done,
)

LINE = PickLine("r1", "A1-01-L", "TEA", 3, picked=1)


def test_a_right_scan_passes():
	assert check_pick(LINE, "A1-01-L", "TEA") is None
	assert check_pick(LINE, "A1-01-L", "TEA", 2) is None


def test_wrong_bin_wrong_item_and_over_pick_are_refused():
	assert check_pick(LINE, "A1-02-L", "TEA").kind == "wrong_bin"
	assert check_pick(LINE, "A1-01-L", "CUP").kind == "wrong_item"
	assert check_pick(LINE, "A1-01-L", None).kind == "wrong_item"
	r = check_pick(LINE, "A1-01-L", "TEA", 3)
	assert r.kind == "over_pick" and r.args == ("TEA", "3", "1")
	assert check_pick(LINE, "A1-01-L", "TEA", 0).kind == "bad_qty"
	assert check_pick(LINE, "A1-01-L", "TEA", -1).kind == "bad_qty"
	assert check_pick(LINE, "A1-01-L", "TEA", float("nan")).kind == "bad_qty"


def test_a_done_or_short_line_takes_nothing_more():
	full = PickLine("r", "B", "X", 2, picked=2)
	short = PickLine("r", "B", "X", 2, picked=1, short_reason="Damaged")
	assert check_pick(full, "B", "X").kind == "closed"
	assert check_pick(short, "B", "X").kind == "closed"
	assert check_short(full, "Damaged").kind == "closed"
	assert check_short(LINE, "Lazy").kind == "bad_reason"
	assert check_short(LINE, "Not found") is None


def test_the_wave_is_done_when_every_line_is_picked_or_short():
	lines = [PickLine("a", "B", "X", 2, 2), PickLine("b", "B", "Y", 2, 0)]
	assert not wave_done(lines) and next_line(lines).row == "b"
	lines[1] = PickLine("b", "B", "Y", 2, 0, "Not found")
	assert wave_done(lines) and next_line(lines) is None
	assert not wave_done([])


def test_parcel_names_missing_and_extra_items():
	assert check_parcel({"TEA": 2, "CUP": 1}, {"TEA": 2, "CUP": 1}) == []
	problems = check_parcel({"TEA": 2, "CUP": 1}, {"TEA": 1, "PEN": 1})
	assert [(p.item, p.kind) for p in problems] == [("CUP", "missing"), ("PEN", "extra"), ("TEA", "missing")]
	assert check_parcel({"TEA": 2}, {"TEA": 3})[0].kind == "extra"


def test_recount_above_value_or_share():
	assert not needs_recount(10, 10, 5, 1, 1)
	assert needs_recount(10, 9, 5, 4, 0)  # 5.00 of difference > 4
	assert not needs_recount(10, 9, 5, 5, 0)  # exactly 5: not above
	assert needs_recount(10, 8, 0, 0, 10)  # 20 % > 10 %
	assert not needs_recount(10, 9, 0, 0, 10)  # 10 %: not above
	assert needs_recount(0, 1, 0, 0, 50)  # found where the books say none
	assert not needs_recount(10, 0, 100, 0, 0)  # both limits off


def test_an_item_before_its_bin_and_a_bin_scan():
	from wms_tms.core.scanning import check_bin

	assert check_pick(LINE, "", "TEA").kind == "no_bin"
	assert check_bin(LINE, "A1-01-L") is None
	assert check_bin(LINE, "A1-02-L").kind == "wrong_bin"
	assert check_bin(PickLine("r", "B", "X", 1, 1), "B").kind == "closed"
