"""Exact shortest pick tour in a single-block store: the Ratliff–Rosenthal dynamic programme.

The tour is a sub-multigraph of the store's aisles and two cross aisles in which every pick
lies, every vertex has even degree and everything is connected. Going through the aisles from
left to right, the programme keeps for the front (a) and back (b) cross-aisle vertices of the
current aisle their degree (none / odd / even) and whether they are already joined, plus
whether a finished tour has already been closed to the left. Between aisles each cross aisle
is walked 0, 1 or 2 times; inside an aisle the choices are: not at all, through once, through
twice, in from both ends leaving the largest gap, in from the front only, in from the back
only. The pack station is a pick at the front of its (possibly empty) aisle position.

The chosen multigraph is walked as an Euler circuit from the pack station; the picks in the
order first reached give the tour, whose length equals the programme's optimum.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from wms_tms.core.errors import WmsInputError
from wms_tms.core.layout import Layout
from wms_tms.core.pickpath import Tour

INF = float("inf")


def _norm(pa, pb, ca, cb):
	"""Canonical labels: the component of a is 0 when present; b's is 0 if joined to a, else 1."""
	if pa == 0:
		ca = None
	if pb == 0:
		cb = None
	if ca is None and cb is None:
		return (pa, pb, None, None)
	if ca is None:
		return (pa, pb, None, 0)
	if cb is None:
		return (pa, pb, 0, None)
	return (pa, pb, 0, 0 if ca == cb else 1)


def _add(p, k):
	"""Degree class after adding k edge ends: 0 none, 1 odd, 2 even and positive."""
	if k == 0:
		return p
	d = (1 if p == 1 else 0) + k
	return 1 if d % 2 else 2


def optimal(layout: Layout, bins: Iterable[str]) -> Tour:
	order = list(dict.fromkeys(bins))
	if layout.blocks != 1:
		raise WmsInputError("layout", "the Ratliff–Rosenthal programme is for single-block stores")
	if not order:
		return Tour((), 0.0, "exact (Ratliff–Rosenthal)")
	depth = layout.block_depth
	picks: dict[float, list[tuple[float, str]]] = defaultdict(list)
	for b in order:
		s = layout.spot(b)
		picks[s.x].append((s.y, b))
	xd = layout.depot_aisle * layout.aisle_pitch
	picks[xd].append((0.0, "__depot__"))
	xs = sorted(picks)
	for x in xs:
		picks[x].sort()

	# state: (pa, pb, ca, cb, closed) → (cost, back-pointer)
	start = (0, 0, None, None, False)
	layer = {start: (0.0, None)}
	history = []
	for k, x in enumerate(xs):
		if k:
			layer = _horizontal(layer, xs[k] - xs[k - 1], history)
		layer = _vertical(layer, picks[x], depth, history)
	best, final = INF, None
	for st, (cost, _bp) in layer.items():
		pa, pb, ca, cb, closed = st
		done = closed or (pa in (0, 2) and pb in (0, 2) and (pa == 0 or pb == 0 or cb == 0) and (pa or pb))
		if done and cost < best:
			best, final = cost, st
	if final is None:
		raise WmsInputError("tour", "no tour found")  # cannot happen for a single block
	choices = _trace(history, final)
	seq = _walk(xs, picks, depth, choices)
	return Tour(tuple(b for b in seq if b != "__depot__"), best, "exact (Ratliff–Rosenthal)")


def _horizontal(layer, dx, history):
	out = {}
	for st, (cost, _bp) in layer.items():
		pa, pb, ca, cb, closed = st
		for mf in (0, 1, 2):
			for mb in (0, 1, 2):
				if closed:
					if mf or mb:
						continue
					key = (0, 0, None, None, True)
				else:
					if (pa == 1) != (mf == 1) or (pb == 1) != (mb == 1):
						continue  # a vertex left behind must end even
					# components reaching the next aisle
					na = ca if pa else ("new_a" if mf else None)
					nb = cb if pb else ("new_b" if mb else None)
					comps = {c for c in (ca, cb) if c is not None}
					going = {c for c, m in ((na, mf), (nb, mb)) if m and c is not None}
					lost = comps - going
					if lost:
						# a component that stops here must be the whole tour
						if len(comps) > 1 or mf or mb:
							continue
						key = (0, 0, None, None, True)
					else:
						qa = na if mf else None
						qb = nb if mb else None
						key = (*_norm(_add(0, mf), _add(0, mb), qa, qb), False)
				c = cost + dx * (mf + mb)
				if key not in out or c < out[key][0] - 1e-12:
					out[key] = (c, (st, ("h", mf, mb)))
	history.append(out)
	return out


