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
	assert tour.method == "exact"
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
