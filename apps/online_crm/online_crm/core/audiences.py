"""Campaign audiences, new versus returning buyers, and what a campaign did against a hold-out.

* `audience`: customers in the chosen segments carrying the chosen tags, minus the blacklist,
  minus anyone contacted within the frequency cap. Each exclusion is counted with its reason.
* `holdout_split`: a stable share of an audience kept out of the campaign, decided by a hash of
  (campaign, customer) so the same customer always falls on the same side.
* `new_vs_returning`: per month, buyers whose first purchase ever was that month, and the others.
* `campaign_effect`: purchase rate and spend per customer of the contacted group against the
  hold-out in the window after the campaign; lift = difference of the rates.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from online_crm.core.rfm import InvoiceFact


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
) -> Audience:
	wanted = set(segments) if segments is not None else None
	need, banned = frozenset(tags_all), set(blacklist)
	out = Audience([])
	for p in people:
		if wanted is not None and p.segment not in wanted:
			continue
		if not need <= p.tags:
			continue
		if p.customer in banned:
			out.excluded["blacklisted"] += 1
		elif cap_days and p.last_contacted and (as_of - p.last_contacted).days < cap_days:
			out.excluded[f"contacted within {cap_days} days"] += 1
		else:
			out.customers.append(p.customer)
	out.customers.sort()
	return out


def holdout_split(customers: Iterable[str], campaign: str, share: float = 0.1) -> tuple[list[str], list[str]]:
	"""(contacted, hold-out): each customer's side depends only on campaign and customer."""
	if not 0 <= share < 1:
		raise ValueError("the hold-out share must be in [0, 1)")
	contacted, held = [], []
	for c in sorted(set(customers)):
		h = int.from_bytes(hashlib.sha1(f"{campaign}|{c}".encode()).digest()[:8], "big") / 2**64
		(held if h < share else contacted).append(c)
	return contacted, held


def new_vs_returning(facts: Iterable[InvoiceFact]) -> dict[str, tuple[int, int]]:
	"""'YYYY-MM' → (new buyers, returning buyers), by each customer's first purchase ever."""
	purchases = [f for f in facts if not f.is_return]
	first: dict[str, date] = {}
	for f in purchases:
		if f.customer not in first or f.posting_date < first[f.customer]:
			first[f.customer] = f.posting_date
	buyers: dict[str, set[str]] = {}
	for f in purchases:
		buyers.setdefault(f.posting_date.strftime("%Y-%m"), set()).add(f.customer)
	out = {}
	for month, who in sorted(buyers.items()):
		new = sum(1 for c in who if first[c].strftime("%Y-%m") == month)
		out[month] = (new, len(who) - new)
	return out


@dataclass(frozen=True)
class Effect:
	contacted: int
	holdout: int
	contacted_rate: float  # share who bought in the window
	holdout_rate: float
	contacted_spend: float  # net spend per customer in the window
	holdout_spend: float

	@property
	def lift(self) -> float:
		return self.contacted_rate - self.holdout_rate


def campaign_effect(
	facts: Iterable[InvoiceFact], contacted: Iterable[str], holdout: Iterable[str], start: date, end: date
) -> Effect:
	groups: Mapping[str, set[str]] = {"c": set(contacted), "h": set(holdout)}
	bought: dict[str, set[str]] = {"c": set(), "h": set()}
	spend = {"c": 0.0, "h": 0.0}
	for f in facts:
		if not start <= f.posting_date <= end:
			continue
		for g, members in groups.items():
			if f.customer in members:
				if not f.is_return:
					bought[g].add(f.customer)
				spend[g] += -abs(f.net_amount) if f.is_return else f.net_amount

	def rate(g: str) -> float:
		return len(bought[g]) / len(groups[g]) if groups[g] else 0.0

	def per(g: str) -> float:
		return spend[g] / len(groups[g]) if groups[g] else 0.0

	return Effect(len(groups["c"]), len(groups["h"]), rate("c"), rate("h"), per("c"), per("h"))
