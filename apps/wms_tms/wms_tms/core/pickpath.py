"""The order in which a picker visits bins: from the pack station, through every bin, and back.

`best_tour` is exact (Held–Karp over the distinct pick spots) up to EXACT_LIMIT spots, and a
nearest-neighbour tour improved by 2-opt beyond. Two bins on opposite sides or levels of the
same position are one spot. Among equally short tours the one that starts nearer the pack
station's left is taken, so the answer is deterministic.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from wms_tms.core.layout import DEPOT, Layout

EXACT_LIMIT = 12


@dataclass(frozen=True)
class Tour:
	bins: tuple[str, ...]  # in walking order, each once
	length: float  # metres, pack station → bins → pack station
	method: str


def best_tour(layout: Layout, bins: Iterable[str]) -> Tour:
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
