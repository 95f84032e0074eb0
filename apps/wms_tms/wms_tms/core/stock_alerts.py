"""Stock alerts per bin and per warehouse, with a replenishment suggestion.

Each location (a bin, or a store summed over its bins) is judged with the rules of
`inventory.alerts`: below safety stock (order up to safety stock plus `cover_days` of demand, at
least the reorder quantity when one is set), slow-moving (stock but no issue for `slow_days`),
overstock (more than `overstock_days` of demand on hand). A store's figures are the sums of its
bins' (its last issue the latest of theirs); its own safety stock is its own, not the bins' sum.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from wms_tms.core import inventory
from wms_tms.core.errors import WmsInputError

BELOW_SAFETY, SLOW_MOVING, OVERSTOCK = "below_safety", "slow_moving", "overstock"
KINDS = (BELOW_SAFETY, SLOW_MOVING, OVERSTOCK)


@dataclass(frozen=True)
class LocationStock:
	item: str
	location: str  # a bin (leaf Warehouse) or a store (group Warehouse)
	level: str  # "bin" | "warehouse"
	on_hand: float
	issued_per_year: float = 0.0  # quantity issued over the last 365 days
	last_issue: date | None = None
	safety_stock: float = 0.0
	reorder_qty: float = 0.0  # the least to order when below safety stock (0: no minimum)


@dataclass(frozen=True)
class LocationAlert:
	item: str
	location: str
	level: str
	kind: str  # one of KINDS
	on_hand: float
	safety_stock: float
	days_of_cover: float | None  # on hand ÷ daily demand; None when nothing is issued
	days_since_issue: int | None  # None: never issued
	suggested_qty: float = 0.0  # to order (below safety stock only)


def store_levels(
	bins: Iterable[LocationStock], store_of: Mapping[str, str], safety: Mapping[tuple[str, str], tuple]
) -> list[LocationStock]:
	"""Per (store, item): the bins' stock, issues and latest issue summed up; safety stock and reorder
	quantity from `safety[(store, item)] = (safety_stock, reorder_qty)` (0 when absent)."""
	totals: dict[tuple[str, str], list] = {}
	for b in bins:
		if b.level != "bin":
			raise WmsInputError(b.location, "only bins are summed into their store")
		store = store_of.get(b.location)
		if not store:
			continue
		t = totals.setdefault((store, b.item), [0.0, 0.0, None])
		t[0] += b.on_hand
		t[1] += b.issued_per_year
		if b.last_issue and (t[2] is None or b.last_issue > t[2]):
			t[2] = b.last_issue
	for key in safety:
		totals.setdefault(key, [0.0, 0.0, None])
	out = []
	for (store, item), (qty, issued, last) in sorted(totals.items()):
		ss, rq = safety.get((store, item), (0.0, 0.0))
		out.append(LocationStock(item, store, "warehouse", qty, issued, last, ss or 0.0, rq or 0.0))
	return out


def location_alerts(
	stock: Iterable[LocationStock],
	as_of: date,
	cover_days: int = 30,
	slow_days: int = 90,
	overstock_days: int = 180,
) -> list[LocationAlert]:
	"""The alerts of every location, in the order given; a location may raise several kinds."""
	if cover_days < 0 or slow_days <= 0 or overstock_days <= 0:
		raise WmsInputError(
			"alerts", "cover days cannot be negative; slow and overstock days must be above zero"
		)
	out = []
	for s in stock:
		if s.level not in ("bin", "warehouse"):
			raise WmsInputError(s.location, f"level {s.level!r} is neither bin nor warehouse")
		if s.reorder_qty < 0:
			raise WmsInputError(s.item, "the reorder quantity cannot be negative")
		stats = inventory.ItemStats(
			s.item,
			unit_value=0.0,
			issued_per_year=s.issued_per_year,
			on_hand=s.on_hand,
			safety_stock=s.safety_stock,
			last_issue=s.last_issue,
		)
		daily = s.issued_per_year / 365
		cover = s.on_hand / daily if daily > 0 else None
		since = (as_of - s.last_issue).days if s.last_issue else None
		for a in inventory.alerts([stats], as_of, cover_days, slow_days, overstock_days):
			qty = 0.0
			if a.kind == BELOW_SAFETY:
				qty = float(max(a.suggested_qty, math.ceil(s.reorder_qty)))
			out.append(
				LocationAlert(
					s.item, s.location, s.level, a.kind, s.on_hand, s.safety_stock, cover, since, qty
				)
			)
	return out


@dataclass(frozen=True)
class RequestLine:
	item: str
	warehouse: str
	qty: float


def replenishment(alerts: Iterable[LocationAlert]) -> list[RequestLine]:
	"""Material Request lines for the alerts that suggest an order: one per (item, location), the
	largest suggestion if the same one is listed twice."""
	best: dict[tuple[str, str], float] = {}
	for a in alerts:
		if a.kind == BELOW_SAFETY and a.suggested_qty > 0:
			key = (a.item, a.location)
			best[key] = max(best.get(key, 0.0), a.suggested_qty)
	return [RequestLine(item, wh, qty) for (item, wh), qty in sorted(best.items())]
