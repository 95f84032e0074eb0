"""Stock to channels: what each shop may offer, and which quantities changed since the last push.

Per shop and item: available = Σ over the shop's warehouses of (actual − reserved − safety
stock), floored to whole units and never below zero; offered = ⌊available × ratio⌋ − buffer,
never below zero. The ratio is the shop's, or the item's override for that shop. Ratios are
exact fractions (a Decimal such as 0.3 is 3/10), so rounding can never add a unit.

No oversell: shops that draw on the same warehouses form a group; when the group's ratios sum
to ≤ 1 for every item, Σ offered ≤ available. `StockPlanner` refuses a group that breaks it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction


def _fraction(r) -> tuple[int, int]:
	f = Fraction(Decimal(str(r))) if not isinstance(r, Fraction) else r
	if f < 0:
		raise ValueError(f"a stock ratio cannot be negative ({r})")
	return f.numerator, f.denominator


@dataclass(frozen=True)
class ShopPolicy:
	shop: str
	warehouses: tuple[str, ...]
	ratio: Decimal = Decimal(1)
	item_ratios: Mapping[str, Decimal] = field(default_factory=dict)  # item → ratio for this shop
	buffer: int = 0  # units held back on this shop for every item
	group: str = ""  # shops drawing on the same stock pool; "" = the shop alone


@dataclass(frozen=True, slots=True)
class Level:
	actual: float
	reserved: float = 0.0
	safety: float = 0.0

	@property
	def free(self) -> float:
		return self.actual - self.reserved - self.safety


@dataclass(frozen=True, slots=True)
class Push:
	shop: str
	item: str
	qty: int
	previous: int | None  # what the shop last got from us (None = never pushed)


def available(levels: Mapping[str, Level], warehouses: Iterable[str]) -> int:
	"""Whole units free over `warehouses`: Σ (actual − reserved − safety), floored, never below 0.
	Floored, not rounded: 10.6 free is 10 to offer (rounding up would sell a unit that is not there)."""
	total = 0.0
	for w in warehouses:
		lv = levels.get(w)
		if lv is not None:
			total += lv.actual - lv.reserved - lv.safety
	return max(0, math.floor(total + 1e-9))


def offered(free: int, ratio: tuple[int, int], buffer: int) -> int:
	"""The one offered-quantity rule: ⌊free × ratio⌋ − buffer, never below zero."""
	num, den = ratio
	return max(0, free * num // den - buffer)


class StockPlanner:
	def __init__(self, policies: Iterable[ShopPolicy]):
		self.policies = list(policies)
		self._ratio = {p.shop: _fraction(p.ratio) for p in self.policies}
		self._item_ratio = {
			p.shop: {i: _fraction(r) for i, r in p.item_ratios.items()} for p in self.policies
		}
		self._check_groups()

	def _check_groups(self) -> None:
		groups: dict[str, list[ShopPolicy]] = {}
		for p in self.policies:
			if p.group:
				groups.setdefault(p.group, []).append(p)
		for g, shops in groups.items():
			whs = {frozenset(p.warehouses) for p in shops}
			if len(whs) > 1:
				raise ValueError(f"shop group {g!r}: its shops must draw on the same warehouses")
			items = {i for p in shops for i in p.item_ratios}
			for item in [None, *sorted(items)]:
				total = sum(Fraction(*self.ratio_of(p.shop, item)) for p in shops)
				if total > 1:
					what = f"item {item}" if item else "the shop ratios"
					raise ValueError(
						f"shop group {g!r}: ratios for {what} sum to {float(total):.4g} > 1 — that would oversell"
					)

	def ratio_of(self, shop: str, item: str | None) -> tuple[int, int]:
		if item is not None:
			r = self._item_ratio[shop].get(item)
			if r is not None:
				return r
		return self._ratio[shop]

	def offer(self, item: str, levels: Mapping[str, Level]) -> dict[str, int]:
		"""shop → quantity to offer for one item."""
		return {
			p.shop: offered(available(levels, p.warehouses), self.ratio_of(p.shop, item), p.buffer)
			for p in self.policies
		}

	def plan(
		self,
		stock: Mapping[str, Mapping[str, Level]],
		last_pushed: Mapping[tuple[str, str], int],
		items: Iterable[str] | None = None,
	) -> list[Push]:
		"""Pushes for `items` (default: every item in `stock`) whose quantity differs from the last push.

		An item in `items` but absent from `stock` has no stock anywhere: it is offered as 0.
		"""
		pushes = []
		empty: Mapping[str, Level] = {}
		for item in stock if items is None else items:
			levels = stock.get(item, empty)
			for shop, qty in self.offer(item, levels).items():
				prev = last_pushed.get((shop, item))
				if prev != qty:
					pushes.append(Push(shop, item, qty, prev))
		return pushes


@dataclass(frozen=True)
class Shortfall:
	item: str
	wanted: Decimal
	free: Decimal


def shortfalls(wanted: Iterable[tuple[str, Decimal]], free: Mapping[str, float | Decimal]) -> list[Shortfall]:
	"""The items an order wants more of than is free (actual − reserved, summed over the shop's
	bins), sorted by item. Lines of one item are added up first: two lines of 3 against 5 free are
	short. An item with no bin has nothing free."""
	total: dict[str, Decimal] = {}
	for item, qty in wanted:
		total[item] = total.get(item, Decimal(0)) + Decimal(str(qty))
	out = []
	for item in sorted(total):
		have = Decimal(str(free.get(item, 0)))
		if total[item] > have:
			out.append(Shortfall(item, total[item], max(have, Decimal(0))))
	return out
