"""Counting and watching stock: cycle-count plan, stock-take variances, stock alerts.

* ABC by value and movement: items ranked by yearly issue value (unit value × quantity issued);
  the items making up the first `a_share` of the total value are A, up to `b_share` B, the rest
  C; an item that did not move at all is C. When movement counts are given (`issues_per_year`:
  how many times the item was picked), the same rule ranks items by movement too, and an item
  takes the better of its two classes — a cheap item picked all day is counted like a valuable
  one, since every pick is a chance to miscount. Count frequency per class (default A monthly,
  B quarterly, C yearly).
* Variance: counted against book per bin and item; an item on the books in a counted bin but
  not found there counts as 0, an item found where the books have none is a surplus.
* Alerts: below safety stock (with the quantity to order up to safety stock plus `cover_days`
  of demand), slow-moving (stock but no issue for `slow_days`), overstock (more than
  `overstock_days` of demand).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from wms_tms.core.errors import WmsInputError

COUNTS_PER_YEAR = {"A": 12, "B": 4, "C": 1}


@dataclass(frozen=True)
class ItemStats:
	item: str
	unit_value: float
	issued_per_year: float  # quantity
	on_hand: float = 0.0
	safety_stock: float = 0.0
	last_issue: date | None = None
	issues_per_year: float = 0.0  # movements (picks), not quantity


@dataclass(frozen=True)
class CountPlanLine:
	item: str
	cls: str
	counts_per_year: int
	every_days: int


def abc(stats: Iterable[ItemStats], a_share: float = 0.8, b_share: float = 0.95) -> dict[str, str]:
	items = list(stats)
	if not 0 < a_share <= b_share <= 1:
		raise WmsInputError("abc", f"shares must satisfy 0 < A ({a_share}) ≤ B ({b_share}) ≤ 1")
	for s in items:
		if s.unit_value < 0 or s.issued_per_year < 0 or s.issues_per_year < 0:
			raise WmsInputError(s.item, "value, quantity issued and movements cannot be negative")
	by_value = _classes(items, lambda s: s.unit_value * s.issued_per_year, a_share, b_share)
	if not any(s.issues_per_year for s in items):
		return by_value
	by_moves = _classes(items, lambda s: s.issues_per_year, a_share, b_share)
	return {s.item: min(by_value[s.item], by_moves[s.item]) for s in items}  # "A" < "B" < "C"


def _classes(items: list[ItemStats], measure, a_share: float, b_share: float) -> dict[str, str]:
	total = sum(measure(s) for s in items)
	out, running = {}, 0.0
	for s in sorted(items, key=lambda s: (-measure(s), s.item)):
		value = measure(s)
		if value <= 0 or total <= 0:
			out[s.item] = "C"
			continue
		share_before = running / total
		running += value
		out[s.item] = "A" if share_before < a_share else "B" if share_before < b_share else "C"
	return out


def cycle_count_plan(
	stats: Iterable[ItemStats], counts_per_year: Mapping[str, int] = COUNTS_PER_YEAR
) -> list[CountPlanLine]:
	classes = abc(stats)
	return [
		CountPlanLine(item, cls, counts_per_year[cls], math.floor(365 / counts_per_year[cls]))
		for item, cls in sorted(classes.items(), key=lambda kv: (kv[1], kv[0]))
	]


@dataclass(frozen=True)
class Variance:
	bin: str
	item: str
	book: float
	counted: float

	@property
	def difference(self) -> float:
		return self.counted - self.book


def variances(
	counted: Mapping[tuple[str, str], float], book: Mapping[tuple[str, str], float]
) -> list[Variance]:
	"""Lines whose count differs from the books, for the bins that were counted."""
	for (b, item), qty in counted.items():
		if qty < 0:
			raise WmsInputError(f"{b}/{item}", "a counted quantity cannot be negative")
	counted_bins = {b for b, _item in counted}
	keys = set(counted) | {k for k in book if k[0] in counted_bins}
	out = []
	for b, item in sorted(keys):
		v = Variance(b, item, float(book.get((b, item), 0.0)), float(counted.get((b, item), 0.0)))
		if abs(v.difference) > 1e-9:
			out.append(v)
	return out


@dataclass(frozen=True)
class Alert:
	item: str
	kind: str  # below_safety | slow_moving | overstock
	message: str
	suggested_qty: float = 0.0


def alerts(
	stats: Iterable[ItemStats],
	as_of: date,
	cover_days: int = 30,
	slow_days: int = 90,
	overstock_days: int = 180,
) -> list[Alert]:
	out = []
	for s in stats:
		if s.on_hand < 0 or s.safety_stock < 0 or s.issued_per_year < 0:
			raise WmsInputError(s.item, "stock on hand, safety stock and issues cannot be negative")
		daily = s.issued_per_year / 365
		if s.on_hand < s.safety_stock:
			want = math.ceil(s.safety_stock + daily * cover_days - s.on_hand)
			out.append(
				Alert(
					s.item,
					"below_safety",
					f"{s.on_hand:g} on hand, safety stock {s.safety_stock:g}: order {want}",
					want,
				)
			)
		if s.on_hand > 0 and (s.last_issue is None or (as_of - s.last_issue).days >= slow_days):
			since = (
				"never issued" if s.last_issue is None else f"no issue for {(as_of - s.last_issue).days} days"
			)
			out.append(Alert(s.item, "slow_moving", f"{s.on_hand:g} on hand, {since}"))
		if daily > 0 and s.on_hand > daily * overstock_days:
			out.append(
				Alert(
					s.item,
					"overstock",
					f"{s.on_hand:g} on hand covers {s.on_hand / daily:.0f} days of demand",
				)
			)
	return out
