"""Waves: open order lines grouped into picker tours that fit one cart.

Seed heuristic with local improvement:

1. Orders are taken by cutoff (earliest first; none = last), then priority (higher first), then
   name. An order larger than the cart is cut into cart-sized parts first — the only case in
   which an order's lines are spread over several waves.
2. A wave starts from the first order left (the seed) and keeps adding the order whose bins add
   the fewest new aisles to the wave (ties: nearer aisles, then the sort order), while the cart
   holds it. Orders of a later cutoff are only added once no earlier one fits.
3. Improvement: an order is moved from one wave to another (of the same cutoff) whenever the
   total walking distance falls and the carts still hold them; repeated until nothing improves.

Each wave carries its tour (`pickpath.best_tour`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from wms_tms.core.errors import WmsInputError
from wms_tms.core.layout import Layout
from wms_tms.core.pickpath import Tour, best_tour


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
) -> list[Wave]:
	orders = list(orders)
	_check(layout, orders, cart)
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
	for w in waves:
		w.tour = tour(layout, w.bins)
	if improve:
		_improve(layout, waves, cart, tour)
	return [w for w in waves if w.orders]


def _improve(layout: Layout, waves: list[Wave], cart: Cart, tour) -> None:
	def length(orders: list[Order]) -> float:
		return tour(layout, [ln.bin for o in orders for ln in o.lines]).length if orders else 0.0

	def same_due(a: Order, b_orders: list[Order]) -> bool:
		return not b_orders or all(_key(a)[:2] == _key(b)[:2] for b in b_orders)

	improved = True
	while improved:
		improved = False
		for i, wi in enumerate(waves):
			for j, wj in enumerate(waves):
				if i == j:
					continue
				for o in list(wi.orders):
					# move o from wave i to wave j
					if not same_due(o, wj.orders):
						continue
					new_j = wj.orders + [o]
					if not cart.holds(Wave(new_j).load):
						continue
					new_i = [x for x in wi.orders if x is not o]
					before = wi.tour.length + wj.tour.length
					li, lj = length(new_i), length(new_j)
					if li + lj < before - 1e-9:
						wi.orders, wj.orders = new_i, new_j
						wi.tour, wj.tour = tour(layout, wi.bins), tour(layout, wj.bins)
						improved = True
						break
				if improved:
					break
			if improved:
				break
		waves[:] = [w for w in waves if w.orders]
