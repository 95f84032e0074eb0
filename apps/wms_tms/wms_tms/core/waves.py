"""Waves: open order lines grouped into picker tours that fit one cart.

Seed heuristic with local improvement:

1. Orders are taken by cutoff (earliest first; none = last), then priority (higher first), then
   name. An order larger than the cart is cut into cart-sized parts first — the only case in
   which an order's lines are spread over several waves.
2. A wave starts from the first order left (the seed) and keeps adding the order whose bins add
   the fewest new aisles to the wave (ties: nearer aisles, then the sort order), while the cart
   holds it. Orders of a later cutoff are only added once no earlier one fits.
3. Improvement: an order is moved from one wave to another, or two orders are swapped between
   waves (of the same cutoff), or a whole wave is emptied into the others, whenever the total
   walking distance falls and the carts still hold them; repeated until nothing improves (or
   `max_passes`).
4. Waves are released most urgent first: by the earliest cutoff, then the highest priority of
   the orders in them.

Each wave carries its tour (`pickpath.best_tour`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from wms_tms.core.errors import WmsInputError
from wms_tms.core.layout import Layout
from wms_tms.core.pickpath import Tour, best_tour, combined


@dataclass(frozen=True)
class Line:
	order: str
	bin: str
	item: str
	qty: float
	weight: float = 0.0  # per line, total
	volume: float = 0.0


@dataclass(frozen=True)
class Order:
	name: str
	lines: tuple[Line, ...]
	priority: int = 0
	cutoff: datetime | None = None

	@property
	def load(self) -> tuple[float, float, float]:
		return (
			sum(ln.qty for ln in self.lines),
			sum(ln.weight for ln in self.lines),
			sum(ln.volume for ln in self.lines),
		)


@dataclass(frozen=True)
class Cart:
	units: float = 0.0  # 0 = not limited
	weight: float = 0.0
	volume: float = 0.0

	def holds(self, load: tuple[float, float, float]) -> bool:
		return all(
			cap <= 0 or used <= cap + 1e-9
			for cap, used in zip((self.units, self.weight, self.volume), load, strict=True)
		)


@dataclass
class Wave:
	orders: list[Order] = field(default_factory=list)
	tour: Tour | None = None

	@property
	def load(self) -> tuple[float, float, float]:
		return tuple(sum(o.load[i] for o in self.orders) for i in range(3))

	@property
	def bins(self) -> list[str]:
		return [ln.bin for o in self.orders for ln in o.lines]

	def picking_order(self) -> list[Line]:
		"""The wave's lines in the order the picker reaches their bins on the wave's tour."""
		rank = {b: i for i, b in enumerate(self.tour.bins)} if self.tour else {}
		lines = [ln for o in self.orders for ln in o.lines]
		return [lines[i] for i in sorted(range(len(lines)), key=lambda i: (rank.get(lines[i].bin, 0), i))]


def _check(layout: Layout, orders: Sequence[Order], cart: Cart) -> None:
	if cart.units <= 0 and cart.weight <= 0 and cart.volume <= 0:
		raise WmsInputError("cart", "a cart needs a capacity (units, weight or volume) above zero")
	for o in orders:
		for ln in o.lines:
			if ln.qty <= 0 or ln.weight < 0 or ln.volume < 0:
				raise WmsInputError(
					o.name,
					f"line {ln.item} at {ln.bin}: quantity must be above zero, weight and volume not negative",
				)
			layout.spot(ln.bin)
			if not cart.holds((ln.qty, ln.weight, ln.volume)):
				raise WmsInputError(o.name, f"line {ln.item} alone does not fit the cart")


def _split(order: Order, cart: Cart) -> list[Order]:
	if cart.holds(order.load):
		return [order]
	parts, current = [], []
	for ln in order.lines:
		trial = current + [ln]
		if current and not cart.holds(Order(order.name, tuple(trial)).load):
			parts.append(current)
			current = [ln]
		else:
			current = trial
	parts.append(current)
	return [replace(order, name=f"{order.name}#{i}", lines=tuple(p)) for i, p in enumerate(parts, start=1)]


def _key(o: Order):
	return (o.cutoff is None, o.cutoff or datetime.min, -o.priority, o.name)


def build_waves(
	layout: Layout,
	orders: Iterable[Order],
	cart: Cart,
	tour: Callable[[Layout, list[str]], Tour] = best_tour,
	improve: bool = True,
	max_passes: int = 20,
) -> list[Wave]:
	"""Waves in release order (the wave holding the most urgent order first), each with its tour.

	`tour` walks each finished wave (default: the shortest tour). While grouping and improving, a
	multi-block store is judged by the combined heuristic (fast), a single-block one exactly.
	"""
	orders = list(orders)
	_check(layout, orders, cart)
	judge = tour
	if tour is best_tour and layout.blocks > 1:
		judge = combined
	pool = sorted((part for o in orders for part in _split(o, cart)), key=_key)
	aisles = {o.name: {layout.spot(ln.bin).aisle for ln in o.lines} for o in pool}
	waves: list[Wave] = []
	while pool:
		wave = Wave([pool.pop(0)])
		covered = set(aisles[wave.orders[0].name])
		while True:
			load = wave.load
			fits = [o for o in pool if cart.holds(tuple(a + b for a, b in zip(load, o.load, strict=True)))]
			if not fits:
				break
			first_cutoff = _key(fits[0])[:2]
			same_due = [o for o in fits if _key(o)[:2] == first_cutoff]

			def cost(o: Order, covered: set[int] = covered) -> tuple:
				new = aisles[o.name] - covered
				reach = min((abs(a - c) for a in aisles[o.name] for c in covered), default=0)
				return (len(new), reach, _key(o))

			pick = min(same_due, key=cost)
			wave.orders.append(pick)
			covered |= aisles[pick.name]
			pool.remove(pick)
		waves.append(wave)
	if improve:
		_improve(layout, waves, cart, judge, max_passes)
	waves = [w for w in waves if w.orders]
	for w in waves:
		w.orders.sort(key=_key)
		w.tour = tour(layout, w.bins)
	waves.sort(key=lambda w: _key(w.orders[0]))
	return waves


def _improve(layout: Layout, waves: list[Wave], cart: Cart, tour, max_passes: int) -> None:
	"""Local search over whole orders: move one order to another wave, or swap two orders between
	waves, whenever the total walk falls and both carts still hold their load. Only waves of the
	same cutoff exchange orders. Best improvement per wave pair, passes until none is found."""
	memo: dict[frozenset, float] = {}

	def length(orders: list[Order]) -> float:
		if not orders:
			return 0.0
		key = frozenset(ln.bin for o in orders for ln in o.lines)
		if key not in memo:
			memo[key] = tour(layout, list(key)).length
		return memo[key]

	def due(w: Wave):
		return _key(w.orders[0])[:2] if w.orders else None

	def holds(orders: list[Order]) -> bool:
		return cart.holds(tuple(sum(o.load[i] for o in orders) for i in range(3)))

	for _pass in range(max_passes):
		improved = False
		for i in range(len(waves)):
			for j in range(len(waves)):
				wi, wj = waves[i], waves[j]
				if i == j or not wi.orders or (wj.orders and due(wi) != due(wj)):
					continue
				before = length(wi.orders) + length(wj.orders)
				best = (before - 1e-9, None)
				for o in wi.orders:
					rest_i = [x for x in wi.orders if x is not o]
					moved = wj.orders + [o]
					if holds(moved):
						gain = length(rest_i) + length(moved)
						if gain < best[0]:
							best = (gain, (rest_i, moved))
					if i < j:  # each swap once per pair
						for q in wj.orders:
							new_i = rest_i + [q]
							new_j = [x for x in wj.orders if x is not q] + [o]
							if holds(new_i) and holds(new_j):
								gain = length(new_i) + length(new_j)
								if gain < best[0]:
									best = (gain, (new_i, new_j))
				if best[1] is not None:
					wi.orders, wj.orders = best[1]
					improved = True
		waves[:] = [w for w in waves if w.orders]
		improved = _eliminate(waves, length, due, holds) or improved
		if not improved:
			break


def _eliminate(waves: list[Wave], length, due, holds) -> bool:
	"""Empty a wave into the others: each of its orders goes, largest first, to the wave of the same
	cutoff where it adds the least walking and still fits. Kept only when the total walk falls. A
	single move or swap cannot find this when the first step gains nothing: two single-line orders
	in a wave of their own, each of which would ride along in a fuller wave for free."""
	changed = False
	for w in sorted(waves, key=lambda w: len(w.orders)):
		others = [x for x in waves if x is not w and x.orders and due(x) == due(w)]
		if not w.orders or not others:
			continue
		trial = {id(x): list(x.orders) for x in others}
		for o in sorted(w.orders, key=lambda o: (-o.load[0], -o.load[1], -o.load[2], _key(o))):
			fits = [x for x in others if holds(trial[id(x)] + [o])]
			if not fits:
				break
			to = min(fits, key=lambda x: length(trial[id(x)] + [o]) - length(trial[id(x)]))
			trial[id(to)].append(o)
		else:
			before = length(w.orders) + sum(length(x.orders) for x in others)
			if sum(length(t) for t in trial.values()) < before - 1e-9:
				for x in others:
					x.orders = trial[id(x)]
				w.orders = []
				changed = True
	waves[:] = [w for w in waves if w.orders]
	return changed
