"""Cash on delivery for one trip: what each stop should have paid against what the driver took."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from wms_tms.core.errors import WmsInputError


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
