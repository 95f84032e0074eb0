"""Campaign audiences, new versus returning buyers, and what a campaign did against a hold-out.

* `audience`: customers in the chosen segments carrying all of `tags_all`, at least one of
  `tags_any` (when given) and none of `tags_none`, minus the blacklist, minus anyone contacted
  within the frequency cap (contacted fewer than `cap_days` days before `as_of`). Each exclusion
  is counted with its reason; a customer listed twice is kept once.
* `contactables`: the people to pick from, straight from an RFM result plus tags and contact log.
* `holdout_split`: a stable share of an audience kept out of the campaign, decided by a hash of
  (campaign, customer) so the same customer always falls on the same side, whatever the order.
* `new_vs_returning`: per period (month, quarter, ISO week or year), buyers whose first purchase
  ever fell in that period, and the others.
* `campaign_effect`: purchase rate, purchases and net spend per customer of the contacted group
  against the hold-out in the window after the campaign; lift = difference of the rates.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from online_crm.core.rfm import InvoiceFact, to_cents


@dataclass(frozen=True)
class Contactable:
	customer: str
	segment: str
	tags: frozenset[str] = frozenset()
	last_contacted: date | None = None


@dataclass
class Audience:
	customers: list[str]
	excluded: Counter = field(default_factory=Counter)  # reason → how many


def audience(
	people: Iterable[Contactable],
	as_of: date,
	segments: Iterable[str] | None = None,
	tags_all: Iterable[str] = (),
	blacklist: Iterable[str] = (),
	cap_days: int = 0,
	tags_any: Iterable[str] = (),
	tags_none: Iterable[str] = (),
) -> Audience:
	if cap_days < 0:
		raise ValueError("the frequency cap must be zero (none) or a number of days")
	wanted = set(segments) if segments is not None else None
	need, banned = frozenset(tags_all), set(blacklist)
	some, never = frozenset(tags_any), frozenset(tags_none)
	out = Audience([])
	seen: set[str] = set()
	for p in people:
		if p.customer in seen:
			continue
		seen.add(p.customer)
		if wanted is not None and p.segment not in wanted:
			continue
		if not need <= p.tags or (some and not some & p.tags) or never & p.tags:
			continue
		if p.customer in banned:
			out.excluded["blacklisted"] += 1
		elif cap_days and p.last_contacted and (as_of - p.last_contacted).days < cap_days:
			out.excluded[f"contacted within {cap_days} days"] += 1
		else:
			out.customers.append(p.customer)
	out.customers.sort()
	return out


def contactables(
	segment_of: Mapping[str, str],
	tags: Mapping[str, Iterable[str]] | None = None,
	last_contacted: Mapping[str, date] | None = None,
) -> list[Contactable]:
	"""People to build an audience from: each scored customer's segment (e.g. from
	`{c: s.segment for c, s in RFMResult.scores.items()}`), their tags and last contact."""
	tags, last_contacted = tags or {}, last_contacted or {}
	return [
		Contactable(c, seg, frozenset(tags.get(c, ())), last_contacted.get(c))
		for c, seg in sorted(segment_of.items())
	]


def holdout_split(customers: Iterable[str], campaign: str, share: float = 0.1) -> tuple[list[str], list[str]]:
	"""(contacted, hold-out): each customer's side depends only on campaign and customer."""
	if not 0 <= share < 1:
		raise ValueError("the hold-out share must be in [0, 1)")
	contacted, held = [], []
	for c in sorted(set(customers)):
		h = int.from_bytes(hashlib.sha1(f"{campaign}|{c}".encode()).digest()[:8], "big") / 2**64
		(held if h < share else contacted).append(c)
	return contacted, held


PERIODS = ("month", "quarter", "week", "year")


def period_of(day: date, period: str = "month") -> str:
	"""'2026-11' (month), '2026-Q4' (quarter), '2026-W48' (ISO week), '2026' (year)."""
	if period == "month":
		return f"{day.year:04d}-{day.month:02d}"
	if period == "quarter":
		return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
	if period == "week":
		year, week, _ = day.isocalendar()
		return f"{year:04d}-W{week:02d}"
	if period == "year":
		return f"{day.year:04d}"
	raise ValueError(f"period must be one of {', '.join(PERIODS)}, not {period!r}")


def new_vs_returning(facts: Iterable[InvoiceFact], period: str = "month") -> dict[str, tuple[int, int]]:
	"""Period → (new buyers, returning buyers), by each customer's first purchase ever.

	A customer is new in the period of their first purchase (in the facts given: pass the whole
	history, not a window, or earlier buyers look new) and returning in every later period they
	buy in. Returns make nobody a buyer."""
	purchases = [f for f in facts if not f.is_return]
	first: dict[str, date] = {}
	for f in purchases:
		if f.customer not in first or f.posting_date < first[f.customer]:
			first[f.customer] = f.posting_date
	buyers: dict[str, set[str]] = {}
	for f in purchases:
		buyers.setdefault(period_of(f.posting_date, period), set()).add(f.customer)
	out = {}
	for key, who in sorted(buyers.items()):
		new = sum(1 for c in who if period_of(first[c], period) == key)
		out[key] = (new, len(who) - new)
	return out


@dataclass(frozen=True)
class Effect:
	contacted: int
	holdout: int
	contacted_rate: float  # share who bought in the window
	holdout_rate: float
	contacted_spend: float  # net spend per customer in the window (returns reduce it)
	holdout_spend: float
	contacted_purchases: float = 0.0  # purchase invoices per customer in the window
	holdout_purchases: float = 0.0

	@property
	def lift(self) -> float:
		return self.contacted_rate - self.holdout_rate

	@property
	def spend_lift(self) -> float:
		return self.contacted_spend - self.holdout_spend


def campaign_effect(
	facts: Iterable[InvoiceFact], contacted: Iterable[str], holdout: Iterable[str], start: date, end: date
) -> Effect:
	"""What each group did in [start, end]: the days after the campaign went out."""
	groups: Mapping[str, set[str]] = {"c": set(contacted), "h": set(holdout)}
	both = groups["c"] & groups["h"]
	if both:
		raise ValueError(f"{len(both)} customers are both contacted and held out, e.g. {sorted(both)[0]!r}")
	if end < start:
		raise ValueError("the window after the campaign ends before it starts")
	group_of = {c: g for g, members in groups.items() for c in members}
	bought: dict[str, set[str]] = {"c": set(), "h": set()}
	invoices: dict[str, set[tuple[str, str]]] = {"c": set(), "h": set()}
	cents = {"c": 0, "h": 0}
	for f in facts:
		g = group_of.get(f.customer)
		if g is None or not start <= f.posting_date <= end:
			continue
		if f.is_return:
			cents[g] -= to_cents(abs(f.net_amount))
		else:
			cents[g] += to_cents(f.net_amount)
			bought[g].add(f.customer)
			invoices[g].add((f.customer, f.invoice))

	def per(g: str, x: float) -> float:
		return x / len(groups[g]) if groups[g] else 0.0

	return Effect(
		len(groups["c"]),
		len(groups["h"]),
		per("c", len(bought["c"])),
		per("h", len(bought["h"])),
		per("c", cents["c"] / 100),
		per("h", cents["h"] / 100),
		per("c", len(invoices["c"])),
		per("h", len(invoices["h"])),
	)
