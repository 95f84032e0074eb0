"""Churn warnings: is a customer late against their own buying rhythm?

A customer's typical gap is the median number of days between their consecutive purchase
dates. With fewer than MIN_OWN_GAPS gaps of their own, the median gap of their segment is used
(and the reason says so). Lateness = days since the last purchase ÷ typical gap:

    < 1.5  → Low     (on rhythm)
    < 3    → Medium  (overdue: a message)
    ≥ 3    → High    (long overdue: a call, a coupon)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from statistics import median

MIN_OWN_GAPS = 2
SUGGESTIONS = {
	"Low": "no action; keep them in regular newsletters",
	"Medium": "send a personal message with new arrivals",
	"High": "call them and offer a win-back coupon",
}


@dataclass(frozen=True)
class ChurnWarning:
	customer: str
	level: str
	reason: str
	suggestion: str
	lateness: float


def gaps(purchase_dates: Iterable[date]) -> list[int]:
	days = sorted({d.toordinal() for d in purchase_dates})
	return [b - a for a, b in zip(days, days[1:], strict=False)]


def segment_gaps(
	dates_by_customer: Mapping[str, Iterable[date]], segment_of: Mapping[str, str]
) -> dict[str, float]:
	pooled: dict[str, list[int]] = {}
	for customer, ds in dates_by_customer.items():
		pooled.setdefault(segment_of.get(customer, ""), []).extend(gaps(ds))
	return {seg: float(median(g)) for seg, g in pooled.items() if g}


def warn(
	customer: str,
	purchase_dates: Iterable[date],
	as_of: date,
	segment: str,
	segment_gap: Mapping[str, float],
) -> ChurnWarning | None:
	"""None when nothing can be said (no purchase, and no rhythm of their own or their segment's)."""
	dates = sorted(set(purchase_dates))
	if not dates:
		return None
	own = gaps(dates)
	since = (as_of - dates[-1]).days
	if len(own) >= MIN_OWN_GAPS:
		typical, whose = float(median(own)), "their own"
	elif segment in segment_gap:
		typical, whose = segment_gap[segment], f"the {segment} segment's"
	else:
		return None
	typical = max(typical, 1.0)
	lateness = since / typical
	level = "Low" if lateness < 1.5 else "Medium" if lateness < 3 else "High"
	reason = f"last purchase {since} days ago; {whose} typical gap is {typical:g} days ({lateness:.1f}× late)"
	return ChurnWarning(customer, level, reason, SUGGESTIONS[level], round(lateness, 2))
