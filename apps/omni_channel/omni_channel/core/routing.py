"""Warehouse routing: the whole order from one warehouse where possible, by region priority,
else split across warehouses in priority order; what nobody has is a backorder with a reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from omni_channel.core.order import Address


@dataclass(frozen=True)
class RegionTable:
	"""Warehouse priority per region: 'CN/浙江省' beats 'CN' beats the default."""

	by_region: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
	default: tuple[str, ...] = ()

	def warehouses_for(self, address: Address) -> tuple[str, ...]:
		return (
			self.by_region.get(f"{address.country_code}/{address.province}")
			or self.by_region.get(address.country_code)
			or self.default
		)


@dataclass(frozen=True)
class Route:
	allocations: dict[str, dict[str, int]]  # warehouse → item → qty
	backorder: dict[str, int]  # item → qty nobody can ship
	reasons: tuple[str, ...]

	@property
	def split(self) -> bool:
		return len(self.allocations) > 1


def route(
	need: Mapping[str, int], stock: Mapping[str, Mapping[str, float]], priority: tuple[str, ...]
) -> Route:
	"""Allocate `need` (item → qty) from `stock` (warehouse → item → free qty) in `priority` order."""
	need = {i: q for i, q in need.items() if q > 0}
	if not need:
		return Route({}, {}, ("nothing to ship",))
	if not priority:
		return Route({}, dict(need), ("no warehouse serves this region",))
	for wh in priority:
		s = stock.get(wh, {})
		if all(s.get(i, 0) >= q for i, q in need.items()):
			return Route({wh: dict(need)}, {}, (f"whole order from {wh}",))
	alloc: dict[str, dict[str, int]] = {}
	left = dict(need)
	for wh in priority:
		s = stock.get(wh, {})
		for item, q in list(left.items()):
			take = min(q, int(max(0, s.get(item, 0))))
			if take:
				alloc.setdefault(wh, {})[item] = take
				left[item] -= take
				if not left[item]:
					del left[item]
		if not left:
			break
	reasons = [f"no single warehouse holds everything; split over {', '.join(alloc) or 'none'}"]
	if left:
		reasons.append("short: " + ", ".join(f"{q} × {i}" for i, q in sorted(left.items())))
	return Route(alloc, left, tuple(reasons))
