"""The order in which a picker visits bins: from the pack station, through every bin, and back.

Policies (`route(layout, bins, method)`):

* ``optimal`` (`best_tour`): exact in a single-block store of any size — the Ratliff–Rosenthal
  programme (`rr.py`). With several blocks: exact (Held–Karp over the distinct pick spots) up
  to EXACT_LIMIT spots; beyond that near-exact — PyVRP's tour (deterministic: a fixed seed,
  stopped after a number of iterations without improvement), never longer than the combined
  heuristic or a 2-opt tour, which are computed too.
* ``s-shape``, ``largest-gap``, ``combined``: the classic heuristics; in a store of several
  blocks their block-by-block forms (Roodbergen & de Koster 2001).

Two bins on opposite sides or levels of the same position are one spot and picked together.
`sequence_lines` puts pick lines (bin, item, qty) into walking order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from wms_tms.core.errors import WmsInputError
from wms_tms.core.layout import DEPOT, Layout

EXACT_LIMIT = 12
NEAR_EXACT_PATIENCE = 300  # PyVRP iterations without improvement before it stops
INF = float("inf")


@dataclass(frozen=True)
class Tour:
	bins: tuple[str, ...]  # in walking order, each once
	length: float  # metres, pack station → bins → pack station
	method: str


def best_tour(layout: Layout, bins: Iterable[str]) -> Tour:
	"""The shortest tour (exact for one block; exact or near-exact for several, see above)."""
	if layout.blocks == 1:
		from wms_tms.core.rr import optimal  # rr builds on this module's Tour

		return optimal(layout, bins)
	bins = list(bins)
	tour = spot_tour(layout, bins)
	if tour.method == "exact":
		return tour
	candidates = [tour, combined(layout, bins), near_exact(layout, bins, seconds=5.0)]
	return min(candidates, key=lambda t: t.length)


def _spots(layout: Layout, bins: Iterable[str]):
	"""Distinct pick spots: (sorted spot keys, bins at each spot, distance matrix with the pack station as 0)."""
	spots: dict[tuple, list[str]] = {}
	for b in dict.fromkeys(bins):
		s = layout.spot(b)  # unknown bins are refused with their name
		spots.setdefault((s.x, s.y), []).append(b)
	keys = sorted(spots)
	nodes = [DEPOT, *(spots[k][0] for k in keys)]
	d = [[layout.distance(a, b) for b in nodes] for a in nodes]
	return keys, spots, d


def _tour_of(keys, spots, d, seq: list[int], method: str) -> Tour:
	return Tour(tuple(b for i in seq for b in sorted(spots[keys[i - 1]])), _length(d, seq), method)


def spot_tour(layout: Layout, bins: Iterable[str]) -> Tour:
	"""Held–Karp (exact) up to EXACT_LIMIT distinct spots, nearest neighbour + 2-opt beyond."""
	keys, spots, d = _spots(layout, bins)
	if not keys:
		return Tour((), 0.0, "empty")
	if len(keys) <= EXACT_LIMIT:
		return _tour_of(keys, spots, d, _held_karp(d), "exact")
	return _tour_of(keys, spots, d, _two_opt(d, _nearest_neighbour(d)), "2-opt")


def near_exact(
	layout: Layout,
	bins: Iterable[str],
	seconds: float = 0.5,
	seed: int = 1,
	patience: int | None = NEAR_EXACT_PATIENCE,
) -> Tour:
	"""A single-picker tour by PyVRP over the walking distances (any number of blocks): the oracle
	for tours too large for Held–Karp. Stops after `patience` iterations without improvement
	(deterministic) or after `seconds`, whichever comes first; centimetres inside the solver."""
	from pyvrp import Model
	from pyvrp.stop import MaxRuntime, MultipleCriteria, NoImprovement

	keys, spots, d = _spots(layout, bins)
	if len(keys) <= EXACT_LIMIT:
		return spot_tour(layout, bins)
	m = Model()
	locs = [m.add_location(x=i, y=0) for i in range(len(d))]
	depot = m.add_depot(locs[0])
	m.add_vehicle_type(num_available=1, start_depot=depot, end_depot=depot)
	for loc in locs[1:]:
		m.add_client(loc)
	for i, a in enumerate(locs):
		for j, b in enumerate(locs):
			m.add_edge(a, b, distance=0 if i == j else int(round(d[i][j] * 100)))
	stop = MaxRuntime(seconds)
	if patience:
		stop = MultipleCriteria([NoImprovement(patience), stop])
	best = m.solve(stop=stop, seed=seed, display=False).best
	(only,) = best.routes()
	seq = [a.idx + 1 for a in only.schedule() if a.is_client()]
	return _tour_of(keys, spots, d, seq, "near-exact (PyVRP)")


def route(layout: Layout, bins: Iterable[str], method: str = "optimal") -> Tour:
	"""A pick tour by the named policy: optimal, s-shape, largest-gap or combined."""
	policy = POLICIES.get(method)
	if policy is None:
		raise WmsInputError("method", f"unknown routing policy {method!r}; use one of {', '.join(POLICIES)}")
	return policy(layout, bins)


@dataclass(frozen=True)
class PickLine:
	bin: str
	item: str
	qty: float
	ref: str = ""  # the caller's row name (Pick List Item …)


@dataclass(frozen=True)
class PickSequence:
	lines: tuple  # the given lines in walking order (lines at one bin keep their given order)
	tour: Tour


def sequence_lines(layout: Layout, lines: Sequence, method: str = "optimal") -> PickSequence:
	"""Pick lines (anything with .bin, .item and .qty) in the order the picker reaches their bins."""
	for ln in lines:
		label = f"{getattr(ln, 'ref', '') or ln.item} at {ln.bin}"
		if not ln.qty > 0:
			raise WmsInputError(label, f"quantity must be above zero, not {ln.qty!r}")
		if ln.bin not in layout.bins:
			raise WmsInputError(ln.bin, f"bin of {label} is not in the store's layout")
	tour = route(layout, [ln.bin for ln in lines], method)
	rank = {b: i for i, b in enumerate(tour.bins)}
	ordered = sorted(range(len(lines)), key=lambda i: (rank[lines[i].bin], i))
	return PickSequence(tuple(lines[i] for i in ordered), tour)


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
	if layout.blocks > 1:
		return _multi_block(layout, bins, "s-shape")
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
	if layout.blocks > 1:
		return _multi_block(layout, bins, "largest-gap")
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


def combined(layout: Layout, bins: Iterable[str]) -> Tour:
	"""Each aisle with picks, left to right, is either walked through (changing cross aisle) or
	entered and left on the side the picker is on — whichever makes the whole walk shortest
	(a small dynamic programme over 'at the front' / 'at the back'); home along the front."""
	if layout.blocks > 1:
		return _multi_block(layout, bins, "combined")
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


# ---- routing policies in a store of several blocks (Roodbergen–de Koster style) -----------------
#
# The picker walks from the pack station along the front cross aisle to the leftmost (or the
# rightmost) aisle holding picks, up that aisle to the back of the farthest block with picks
# (picking everything in it on the way), then block by block towards the front: each block is
# entered from its back cross aisle and left by its front cross aisle, its sub-aisles with picks
# handled by the policy's rule, sweeping left-to-right or right-to-left. A small dynamic programme
# over (block, where the picker stands) chooses the first aisle and each block's sweep.


def _by_block(layout: Layout, bins: Iterable[str]) -> dict[int, dict[int, list[tuple[float, str]]]]:
	"""block → aisle → [(depth from the block's front cross aisle, bin)], shallow first."""
	out: dict[int, dict[int, list[tuple[float, str]]]] = {}
	depth = layout.block_depth
	for b in dict.fromkeys(bins):
		s = layout.spot(b)
		out.setdefault(s.block, {}).setdefault(s.aisle, []).append((s.y - s.block * depth, b))
	for aisles in out.values():
		for picks in aisles.values():
			picks.sort()
	return out


def _block_s_shape(seq, picks, xs, x0, depth):
	"""From the back at x0: each sub-aisle walked through, alternating; with an even number the
	last one is entered from the front and left the same way, so the picker ends at the front."""
	cost = abs(x0 - xs[0]) + sum(abs(a - b) for a, b in zip(xs, xs[1:], strict=False))
	order: list[str] = []
	for i, a in enumerate(seq):
		p = picks[a]
		if len(seq) % 2 == 0 and i == len(seq) - 1:
			cost += 2 * p[-1][0]
			order += [b for _y, b in p]
		else:
			cost += depth
			order += [b for _y, b in (reversed(p) if i % 2 == 0 else p)]
	return cost, order, xs[-1]


def _split_at_largest_gap(p, depth):
	ys = [0.0] + [y for y, _b in p] + [depth]
	gaps = [ys[i + 1] - ys[i] for i in range(len(ys) - 1)]
	g = max(range(len(gaps)), key=lambda i: (gaps[i], i))
	return p[:g], p[g:]  # reached from the front, reached from the back


def _block_largest_gap(seq, picks, xs, x0, depth):
	"""From the back at x0: along the back cross aisle every sub-aisle but the last is entered up to
	its largest gap, the last is walked through, then along the front cross aisle the rest."""
	cost, order = 0.0, []
	parts = {a: _split_at_largest_gap(picks[a], depth) for a in seq[:-1]}
	back = [(x, a) for x, a in zip(xs, seq, strict=False) if a in parts and parts[a][1]]
	turn = back[0][0] if back else xs[-1]  # the first sub-aisle entered from the back
	cost += abs(x0 - turn) + abs(xs[-1] - turn)
	for _x, a in back:
		cost += 2 * (depth - parts[a][1][0][0])
		order += [b for _y, b in reversed(parts[a][1])]
	cost += depth
	order += [b for _y, b in reversed(picks[seq[-1]])]
	end = xs[-1]
	for x, a in reversed(list(zip(xs[:-1], seq[:-1], strict=True))):
		if parts[a][0]:
			cost += 2 * parts[a][0][-1][0] + abs(end - x)
			order += [b for _y, b in parts[a][0]]
			end = x
	return cost, order, end


def _block_combined(seq, picks, xs, x0, depth):
	"""From the back at x0: each sub-aisle walked through or entered and left on the side the
	picker is on, whichever is shortest over the whole block (a programme over back / front)."""
	best = {1: (abs(x0 - xs[0]), []), 0: (INF, [])}  # 1 = at the back, 0 = at the front
	for k, a in enumerate(seq):
		p = picks[a]
		step = abs(xs[k] - xs[k - 1]) if k else 0.0
		up, down = [b for _y, b in p], [b for _y, b in reversed(p)]
		nxt = {1: (INF, []), 0: (INF, [])}
		for side, (c, o) in best.items():
			if c == INF:
				continue
			c += step
			through = (c + depth, o + (down if side else up))
			stay = (c + (2 * (depth - p[0][0]) if side else 2 * p[-1][0]), o + (down if side else up))
			for target, cand in ((1 - side, through), (side, stay)):
				if cand[0] < nxt[target][0] - 1e-12:
					nxt[target] = cand
		best = nxt
	front, back = best[0], best[1]
	if back[0] + depth < front[0] - 1e-12:
		front = (back[0] + depth, back[1])  # down the last sub-aisle once more
	return front[0], front[1], xs[-1]


_BLOCK_RULES = {"s-shape": _block_s_shape, "largest-gap": _block_largest_gap, "combined": _block_combined}


def _multi_block(layout: Layout, bins: Iterable[str], rule: str) -> Tour:
	groups = _by_block(layout, bins)
	if not groups:
		return Tour((), 0.0, rule)
	aisles = sorted({a for g in groups.values() for a in g})
	tours = [
		_multi_block_from(layout, groups, first, rule) for first in dict.fromkeys((aisles[0], aisles[-1]))
	]
	return min(tours, key=lambda t: t.length)


def _multi_block_from(layout: Layout, groups, first: int, rule: str) -> Tour:
	depth, pitch = layout.block_depth, layout.aisle_pitch
	xd = layout.depot_aisle * pitch
	far = max(groups)
	order = [b for blk in range(far + 1) for _y, b in groups.get(blk, {}).get(first, [])]
	# where the picker stands on the back cross aisle of the block → (length so far, bins so far)
	states: dict[float, tuple[float, list[str]]] = {
		first * pitch: (abs(xd - first * pitch) + (far + 1) * depth, order)
	}
	for blk in range(far, -1, -1):
		left = {a: p for a, p in groups.get(blk, {}).items() if a != first}
		nxt: dict[float, tuple[float, list[str]]] = {}
		for x0, (c, o) in states.items():
			if not left:
				options = [(depth, [], x0)]  # straight down the aisle the picker is in
			else:
				options = [
					_BLOCK_RULES[rule](seq, left, [a * pitch for a in seq], x0, depth)
					for seq in (sorted(left), sorted(left, reverse=True))
				]
			for dc, more, xe in options:
				if xe not in nxt or c + dc < nxt[xe][0] - 1e-12:
					nxt[xe] = (c + dc, o + more)
		states = nxt
	length, order = min(((c + abs(x - xd), o) for x, (c, o) in states.items()), key=lambda t: t[0])
	return Tour(tuple(order), length, rule)


POLICIES = {"optimal": best_tour, "s-shape": s_shape, "largest-gap": largest_gap, "combined": combined}
