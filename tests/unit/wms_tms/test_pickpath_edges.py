"""Pick-path pieces that the shortest-tour tests do not reach: the policy names, a pick line's
refusals, S-shape with the pack station mid-store (by hand), and the 2-opt tour used beyond the
exact limit (checked from outside: every bin once, its stated length, no 2-exchange shortens it)."""

import itertools
import random

import pytest

from wms_tms.core.errors import WmsInputError
from wms_tms.core.layout import Bin, Layout
from wms_tms.core.pickpath import (
	EXACT_LIMIT,
	PickLine,
	route,
	s_shape,
	sequence_lines,
	spot_tour,
	tour_length,
)


def small(depot_aisle=0.0, blocks=1):
	"""4 aisles 3 m apart, 10 positions of 1 m, 2 m cross aisles: an aisle is 12 m cross to cross."""
	s = Layout(aisles=4, positions=10, blocks=blocks, depot_aisle=depot_aisle)
	for blk in range(blocks):
		for a in range(1, 5):
			for p in range(1, 11):
				s.add(Bin(f"B{blk}-A{a}-P{p}", a, p, "L", 1, blk))
	return s


def test_s_shape_with_the_pack_station_between_aisles_by_hand():
	# picks in aisles 1 and 4, pack station at aisle 2.5 (x = 7.5): two aisles walked end to end
	# (12 + 12) and across: 7.5 → 3 (4.5), 3 → 12 (9), 12 → 7.5 (4.5) = 18; 42 in all
	s = small(depot_aisle=2.5)
	tour = s_shape(s, ["B0-A4-P3", "B0-A1-P5"])
	assert tour.bins == ("B0-A1-P5", "B0-A4-P3") and tour.length == pytest.approx(42.0)
	# one aisle only (odd): in to the farthest pick and back out, 2 × (1 + 4.5) = 11, plus across 0
	# from 7.5 to 6 and back (3): 14
	assert s_shape(s, ["B0-A2-P5", "B0-A2-P2"]).length == pytest.approx(14.0)


def test_policies_by_name():
	s = small()
	assert route(s, ["B0-A1-P1"]).length == pytest.approx(2 * (3 + 1.5))  # the default is the shortest
	assert route(s, ["B0-A1-P1"], "s-shape").method == "s-shape"
	with pytest.raises(WmsInputError) as e:
		route(s, ["B0-A1-P1"], "zigzag")
	assert str(e.value) == (
		"method: unknown routing policy 'zigzag'; use one of optimal, s-shape, largest-gap, combined"
	)


def test_a_pick_line_is_named_by_its_row_or_item():
	s = small()
	with pytest.raises(WmsInputError) as e:
		sequence_lines(s, [PickLine("B0-A1-P1", "TEA", 0, ref="PLI-7")])
	assert str(e.value) == "PLI-7 at B0-A1-P1: quantity must be above zero, not 0"
	with pytest.raises(WmsInputError) as e:
		sequence_lines(s, [PickLine("NOWHERE", "TEA", 1)])
	assert str(e.value) == "NOWHERE: bin of TEA at NOWHERE is not in the store's layout"
	seq = sequence_lines(s, [PickLine("B0-A2-P9", "B", 1), PickLine("B0-A1-P1", "A", 2)])
	assert [ln.bin for ln in seq.lines] == list(seq.tour.bins)  # in walking order
	assert sorted(ln.item for ln in seq.lines) == ["A", "B"]


@pytest.mark.parametrize("seed", range(6))
def test_beyond_the_exact_limit_two_opt_leaves_no_shorter_exchange(seed):
	s = small(blocks=2)
	rnd = random.Random(seed)
	picks = rnd.sample(sorted(s.bins), EXACT_LIMIT + rnd.randint(1, 6))
	tour = spot_tour(s, picks)
	assert tour.method == "2-opt"
	assert sorted(tour.bins) == sorted(picks)
	assert tour.length == pytest.approx(tour_length(s, tour.bins))
	order = list(tour.bins)
	for i, j in itertools.combinations(range(len(order)), 2):
		trial = order[:i] + order[i : j + 1][::-1] + order[j + 1 :]
		assert tour_length(s, trial) >= tour.length - 1e-6, (i, j)
