"""A round of waves for the store's carts, as the warehouse lead plans it.

`propose` takes the store's open orders, the round's cutoff and its carts (how many, and what one
holds), and answers the waves to pick now plus every order left out with the reason:

- placed after the cutoff → the next round;
- larger than one cart (units, weight or volume) → it fits no cart (it is never cut across waves:
  each wave becomes one Pick List per order set, so an order lives in one wave);
- in a wave beyond the number of carts → waits for a cart.

The waves are `waves.build_waves` (the engine: least walking under the cart's capacity, most urgent
first). `evaluate` measures any grouping the lead made by hand — each wave's load, whether the cart
holds it, its walk, and the walk of picking its orders one by one — so the page shows the effect of
moving an order before it is accepted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from wms_tms.core.errors import WmsInputError
from wms_tms.core.layout import Layout
from wms_tms.core.pickpath import Tour, best_tour
from wms_tms.core.waves import Cart, Order, Wave, build_waves

AFTER_CUTOFF = "after_cutoff"
TOO_BIG = "too_big"
NO_CART = "no_cart"


@dataclass(frozen=True)
class Left:
	order: str
	reason: str  # AFTER_CUTOFF, TOO_BIG, NO_CART, or the adapter's own (stock, layout)
	detail: str


@dataclass(frozen=True)
class Measured:
	orders: tuple[str, ...]
	units: float
	weight: float
	volume: float
	over: tuple[str, ...]  # what the cart cannot hold: "units", "weight", "volume"
	distance: float  # the wave's tour, metres
	one_by_one: float  # each order picked on its own tour, summed
	bins: tuple[str, ...]  # in walking order


@dataclass(frozen=True)
class Proposal:
	waves: list[Wave]
	left: list[Left]


def _fmt(x: float) -> str:
	return f"{x:g}"


def _too_big(order: Order, cart: Cart) -> str | None:
	units, weight, volume = order.load
	over = [
		f"{_fmt(used)} {unit} (a cart holds {_fmt(cap)})"
		for used, cap, unit in (
			(units, cart.units, "units"),
			(weight, cart.weight, "kg"),
			(volume, cart.volume, "m³"),
		)
		if cap > 0 and used > cap + 1e-9
	]
	return ", ".join(over) if over else None


def propose(
	layout: Layout,
	orders: Sequence[Order],
	cart: Cart,
	carts: int,
	cutoff: datetime | None = None,
	placed: dict[str, datetime] | None = None,
	tour: Callable[[Layout, list[str]], Tour] = best_tour,
) -> Proposal:
	"""Waves for `carts` carts from `orders` (placed: order name → when it was placed)."""
	if carts < 1:
		raise WmsInputError("carts", "at least one cart is needed to plan a round")
	placed = placed or {}
	left: list[Left] = []
	pool: list[Order] = []
	for o in orders:
		when = placed.get(o.name)
		if cutoff is not None and when is not None and when > cutoff:
			left.append(
				Left(
					o.name,
					AFTER_CUTOFF,
					f"placed {when:%Y-%m-%d %H:%M}, after the cutoff {cutoff:%Y-%m-%d %H:%M}",
				)
			)
			continue
		big = _too_big(o, cart)
		if big:
			left.append(Left(o.name, TOO_BIG, big))
			continue
		pool.append(o)
	waves = build_waves(layout, pool, cart, tour=tour) if pool else []
	for w in waves[carts:]:
		for o in w.orders:
			left.append(Left(o.name, NO_CART, f"the {carts} cart(s) of this round are full"))
	return Proposal(waves[:carts], left)


def evaluate(
	layout: Layout,
	groups: Sequence[Sequence[Order]],
	cart: Cart,
	tour: Callable[[Layout, list[str]], Tour] = best_tour,
) -> list[Measured]:
	"""Each group of orders as one wave: its load against the cart, its walk and the one-by-one walk."""
	out = []
	for group in groups:
		wave = Wave(list(group))
		units, weight, volume = wave.load
		over = tuple(
			name
			for name, used, cap in (
				("units", units, cart.units),
				("weight", weight, cart.weight),
				("volume", volume, cart.volume),
			)
			if cap > 0 and used > cap + 1e-9
		)
		walk = tour(layout, wave.bins) if group else Tour((), 0.0, "empty")
		alone = sum(tour(layout, [ln.bin for ln in o.lines]).length for o in group)
		out.append(
			Measured(
				orders=tuple(o.name for o in group),
				units=units,
				weight=weight,
				volume=volume,
				over=over,
				distance=walk.length,
				one_by_one=alone,
				bins=walk.bins,
			)
		)
	return out