def _vertical(layer, aisle, depth, history):
	ys = [y for y, _b in aisle]
	options = []
	if ys:
		gaps = [ys[0]] + [ys[i + 1] - ys[i] for i in range(len(ys) - 1)] + [depth - ys[-1]]
		g = max(range(len(gaps)), key=lambda i: gaps[i])
		options = [
			("once", 1, 1, True, depth),
			("twice", 2, 2, True, 2 * depth),
			("front", 2, 0, False, 2 * ys[-1]),
			("back", 0, 2, False, 2 * (depth - ys[0])),
		]
		if 0 < g < len(ys):
			options.append(("gap", 2, 2, False, 2 * (depth - gaps[g])))
	else:
		options = [("none", 0, 0, False, 0.0), ("once", 1, 1, True, depth), ("twice", 2, 2, True, 2 * depth)]
	out = {}
	for st, (cost, _bp) in layer.items():
		pa, pb, ca, cb, closed = st
		for name, ka, kb, joins, c_opt in options:
			if closed:
				if name != "none":
					continue
				key = st
			else:
				qa = ca if pa else ("va" if ka else None)
				qb = cb if pb else ("vb" if kb else None)
				if joins:  # a through-walk puts a and b (and whatever they hang on) in one component
					qb = qa
				key = (*_norm(_add(pa, ka), _add(pb, kb), qa, qb), False)
			c = cost + c_opt
			if key not in out or c < out[key][0] - 1e-12:
				out[key] = (c, (st, ("v", name)))
	history.append(out)
	return out


def _trace(history, final):
	choices = []
	st = final
	for layer in reversed(history):
		_cost, bp = layer[st]
		if bp is None:
			break
		prev, choice = bp
		choices.append(choice)
		st = prev
	choices.reverse()
	return choices


def _walk(xs, picks, depth, choices):
	"""The chosen multigraph, walked as an Euler circuit from the pack station."""
	adj: dict[object, list[object]] = defaultdict(list)

	def edge(u, v, times=1):
		for _ in range(times):
			adj[u].append(v)
			adj[v].append(u)

	def chain(nodes, times):
		for u, v in zip(nodes, nodes[1:], strict=False):
			edge(u, v, times)

	i = 0
	for k, x in enumerate(xs):
		if k:
			_h, mf, mb = choices[i]
			i += 1
			edge(("a", xs[k - 1]), ("a", x), mf)
			edge(("b", xs[k - 1]), ("b", x), mb)
		_v, name = choices[i]
		i += 1
		pts = [("p", x, y, b) for y, b in picks[x]]
		a, b = ("a", x), ("b", x)
		if name == "once":
			chain([a, *pts, b], 1)
		elif name == "twice":
			chain([a, *pts, b], 2)
		elif name == "front":
			chain([a, *pts], 2)
		elif name == "back":
			chain([b, *reversed(pts)], 2)
		elif name == "gap":
			ys = [y for y, _b in picks[x]]
			gaps = [ys[0]] + [ys[j + 1] - ys[j] for j in range(len(ys) - 1)] + [depth - ys[-1]]
			g = max(range(len(gaps)), key=lambda j: gaps[j])
			chain([a, *pts[:g]], 2)
			chain([b, *reversed(pts[g:])], 2)
	start = next(n for n in adj if n[0] == "p" and n[3] == "__depot__")
	# Hierholzer
	stack, circuit = [start], []
	local = {u: list(vs) for u, vs in adj.items()}
	while stack:
		u = stack[-1]
		if local[u]:
			v = local[u].pop()
			local[v].remove(u)
			stack.append(v)
		else:
			circuit.append(stack.pop())
	seen, seq = set(), []
	for n in reversed(circuit):
		if n[0] == "p" and n[3] not in seen:
			seen.add(n[3])
			seq.append(n[3])
	return seq
