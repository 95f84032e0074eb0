"""RFM over invoice facts from every channel: recency, frequency, monetary, scores 1–5, segments.

Input is one fact per invoice (a Sales Invoice, or a credit note when `is_return`). Cancelled
documents never reach this module. As of a date, over a look-back window of `window_days`
(facts dated in (as_of − window, as_of]):

* recency   = days from the last purchase (non-return invoice) to `as_of`
* frequency = number of distinct purchase invoices
* monetary  = net amount of purchases minus returns, summed in whole cents (each fact's amount
  rounded half-to-even to the cent first), so the total is exact, independent of input order,
  and the same on the plain and the column path

Only customers with at least one purchase in the window are scored.

Scores (quintiles). For each measure the population's values are sorted and four cut points
taken at ranks ⌈n·k/5⌉ (k = 1…4, 1-based). A value's score is 1 + the number of cut points
strictly below it (frequency, monetary: more is better). For recency fewer days is better, so
it is scored on −days. Equal values therefore always get equal scores (ties never split), and
the result depends on the values only, not on input order. With fewer than five customers
there is no meaningful quintile and every score is 3. A business may set its own cut points
instead (`Boundaries.fixed`); they are used as given.

Segments are named rules over (R, F), checked in order; the first that matches wins, and
the default table covers all 25 combinations, so every customer lands in exactly one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

MIN_POPULATION = 5


@dataclass(frozen=True)
class InvoiceFact:
	customer: str
	invoice: str
	posting_date: date
	net_amount: float  # a credit note may carry its amount negative or positive: returns always reduce
	is_return: bool = False


@dataclass(frozen=True)
class Measures:
	customer: str
	recency_days: int
	frequency: int
	monetary: float
	last_purchase: date


@dataclass(frozen=True)
class Boundaries:
	"""Four ascending cut points per measure (recency in days: lower is better)."""

	recency: tuple[float, float, float, float]
	frequency: tuple[float, float, float, float]
	monetary: tuple[float, float, float, float]
	rule: str = "quintiles"

	@classmethod
	def fixed(
		cls, recency: Sequence[float], frequency: Sequence[float], monetary: Sequence[float]
	) -> Boundaries:
		for name, cuts in (("recency", recency), ("frequency", frequency), ("monetary", monetary)):
			if len(cuts) != 4 or list(cuts) != sorted(cuts):
				raise ValueError(f"{name} needs four ascending cut points, got {list(cuts)!r}")
		return cls(tuple(recency), tuple(frequency), tuple(monetary), "fixed")


@dataclass(frozen=True)
class Score:
	measures: Measures
	r: int
	f: int
	m: int
	segment: str

	def explain(self, b: Boundaries) -> str:
		m = self.measures
		return (
			f"R{self.r}: last purchase {m.recency_days} days ago (cut points {list(b.recency)} days, fewer is better); "
			f"F{self.f}: {m.frequency} invoices (cut points {list(b.frequency)}); "
			f"M{self.m}: net {m.monetary:,.2f} (cut points {list(b.monetary)}); "
			f"segment {self.segment} by rule on R{self.r} F{self.f} ({b.rule})"
		)


@dataclass(frozen=True)
class SegmentRule:
	name: str
	r: tuple[int, int]  # inclusive range
	f: tuple[int, int]

	def matches(self, r: int, f: int) -> bool:
		return self.r[0] <= r <= self.r[1] and self.f[0] <= f <= self.f[1]


SEGMENTS: tuple[SegmentRule, ...] = (
	SegmentRule("Champions", (5, 5), (4, 5)),
	SegmentRule("Loyal", (3, 4), (4, 5)),
	SegmentRule("Potential Loyalist", (4, 5), (2, 3)),
	SegmentRule("New", (5, 5), (1, 1)),
	SegmentRule("Promising", (4, 4), (1, 1)),
	SegmentRule("Need Attention", (3, 3), (3, 3)),
	SegmentRule("About to Sleep", (3, 3), (1, 2)),
	SegmentRule("Can't Lose", (1, 2), (5, 5)),
	SegmentRule("At Risk", (1, 2), (3, 4)),
	SegmentRule("Lost", (1, 1), (1, 1)),
	SegmentRule("Hibernating", (1, 2), (1, 2)),
)


def segment_for(r: int, f: int, rules: Sequence[SegmentRule] = SEGMENTS) -> str:
	for rule in rules:
		if rule.matches(r, f):
			return rule.name
	raise ValueError(f"no segment rule covers R{r} F{f}")


@dataclass
class RFMResult:
	as_of: date
	window_days: int
	boundaries: Boundaries
	scores: dict[str, Score] = field(default_factory=dict)

	def segment_counts(self) -> dict[str, int]:
		counts: dict[str, int] = {}
		for s in self.scores.values():
			counts[s.segment] = counts.get(s.segment, 0) + 1
		return counts


def measures(facts: Iterable[InvoiceFact], as_of: date, window_days: int = 365) -> dict[str, Measures]:
	"""Per customer with a purchase in the window: recency, frequency, monetary."""
	start = as_of.toordinal() - window_days
	end = as_of.toordinal()
	last: dict[str, int] = {}
	invoices: dict[str, set[str]] = {}
	cents: dict[str, int] = {}
	for fact in facts:
		day = fact.posting_date.toordinal()
		if not start < day <= end:
			continue
		c = fact.customer
		if fact.is_return:
			cents[c] = cents.get(c, 0) - to_cents(abs(fact.net_amount))
			continue
		cents[c] = cents.get(c, 0) + to_cents(fact.net_amount)
		invoices.setdefault(c, set()).add(fact.invoice)
		if day > last.get(c, -1):
			last[c] = day
	return {
		c: Measures(c, end - last[c], len(invs), cents.get(c, 0) / 100, date.fromordinal(last[c]))
		for c, invs in invoices.items()
	}


def to_cents(amount: float) -> int:
	"""Whole cents, half to even on the binary value (exactly what `np.rint(amount * 100)` gives)."""
	return round(amount * 100)


def quintile_cuts(values: Sequence[float]) -> tuple[float, float, float, float]:
	v = np.sort(np.asarray(values, dtype=float))
	n = len(v)
	return tuple(float(v[math.ceil(n * k / 5) - 1]) for k in range(1, 5))


def recency_cuts(days: Sequence[float]) -> tuple[float, float, float, float]:
	"""Quintile cut points of −days (fewer days is better), given back as ascending days."""
	return tuple(sorted(-c for c in quintile_cuts([-d for d in days])))


def boundaries_for(population: Iterable[Measures]) -> Boundaries:
	pop = list(population)
	if len(pop) < MIN_POPULATION:
		return Boundaries((0, 0, 0, 0), (0, 0, 0, 0), (0, 0, 0, 0), "too few customers: every score is 3")
	return Boundaries(
		recency_cuts([m.recency_days for m in pop]),
		quintile_cuts([m.frequency for m in pop]),
		quintile_cuts([m.monetary for m in pop]),
	)


def _score_up(value: float, cuts: Sequence[float]) -> int:
	return 1 + sum(1 for c in cuts if c < value)


def _score_down(value: float, cuts: Sequence[float]) -> int:
	return 1 + sum(1 for c in cuts if c > value)


def score(m: Measures, b: Boundaries, rules: Sequence[SegmentRule] = SEGMENTS) -> Score:
	if b.rule.startswith("too few"):
		r = f = mm = 3
	else:
		r, f, mm = (
			_score_down(m.recency_days, b.recency),
			_score_up(m.frequency, b.frequency),
			_score_up(m.monetary, b.monetary),
		)
	return Score(m, r, f, mm, segment_for(r, f, rules))


def score_full(
	facts: Iterable[InvoiceFact],
	as_of: date,
	window_days: int = 365,
	boundaries: Boundaries | None = None,
	rules: Sequence[SegmentRule] = SEGMENTS,
) -> RFMResult:
	"""Every customer scored; boundaries recomputed from this population unless fixed ones are given."""
	ms = measures(facts, as_of, window_days)
	b = boundaries or boundaries_for(ms.values())
	return RFMResult(as_of, window_days, b, {c: score(m, b, rules) for c, m in ms.items()})


def score_incremental(
	previous: RFMResult,
	facts_of_touched: Iterable[InvoiceFact],
	touched: Iterable[str],
	rules: Sequence[SegmentRule] = SEGMENTS,
) -> RFMResult:
	"""Re-score only the touched customers (all their facts given) against the previous boundaries."""
	touched = set(touched)
	ms = measures(
		(f for f in facts_of_touched if f.customer in touched), previous.as_of, previous.window_days
	)
	scores = {c: s for c, s in previous.scores.items() if c not in touched}
	scores.update({c: score(m, previous.boundaries, rules) for c, m in ms.items()})
	return RFMResult(previous.as_of, previous.window_days, previous.boundaries, scores)


def score_arrays(
	recency: np.ndarray, frequency: np.ndarray, monetary: np.ndarray, b: Boundaries
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
	"""Vectorised scoring for large populations: same rule as `score` (cut points strictly below)."""
	if b.rule.startswith("too few"):
		three = np.full(len(recency), 3, dtype=np.int8)
		return three, three.copy(), three.copy()
	r = 1 + (4 - np.searchsorted(np.asarray(b.recency), recency, side="right")).astype(np.int8)
	f = 1 + np.searchsorted(np.asarray(b.frequency), frequency, side="left").astype(np.int8)
	m = 1 + np.searchsorted(np.asarray(b.monetary), monetary, side="left").astype(np.int8)
	return r, f, m


def segment_grid(rules: Sequence[SegmentRule] = SEGMENTS) -> tuple[list[str], np.ndarray]:
	"""Segment names and a 6×6 table of indexes into them by [R][F] (row/column 0 unused)."""
	names = [rule.name for rule in rules]
	grid = np.zeros((6, 6), dtype=np.int8)
	for r in range(1, 6):
		for f in range(1, 6):
			grid[r, f] = names.index(segment_for(r, f, rules))
	return names, grid


def _codes(values: np.ndarray) -> tuple[np.ndarray | None, np.ndarray, int]:
	"""(distinct values or None, each row's code, how many codes) for counting with bincount.

	Small non-negative integers (a database's or a generator's ids) are their own codes, with no
	sort; anything else is factorised by np.unique. None means "the codes are the values"."""
	if (
		len(values)
		and values.dtype.kind in "iu"
		and values.min() >= 0
		and values.max() < 2 * len(values) + 1_000_000
	):
		return None, values, int(values.max()) + 1
	distinct, inverse = np.unique(values, return_inverse=True)
	return distinct, inverse.reshape(-1), len(distinct)


def _aggregate(
	customer: np.ndarray, day: np.ndarray, cents: np.ndarray, buy: np.ndarray, invoice: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
	"""Per customer code: net cents (`cents` holds whole numbers, 0 outside the window), last
	purchase day (−1: none), distinct purchase invoices; plus the customer of each code.

	O(n) counting (bincount, ufunc.at) instead of sorting ten million rows."""
	distinct, c, k = _codes(customer)
	ids = np.arange(k, dtype=customer.dtype) if distinct is None else distinct
	if k == 0:
		zero = np.zeros(0, dtype=np.int64)
		return ids, zero, zero.copy(), zero.copy()
	if float(np.abs(cents).sum()) < 2**52:  # float sums of whole numbers below 2**53 are exact
		money = np.rint(np.bincount(c, weights=cents, minlength=k)).astype(np.int64)
	else:
		money = np.zeros(k, dtype=np.int64)
		np.add.at(money, c, cents.astype(np.int64))
	cb, db = c[buy], day[buy]
	last = np.full(k, -1, dtype=np.int64)
	np.maximum.at(last, cb, db)
	frequency = np.zeros(k, dtype=np.int64)
	if len(cb):
		# distinct (customer, purchase invoice) pairs; usually an invoice has one customer, and
		# then counting each invoice once for its owner is enough (checked, not assumed)
		_inv_distinct, inv, m = _codes(invoice[buy])
		low = np.full(m, k, dtype=np.int64)
		high = np.full(m, -1, dtype=np.int64)
		np.minimum.at(low, inv, cb)
		np.maximum.at(high, inv, cb)
		if np.array_equal(low, high):
			frequency = np.bincount(high[high >= 0], minlength=k)
		else:
			order = np.lexsort((inv, cb))
			cs, vs = cb[order], inv[order]
			first = np.r_[True, (cs[1:] != cs[:-1]) | (vs[1:] != vs[:-1])]
			frequency = np.bincount(cs[first], minlength=k)
	return ids, money, last, frequency


def score_columns(
	customer: np.ndarray,
	day: np.ndarray,
	amount: np.ndarray,
	is_return: np.ndarray,
	invoice: np.ndarray,
	as_of_day: int,
	window_days: int = 365,
	boundaries: Boundaries | None = None,
	rules: Sequence[SegmentRule] = SEGMENTS,
) -> dict[str, np.ndarray]:
	"""The same rule as `score_full`, on columns, for large populations.

	customer and invoice are integer codes (one row per invoice fact; an invoice may span
	several rows, e.g. lines), day an ordinal day number, amount in currency units (rounded to
	whole cents per row, as the plain path does). Returns arrays per scored customer: customer, recency, frequency, monetary, r, f,
	m and segment (an index into `segment_grid(rules)[0]`), plus the boundaries used.
	"""
	customer, day, invoice = np.asarray(customer), np.asarray(day, dtype=np.int64), np.asarray(invoice)
	returns = np.asarray(is_return, dtype=bool)
	inside = (day > as_of_day - window_days) & (day <= as_of_day)
	cents = np.rint(np.asarray(amount, dtype=float) * 100)  # whole cents, half to even, as floats
	signed = np.where(inside, np.where(returns, -np.abs(cents), cents), 0.0)
	ids, money, last, frequency = _aggregate(customer, day, signed, inside & ~returns, invoice)
	scored = frequency > 0
	ids, money, last, frequency = ids[scored], money[scored] / 100, last[scored], frequency[scored]
	recency = as_of_day - last
	if boundaries is None:
		if len(ids) < MIN_POPULATION:
			boundaries = Boundaries(
				(0, 0, 0, 0), (0, 0, 0, 0), (0, 0, 0, 0), "too few customers: every score is 3"
			)
		else:
			n = len(ids)
			ranks = [math.ceil(n * k / 5) - 1 for k in range(1, 5)]

			def cuts(values: np.ndarray) -> tuple[float, ...]:
				part = np.partition(values, ranks)
				return tuple(float(part[i]) for i in ranks)

			rec = tuple(sorted(-c for c in cuts(-recency.astype(float))))
			boundaries = Boundaries(rec, cuts(frequency.astype(float)), cuts(money))
	r, f, m = score_arrays(recency, frequency, money, boundaries)
	_names, grid = segment_grid(rules)
	return {
		"customer": ids,
		"recency": recency,
		"frequency": frequency,
		"monetary": money,
		"r": r,
		"f": f,
		"m": m,
		"segment": grid[r, f],
		"boundaries": boundaries,
	}


def rules_from_data(rows: Iterable[Mapping]) -> tuple[SegmentRule, ...]:
	"""Segment rules a business edited: [{"name", "r": [lo, hi], "f": [lo, hi]}, …] in order.

	Refused unless every R×F pair from 1 to 5 is covered, so every customer lands in a segment.
	"""
	rules = []
	for i, row in enumerate(rows, start=1):
		try:
			name = str(row["name"]).strip()
			r, f = tuple(int(x) for x in row["r"]), tuple(int(x) for x in row["f"])
		except (KeyError, TypeError, ValueError):
			raise ValueError(f"rule {i} needs a name and r, f ranges like [4, 5]") from None
		if not name or len(r) != 2 or len(f) != 2 or not (1 <= r[0] <= r[1] <= 5 and 1 <= f[0] <= f[1] <= 5):
			raise ValueError(f"rule {i} ({name or 'unnamed'}): ranges must lie within 1…5, low before high")
		rules.append(SegmentRule(name, r, f))
	gaps = [f"R{r}F{f}" for r in range(1, 6) for f in range(1, 6) if not any(x.matches(r, f) for x in rules)]
	if gaps:
		raise ValueError(f"no rule covers {', '.join(gaps)}")
	return tuple(rules)
