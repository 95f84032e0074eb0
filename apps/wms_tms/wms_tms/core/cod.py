"""Cash on delivery for one trip: what each stop should have paid against what the driver took."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from wms_tms.core.errors import WmsInputError

CENT = Decimal("0.01")


@dataclass(frozen=True)
class CodLine:
	stop: str
	expected: float
	collected: float

	@property
	def difference(self) -> float:
		return round(self.collected - self.expected, 2)


@dataclass(frozen=True)
class CodReconciliation:
	lines: tuple[CodLine, ...]

	@property
	def expected(self) -> float:
		return round(sum(x.expected for x in self.lines), 2)

	@property
	def collected(self) -> float:
		return round(sum(x.collected for x in self.lines), 2)

	@property
	def differences(self) -> tuple[CodLine, ...]:
		return tuple(x for x in self.lines if x.difference)


def reconcile(expected: Mapping[str, float], collected: Mapping[str, float]) -> CodReconciliation:
	"""Per stop; cash reported for a stop that expected none is a difference too.

	Every amount of both sides is checked: a stop in both keeps two amounts, not one."""
	for side in (expected, collected):
		for stop, amount in side.items():
			if not math.isfinite(amount) or amount < 0:
				raise WmsInputError(stop, "an amount must be a number and cannot be negative")
	stops = sorted(set(expected) | set(collected))
	return CodReconciliation(
		tuple(CodLine(s, float(expected.get(s, 0)), float(collected.get(s, 0))) for s in stops)
	)


def cash_taken(value: object, owed: float | Decimal, record: str = "cash") -> Decimal:
	"""What a driver typed as cash collected → a finite amount above zero and no more than is owed.

	Accepts a number or its text ("12.50"); refuses nan, infinity, zero, negatives and text that is
	no number, and anything above `owed` (rounded to the cent, as the invoice is).
	"""
	if isinstance(value, bool) or value is None or (isinstance(value, str) and not value.strip()):
		raise WmsInputError(record, "enter the cash collected")
	try:
		amount = Decimal(str(value).strip())
	except (InvalidOperation, ValueError):
		raise WmsInputError(record, "the cash collected is not a number") from None
	if not amount.is_finite() or amount.adjusted() > 15:  # nan, infinity, or beyond any real till
		raise WmsInputError(record, "the cash collected is not a number")
	amount = amount.quantize(CENT, rounding=ROUND_HALF_UP)
	if amount <= 0:
		raise WmsInputError(record, "the cash collected must be above zero")
	due = Decimal(str(owed)).quantize(CENT, rounding=ROUND_HALF_UP)
	if amount > due:
		raise WmsInputError(record, f"{amount} is more than the {due} due")
	return amount
