"""Walking distances in a store of parallel aisles, and the shortest pick tour through its bins."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wms_tms.core.errors import WmsInputError
from wms_tms.core.layout import DEPOT, Bin, Layout
from wms_tms.core.pickpath import best_tour, tour_length


def store(blocks: int = 1) -> Layout:
	"""3 m between aisle centres, 10 positions of 1 m, 2 m cross aisles, pack station at aisle 0."""
	layout = Layout(
		aisles=6, positions=10, blocks=blocks, position_pitch=1.0, aisle_pitch=3.0, cross_aisle_width=2.0
	)
	for block in range(blocks):
		for a in range(1, 7):
			for p in range(1, 11):
				for side in "LR":
					layout.add(Bin(f"B{block}-A{a}-P{p}-{side}", a, p, side, 1, block))
	return layout


def test_same_aisle_is_a_straight_walk():
	s = store()
	assert s.distance("B0-A2-P1-L", "B0-A2-P7-R") == pytest.approx(6.0)
	assert s.distance("B0-A2-P3-L", "B0-A2-P3-R") == 0.0  # both sides from one spot


def test_other_aisle_goes_round_the_nearer_cross_aisle():
	s = store()
	# block depth 12 m: front cross aisle at y=0, back at y=12; P2 sits at y=2.5, P9 at y=9.5
	front = 2.5 + 3 * 3 + 2.5  # out the front, 3 aisles across, back in
	assert s.distance("B0-A1-P2-L", "B0-A4-P2-L") == pytest.approx(front)
	back = (12 - 9.5) + 9 + (12 - 9.5)
	assert s.distance("B0-A1-P9-L", "B0-A4-P9-L") == pytest.approx(back)
	mixed = min(2.5 + 9 + 9.5, (12 - 2.5) + 9 + (12 - 9.5))
	assert s.distance("B0-A1-P2-L", "B0-A4-P9-L") == pytest.approx(mixed)


def test_pack_station_to_a_bin():
	s = store()
	assert s.distance(DEPOT, "B0-A1-P1-L") == pytest.approx(3 + 1.5)  # 3 m along the front aisle, 1.5 m in


def test_second_block_is_reached_through_the_middle_cross_aisle():
	s = store(blocks=2)
	# block 1 starts at y=12; its P1 is at 12 + 1 + 0.5
	assert s.distance("B0-A1-P10-L", "B1-A1-P1-L") == pytest.approx(13.5 - 10.5)
	assert s.distance("B0-A1-P10-L", "B1-A3-P1-L") == pytest.approx(1.5 + 6 + 1.5)


@pytest.mark.parametrize(
	"row, needle",
	[
		({"bin": "X", "aisle": 9, "position": 1}, "aisle 9"),
		({"bin": "Y", "aisle": 1, "position": 0}, "position 0"),
		({"bin": "Z", "aisle": "one", "position": 1}, "aisle"),
		({"bin": "W", "aisle": 1, "position": 1, "side": "Q"}, "side"),
	],
)
def test_bad_bin_rows_name_the_bin(row, needle):
	with pytest.raises(WmsInputError) as e:
		Layout.from_rows({"aisles": 6, "positions": 10}, [row])
	assert e.value.record == row["bin"] and needle in str(e.value)


def test_unknown_bin_and_bad_geometry_are_refused():
	with pytest.raises(WmsInputError, match="NOPE"):
		best_tour(store(), ["B0-A1-P1-L", "NOPE"])
	with pytest.raises(WmsInputError, match="aisles"):
		Layout(aisles=0, positions=5)
	with pytest.raises(WmsInputError, match="aisle_pitch"):
		Layout(aisles=2, positions=5, aisle_pitch=0)


def brute_force(layout: Layout, bins: list[str]) -> float:
	return min(tour_length(layout, perm) for perm in itertools.permutations(bins))


BINS = [f"B0-A{a}-P{p}-L" for a in range(1, 7) for p in range(1, 11)]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(BINS), min_size=1, max_size=7, unique=True))
def test_exact_tour_is_the_shortest_and_visits_every_bin_once(picks):
	s = store()
	tour = best_tour(s, picks)
	assert sorted(tour.bins) == sorted(picks)
	assert tour.method == "exact (Ratliff–Rosenthal)"
	assert tour.length == pytest.approx(tour_length(s, tour.bins))
	assert tour.length == pytest.approx(brute_force(s, picks))


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(BINS), min_size=13, max_size=30, unique=True))
def test_large_tours_visit_every_bin_once_and_beat_the_given_order(picks):
	s = store()
	tour = best_tour(s, picks)
	assert sorted(tour.bins) == sorted(picks) and len(set(tour.bins)) == len(picks)
	assert tour.length <= tour_length(s, picks) + 1e-9


def test_bins_at_one_spot_are_picked_together():
	s = store()
	tour = best_tour(s, ["B0-A3-P4-L", "B0-A1-P1-L", "B0-A3-P4-R"])
	assert abs(tour.bins.index("B0-A3-P4-L") - tour.bins.index("B0-A3-P4-R")) == 1


def test_s_shape_and_largest_gap_on_a_hand_drawn_case():
	from wms_tms.core.pickpath import largest_gap, s_shape

	s = store()  # depth 12, aisle pitch 3, pack station at x=0
	picks = ["B0-A1-P1-L", "B0-A1-P9-L", "B0-A3-P2-L", "B0-A3-P10-R", "B0-A5-P5-L"]
	# S-shape: aisles 1, 3, 5 (odd): 1 up, 3 down, 5 in and out to P5 (y=5.5); across to x=15 and back
	assert s_shape(s, picks).length == pytest.approx(12 + 12 + 2 * 5.5 + 15 + 15)
	# largest gap: 1 and 5 end to end; aisle 3 (y 2.5 and 10.5): largest gap 8 between them → 2·(12−8)
	lg = largest_gap(s, picks)
	assert lg.length == pytest.approx(12 + 12 + 2 * (12 - 8) + 15 + 15)
	assert sorted(lg.bins) == sorted(picks) and sorted(s_shape(s, picks).bins) == sorted(picks)
	from wms_tms.core.pickpath import combined

	# combined weighs through-walks against in-and-out per aisle; here the best is the S-shape walk
	# (in and out of aisle 1 alone would cost 2·9.5 = 19 against 12 through it)
	assert combined(s, picks).length == pytest.approx(12 + 12 + 2 * 5.5 + 15 + 15)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(BINS), min_size=1, max_size=8, unique=True))
def test_heuristics_are_never_shorter_than_the_exact_tour(picks):
	from wms_tms.core.pickpath import combined, largest_gap, s_shape

	s = store()
	exact = best_tour(s, picks).length
	assert combined(s, picks).length <= s_shape(s, picks).length + 1e-9  # S-shape is one of its choices
	for tour in (s_shape(s, picks), largest_gap(s, picks), combined(s, picks)):
		assert sorted(tour.bins) == sorted(picks)
		assert tour.length >= exact - 1e-9
		assert tour.length >= tour_length(s, tour.bins) - 1e-9  # the policy's walk is a real walk


def test_near_exact_oracle_covers_large_tours():
	from wms_tms.core.pickpath import near_exact, s_shape

	s = store()
	picks = BINS[::3]
	tour = near_exact(s, picks, seconds=0.3)
	assert sorted(tour.bins) == sorted(picks)
	assert tour.length <= s_shape(s, picks).length + 1e-9


@settings(max_examples=80, deadline=None)
@given(
	st.lists(st.sampled_from(BINS), min_size=1, max_size=9, unique=True),
	st.sampled_from([0.0, 2.0, 3.5, 7.0]),
)
def test_ratliff_rosenthal_equals_the_exact_search_and_its_walk(picks, depot_aisle):
	from wms_tms.core.rr import optimal

	s = store()
	s.depot_aisle = depot_aisle
	rr = optimal(s, picks)
	assert sorted(rr.bins) == sorted(picks)
	from wms_tms.core.pickpath import spot_tour

	assert rr.length == pytest.approx(spot_tour(s, picks).length)
	assert tour_length(s, rr.bins) == pytest.approx(rr.length)


@settings(max_examples=20, deadline=None)
@given(st.lists(st.sampled_from(BINS), min_size=13, max_size=40, unique=True))
def test_ratliff_rosenthal_beats_or_ties_every_heuristic_on_large_tours(picks):
	from wms_tms.core.pickpath import largest_gap, near_exact, s_shape
	from wms_tms.core.rr import optimal

	s = store()
	rr = optimal(s, picks)
	assert tour_length(s, rr.bins) == pytest.approx(rr.length)
	for other in (s_shape(s, picks), largest_gap(s, picks), near_exact(s, picks, seconds=0.05)):
		assert rr.length <= other.length + 1e-6


# ---- stores of several blocks ------------------------------------------------------------------

BINS2 = [f"B{b}-A{a}-P{p}-L" for b in range(2) for a in range(1, 7) for p in range(1, 11)]


def test_two_block_s_shape_on_a_hand_drawn_case():
	from wms_tms.core.pickpath import combined, largest_gap, s_shape

	s = store(blocks=2)  # block depth 12: front cross aisle y=0, middle y=12, back y=24
	picks = ["B1-A2-P5-L", "B0-A4-P3-L"]
	# up aisle 2 (x=6) to the back (6 + 24), block 1 has nothing else: down aisle 2 (12);
	# block 0: across to aisle 4 (6) and through it (12); home from x=12 (12)
	for policy in (s_shape, largest_gap, combined):
		tour = policy(s, picks)
		assert tour.length == pytest.approx(6 + 24 + 12 + 6 + 12 + 12)
		assert sorted(tour.bins) == sorted(picks)
	# the optimum turns in the middle cross aisle: up aisle 2 to P5 (y 17.5), back to y 12, across,
	# down aisle 4 past P3, home along the front
	assert best_tour(s, picks).length == pytest.approx(6 + 17.5 + 5.5 + 6 + 12 + 12)


@settings(max_examples=40, deadline=None)
@given(
	st.lists(st.sampled_from(BINS2), min_size=1, max_size=6, unique=True), st.sampled_from([0.0, 3.0, 7.0])
)
def test_two_block_tours_against_brute_force(picks, depot_aisle):
	from wms_tms.core.pickpath import combined, largest_gap, s_shape

	s = store(blocks=2)
	s.depot_aisle = depot_aisle
	shortest = brute_force(s, picks)
	best = best_tour(s, picks)
	assert best.length == pytest.approx(shortest)
	assert tour_length(s, best.bins) == pytest.approx(best.length)
	for policy in (s_shape, largest_gap, combined):
		tour = policy(s, picks)
		assert sorted(tour.bins) == sorted(picks)
		assert tour.length >= shortest - 1e-9
		assert tour.length >= tour_length(s, tour.bins) - 1e-9  # the policy's walk is a real walk
	assert combined(s, picks).length <= s_shape(s, picks).length + 1e-9


@settings(max_examples=8, deadline=None)
@given(st.lists(st.sampled_from(BINS2), min_size=13, max_size=35, unique=True))
def test_large_two_block_tours_beat_every_heuristic(picks):
	from wms_tms.core.pickpath import combined, largest_gap, s_shape, spot_tour

	s = store(blocks=2)
	best = best_tour(s, picks)
	assert sorted(best.bins) == sorted(picks)
	assert tour_length(s, best.bins) == pytest.approx(best.length)
	for other in (s_shape(s, picks), largest_gap(s, picks), combined(s, picks), spot_tour(s, picks)):
		assert best.length <= other.length + 1e-6


# ---- pick lines in walking order ---------------------------------------------------------------


def test_pick_lines_come_back_in_walking_order_with_lines_at_one_bin_together():
	from wms_tms.core.pickpath import PickLine, route, sequence_lines

	s = store()
	lines = [
		PickLine("B0-A5-P2-L", "TEA", 2, "row-1"),
		PickLine("B0-A1-P3-L", "CUP", 1, "row-2"),
		PickLine("B0-A5-P2-L", "POT", 1, "row-3"),
		PickLine("B0-A3-P9-R", "BOX", 4, "row-4"),
	]
	for method in ("optimal", "s-shape", "largest-gap", "combined"):
		seq = sequence_lines(s, lines, method)
		assert sorted(ln.ref for ln in seq.lines) == ["row-1", "row-2", "row-3", "row-4"]
		walk = [ln.bin for ln in seq.lines]
		assert list(dict.fromkeys(walk)) == list(seq.tour.bins)  # lines follow the tour, bins not revisited
		refs = [ln.ref for ln in seq.lines]
		assert refs.index("row-3") == refs.index("row-1") + 1  # same bin: given order, back to back
		assert seq.tour.length == pytest.approx(route(s, [ln.bin for ln in lines], method).length)
	assert sequence_lines(s, lines).tour.length == pytest.approx(
		brute_force(s, ["B0-A5-P2-L", "B0-A1-P3-L", "B0-A3-P9-R"])
	)


def test_pick_lines_bad_input_names_the_line():
	from wms_tms.core.pickpath import PickLine, sequence_lines

	s = store()
	with pytest.raises(WmsInputError, match="row-7"):
		sequence_lines(s, [PickLine("B0-A1-P1-L", "TEA", -1, "row-7")])
	with pytest.raises(WmsInputError) as e:
		sequence_lines(s, [PickLine("GONE", "TEA", 1, "row-8")])
	assert e.value.record == "GONE" and "row-8" in str(e.value)
	with pytest.raises(WmsInputError, match="zigzag"):
		sequence_lines(s, [PickLine("B0-A1-P1-L", "TEA", 1)], method="zigzag")


def test_layout_from_erpnext_rows_with_aisle_length_and_cross_aisles():
	geometry = {"aisles": 4, "positions": 10, "aisle_length": 20, "aisle_spacing": 4, "cross_aisles": 3}
	rows = [
		{"bin": "WH-A1-01", "aisle": 1, "position": 1, "side": "l", "level": "2", "block": 0},
		{"bin": "WH-A3-10", "aisle": "3", "position": 10.0, "side": "R", "level": None, "block": 1},
	]
	s = Layout.from_rows(geometry, rows)
	assert (s.blocks, s.position_pitch, s.aisle_pitch) == (2, 2.0, 4.0)
	assert s.bins["WH-A1-01"].side == "L" and s.bins["WH-A3-10"].level == 1
	# block depth 2 + 10·2 = 22; A1-01 at y = 1 + 1 = 2, A3-10 at y = 22 + 1 + 19 = 42:
	# up aisle 1 to the middle cross aisle (20), across 8 m, up aisle 3 (20)
	assert s.distance("WH-A1-01", "WH-A3-10") == pytest.approx(20 + 8 + 20)


@pytest.mark.parametrize(
	"geometry, rows, record, needle",
	[
		({"positions": 10}, [], "layout", "aisles"),
		({"aisles": "many", "positions": 10}, [], "layout", "aisles"),
		({"aisles": 4, "positions": 10, "depot_aisle": 9}, [], "layout", "depot_aisle"),
		({"aisles": 4, "positions": 10}, [{"bin": "", "aisle": 1, "position": 1}], "layout", "no name"),
		({"aisles": 4, "positions": 10}, [{"bin": "D", "aisle": 1, "position": 1}] * 2, "D", "twice"),
		(
			{"aisles": 4, "positions": 10},
			[{"bin": "L", "aisle": 1, "position": 1, "level": 1.5}],
			"L",
			"level",
		),
		({"aisles": 4, "positions": 10}, [{"bin": "B", "aisle": 1, "position": 1, "block": 2}], "B", "block"),
	],
)
def test_bad_layout_rows_raise_the_core_error(geometry, rows, record, needle):
	with pytest.raises(WmsInputError) as e:
		Layout.from_rows(geometry, rows)
	assert e.value.record == record and needle in str(e.value)


def test_unset_number_fields_from_frappe_take_the_defaults():
	# a Warehouse Layout saved with only aisles and positions: Frappe hands the rest over as 0
	geometry = {"aisles": 3, "positions": 5, "blocks": 0, "position_pitch": 0.0, "aisle_pitch": 0.0}
	geometry |= {"cross_aisle_width": 0.0, "depot_aisle": 0.0, "dispatch_lat": 0.0}
	s = Layout.from_rows(geometry, [{"bin": "X", "aisle": 2, "position": 1}])
	assert (s.blocks, s.position_pitch, s.aisle_pitch, s.cross_aisle_width) == (1, 1.0, 3.0, 2.0)
	assert s.distance(DEPOT, "X") == pytest.approx(6 + 1.5)
