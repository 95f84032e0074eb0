"""The order in which a picker visits bins: from the pack station, through every bin, and back.

`best_tour` is exact: the Ratliff–Rosenthal programme (`rr.py`) for a single-block store of
any size; for several blocks, Held–Karp over the distinct pick spots up to EXACT_LIMIT spots,
and beyond that a nearest-neighbour tour improved by 2-opt (`near_exact` is the PyVRP oracle). Two bins on opposite sides or levels of the
same position are one spot. Among equally short tours the one that starts nearer the pack
station's left is taken, so the answer is deterministic.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from wms_tms.core.errors import WmsInputError
from wms_tms.core.layout import DEPOT, Layout

EXACT_LIMIT = 12


@dataclass(frozen=True)
class Tour:
	bins: tuple[str, ...]  # in walking order, each once
	length: float  # metres, pack station → bins → pack station
	method: str


def best_tour(layout: Layout, bins: Iterable[str]) -> Tour:
	if layout.blocks == 1:
		from wms_tms.core.rr import optimal  # rr builds on this module's Tour

		return optimal(layout, bins)
	return spot_tour(layout, bins)


def spot_tour(layout: Layout, bins: Iterable[str]) -> Tour:
	"""Held–Karp (exact) up to EXACT_LIMIT distinct spots, nearest neighbour + 2-opt beyond."""
	order = list(dict.fromkeys(bins))  # distinct, first-seen order
	for b in order:
		layout.spot(b)  # unknown bins are refused with their name
	if not order:
		return Tour((), 0.0, "empty")
	spots: dict[tuple, list[str]] = {}
	for b in order:
		s = layout.spot(b)
		spots.setdefault((s.x, s.y), []).append(b)
	keys = sorted(spots)
	reps = [spots[k][0] for k in keys]
	nodes = [DEPOT, *reps]
	d = [[layout.distance(a, b) for b in nodes] for a in nodes]
	if len(reps) <= EXACT_LIMIT:
		seq, method = _held_karp(d), "exact"
	else:
		seq, method = _two_opt(d, _nearest_neighbour(d)), "2-opt"
	length = _length(d, seq)
	walk = tuple(b for i in seq for b in sorted(spots[keys[i - 1]]))
	return Tour(walk, length, method)


def tour_length(layout: Layout, bins: Iterable[str]) -> float:
	"""Length of visiting the bins in exactly this order, from and back to the pack station."""
	path = [DEPOT, *bins, DEPOT]
	return sum(layout.distance(a, b) for a, b in zip(path, path[1:], strict=False))


def _length(d: list[list[float]], seq: list[int]) -> float:
	path = [0, *seq, 0]
	return sum(d[a][b] for a, b in zip(path, path[1:], strict=False))


def _held_karp(d: list[list[float]]) -> list[int]:
	n = len(d) - 1  # nodes 1..n, 0 is the pack station
	full = (1 << n) - 1
	cost = {(1 << (j - 1), j): (d[0][j], 0) for j in range(1, n + 1)}
	for mask in range(1, full + 1):
		for j in range(1, n + 1):
			if not mask & (1 << (j - 1)) or (mask, j) not in cost:
				continue
			c, _ = cost[(mask, j)]
			for k in range(1, n + 1):
				bit = 1 << (k - 1)
				if mask & bit:
					continue
				key = (mask | bit, k)
				cand = c + d[j][k]
				if key not in cost or cand < cost[key][0] - 1e-9:
					cost[key] = (cand, j)
	end = min(range(1, n + 1), key=lambda j: (round(cost[(full, j)][0] + d[j][0], 9), -j))
	seq, mask, j = [], full, end
	while j:
		seq.append(j)
		_, prev = cost[(mask, j)]
		mask &= ~(1 << (j - 1))
		j = prev
	seq.reverse()
	return seq


def _nearest_neighbour(d: list[list[float]]) -> list[int]:
	left, seq, here = set(range(1, len(d))), [], 0
	while left:
		here = min(left, key=lambda k: (d[here][k], k))
		seq.append(here)
		left.remove(here)
	return seq


def _two_opt(d: list[list[float]], seq: list[int]) -> list[int]:
	path = [0, *seq, 0]
	improved = True
	while improved:
		improved = False
		for i in range(1, len(path) - 2):
			for j in range(i + 1, len(path) - 1):
				a, b, c, e = path[i - 1], path[i], path[j], path[j + 1]
				if d[a][c] + d[b][e] < d[a][b] + d[c][e] - 1e-9:
					path[i : j + 1] = reversed(path[i : j + 1])
					improved = True
	return path[1:-1]


# ---- routing policies for a single-block store (pack station in the front cross aisle) ----------


def _by_aisle(layout: Layout, bins: Iterable[str]) -> dict[int, list[tuple[float, str]]]:
	aisles: dict[int, list[tuple[float, str]]] = {}
	for b in dict.fromkeys(bins):
		s = layout.spot(b)
		if layout.blocks != 1:
			raise WmsInputError(b, "S-shape and largest-gap routing are defined for a single-block store")
		aisles.setdefault(s.aisle, []).append((s.y, b))
	for picks in aisles.values():
		picks.sort()
	return dict(sorted(aisles.items()))


def _horizontal(layout: Layout, aisles: list[int]) -> float:
	xd = layout.depot_aisle * layout.aisle_pitch
	xl, xr = aisles[0] * layout.aisle_pitch, aisles[-1] * layout.aisle_pitch
	return abs(xd - xl) + (xr - xl) + abs(xr - xd)


def s_shape(layout: Layout, bins: Iterable[str]) -> Tour:
	"""Every aisle with picks is walked end to end, alternating direction; with an odd number of
	such aisles the last one is entered from the front and left the same way."""
	by = _by_aisle(layout, bins)
	if not by:
		return Tour((), 0.0, "s-shape")
	aisles, depth = list(by), layout.block_depth
	order, vertical = [], 0.0
	for i, a in enumerate(aisles):
		picks = by[a]
		last_odd = i == len(aisles) - 1 and len(aisles) % 2 == 1
		if last_odd:
			vertical += 2 * picks[-1][0]
			order += [b for _y, b in picks]
		else:
			vertical += depth
			order += [b for _y, b in (picks if i % 2 == 0 else reversed(picks))]
	return Tour(tuple(order), vertical + _horizontal(layout, aisles), "s-shape")


def largest_gap(layout: Layout, bins: Iterable[str]) -> Tour:
	"""The first and last aisles are walked end to end; every aisle between is entered from the
	front and from the back, each time up to its largest gap between picks (or the aisle end)."""
	by = _by_aisle(layout, bins)
	if not by:
		return Tour((), 0.0, "largest-gap")
	aisles, depth = list(by), layout.block_depth
	if len(aisles) == 1:
		picks = by[aisles[0]]
		return Tour(
			tuple(b for _y, b in picks), 2 * picks[-1][0] + _horizontal(layout, aisles), "largest-gap"
		)
	vertical = 2 * depth
	back_part: list[str] = []
	front_part: list[str] = []
	for a in aisles[1:-1]:
		ys = [0.0] + [y for y, _b in by[a]] + [depth]
		gaps = [ys[i + 1] - ys[i] for i in range(len(ys) - 1)]
		g = max(range(len(gaps)), key=lambda i: (gaps[i], i))  # the gap left unwalked
		vertical += 2 * (depth - gaps[g])
		front_part += [b for _y, b in reversed(by[a][:g])]
		back_part += [b for _y, b in reversed(by[a][g:])]
	first = [b for _y, b in by[aisles[0]]]
	last = [b for _y, b in reversed(by[aisles[-1]])]
	order = first + back_part + last + list(reversed(front_part))
	return Tour(tuple(order), vertical + _horizontal(layout, aisles), "largest-gap")


def near_exact(layout: Layout, bins: Iterable[str], seconds: float = 0.5, seed: int = 1) -> Tour:
	"""A single-picker tour by PyVRP over the walking distances (any number of blocks): the oracle
	for tours too large for the exact search (centimetres inside the solver)."""
	from pyvrp import Model
	from pyvrp.stop import MaxRuntime

	order = list(dict.fromkeys(bins))
	for b in order:
		layout.spot(b)
	if len(order) <= EXACT_LIMIT:
		return spot_tour(layout, order)
	nodes = [DEPOT, *order]
	m = Model()
	locs = [m.add_location(x=i, y=0) for i in range(len(nodes))]
	depot = m.add_depot(locs[0])
	m.add_vehicle_type(num_available=1, start_depot=depot, end_depot=depot)
	for loc in locs[1:]:
		m.add_client(loc)
	for i, a in enumerate(locs):
		for j, b in enumerate(locs):
			m.add_edge(a, b, distance=0 if i == j else int(round(layout.distance(nodes[i], nodes[j]) * 100)))
	best = m.solve(stop=MaxRuntime(seconds), seed=seed, display=False).best
	(route,) = best.routes()
	seq = tuple(order[a.idx] for a in route.schedule() if a.is_client())
	return Tour(seq, tour_length(layout, seq), "near-exact (PyVRP)")


def combined(layout: Layout, bins: Iterable[str]) -> Tour:
	"""Each aisle with picks, left to right, is either walked through (changing cross aisle) or
	entered and left on the side the picker is on — whichever makes the whole walk shortest
	(a small dynamic programme over 'at the front' / 'at the back'); home along the front."""
	by = _by_aisle(layout, bins)
	if not by:
		return Tour((), 0.0, "combined")
	depth, pitch = layout.block_depth, layout.aisle_pitch
	x_prev = layout.depot_aisle * pitch
	# side 0 = front cross aisle, 1 = back; value = (length, order)
	best = {0: (0.0, []), 1: (float("inf"), [])}
	for a, picks in by.items():
		dx = abs(a * pitch - x_prev)
		up = [b for _y, b in picks]
		nxt = {0: (float("inf"), []), 1: (float("inf"), [])}
		for side, (length, order) in best.items():
			if length == float("inf"):
				continue
			here = length + dx
			through = (here + depth, order + (up if side == 0 else up[::-1]))
			back_out = (
				here + (2 * picks[-1][0] if side == 0 else 2 * (depth - picks[0][0])),
				order + (up if side == 0 else up[::-1]),
			)
			for target, cand in ((1 - side, through), (side, back_out)):
				if cand[0] < nxt[target][0] - 1e-12:
					nxt[target] = cand
		best, x_prev = nxt, a * pitch
	home = abs(x_prev - layout.depot_aisle * pitch)
	length, order = best[0]
	# ending at the back: come home through the last aisle
	if best[1][0] + depth < length:
		length, order = best[1][0] + depth, best[1][1]
	return Tour(tuple(order), length + home, "combined")
