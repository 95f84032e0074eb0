"""Gift rules: spend over N, buy X get Y, within a date range, per-buyer limit, while stock lasts.

`apply_gifts` returns the gifts to add and, for every rule that matched but gave nothing,
the reason a person can read ("limit reached", "out of stock").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True)
class GiftRule:
	name: str
	gift_item: str
	gift_qty: int = 1
	spend_over: Decimal | None = None  # order goods amount strictly above this
	buy_item: str | None = None  # buy X …
	buy_qty: int = 0  # … at least this many (per gift set when `repeat`)
	buy_items: frozenset[str] | None = None  # or any of these (an item group's items), counted together
	buy_label: str = ""  # how the rule names them ("Tea"), else the items' codes
	units_over: int | None = None  # the order's units (all lines) strictly above this
	repeat: bool = False  # buy 2 get 1, buy 4 get 2 …
	starts: datetime | None = None
	ends: datetime | None = None  # exclusive
	per_buyer_limit: int | None = None  # gift sets per buyer over the campaign


@dataclass(frozen=True)
class Gift:
	rule: str
	item_code: str
	qty: int
	reason: str


@dataclass(frozen=True)
class GiftOutcome:
	gifts: tuple[Gift, ...]
	skipped: tuple[str, ...]


def sets_earned(
	rule: GiftRule, items: Mapping[str, int], goods_amount: Decimal, at: datetime
) -> tuple[int, str]:
	"""How many gift sets the order earns under this rule (ignoring limits and stock), and why."""
	if rule.starts is not None and at < rule.starts:
		return 0, f"{rule.name}: not started yet"
	if rule.ends is not None and at >= rule.ends:
		return 0, f"{rule.name}: ended"
	if rule.spend_over is not None and not goods_amount > rule.spend_over:
		return 0, f"{rule.name}: spend {goods_amount} is not over {rule.spend_over}"
	units = sum(items.values())
	if rule.units_over is not None and not units > rule.units_over:
		return 0, f"{rule.name}: {units} units is not over {rule.units_over}"
	if rule.buy_item or rule.buy_items is not None:
		wanted = rule.buy_items if rule.buy_items is not None else {rule.buy_item}
		have = sum(items.get(code, 0) for code in wanted)
		what = rule.buy_label or rule.buy_item or "/".join(sorted(wanted))
		if rule.buy_qty <= 0 or have < rule.buy_qty:
			return 0, f"{rule.name}: needs {rule.buy_qty} × {what}, order has {have}"
		n = have // rule.buy_qty if rule.repeat else 1
		return n, f"{rule.name}: bought {have} × {what}"
	if rule.units_over is not None:
		return 1, f"{rule.name}: {units} units"
	return 1, f"{rule.name}: spent {goods_amount}"


def apply_gifts(
	items: Mapping[str, int],
	goods_amount: Decimal,
	at: datetime,
	buyer: str,
	rules: list[GiftRule],
	given: Mapping[tuple[str, str], int],
	gift_stock: Mapping[str, int],
) -> GiftOutcome:
	"""`given[(rule, buyer)]` = sets already given; `gift_stock[item]` = free stock of the gift."""
	stock = dict(gift_stock)
	gifts, skipped = [], []
	for rule in rules:
		n, why = sets_earned(rule, items, goods_amount, at)
		if n == 0:
			continue
		if rule.per_buyer_limit is not None:
			room = rule.per_buyer_limit - given.get((rule.name, buyer), 0)
			if room <= 0:
				skipped.append(f"{rule.name}: {buyer} already had {rule.per_buyer_limit} gift(s)")
				continue
			n = min(n, room)
		can = stock.get(rule.gift_item, 0) // rule.gift_qty if rule.gift_qty > 0 else 0
		if can <= 0:
			skipped.append(f"{rule.name}: {rule.gift_item} is out of stock")
			continue
		n = min(n, can)
		stock[rule.gift_item] = stock.get(rule.gift_item, 0) - n * rule.gift_qty
		gifts.append(Gift(rule.name, rule.gift_item, n * rule.gift_qty, why))
	return GiftOutcome(tuple(gifts), tuple(skipped))
