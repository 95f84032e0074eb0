"""What a scan on the floor may do: pick a line, pack a parcel, count a bin. Plain rules, no frappe.

* Picking: a scan names the bin the picker stands at and the item in hand. It is refused when the
  bin is not the line's (wrong bin), the item is not the line's (wrong item), or the line would get
  more than it asks for (over-pick). A line is closed when it is picked in full or marked short
  with a reason.
* Packing: the parcel's scanned items against the Delivery Note's lines; a missing or an extra item
  (or quantity) is named.
* Counting: a counted line needs a recount when its difference is worth more than a value, or is a
  larger share of the book quantity than a percentage.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

SHORT_REASONS = ("Not found", "Not enough in bin", "Damaged", "Other")


@dataclass(frozen=True)
class PickLine:
	row: str
	bin: str
	item: str
	qty: float
	picked: float = 0.0
	short_reason: str = ""

	@property
	def open(self) -> bool:
		return self.picked < self.qty - 1e-9 and not self.short_reason


@dataclass(frozen=True)
class Refusal:
	kind: str  # no_bin | wrong_bin | wrong_item | over_pick | closed | bad_qty | bad_reason
	message: str  # English, with {0}… placeholders for the adapter to translate
	args: tuple = ()


def check_pick(line: PickLine, bin: str, item: str | None, qty: float = 1.0) -> Refusal | None:
	"""None when the scan may add `qty` of `item` to the line, else why not."""
	if not line.open:
		return Refusal("closed", "Line {0} is already done.", (line.item,))
	if not qty or qty <= 0 or qty != qty:
		return Refusal("bad_qty", "The quantity must be above zero.")
	if not bin:
		return Refusal("no_bin", "Scan bin {0} first.", (line.bin,))
	if bin != line.bin:
		return Refusal("wrong_bin", "Wrong bin: this line is picked from {0}.", (line.bin,))
	if item != line.item:
		return Refusal("wrong_item", "Wrong item: bin {0} is for {1}.", (line.bin, line.item))
	if line.picked + qty > line.qty + 1e-9:
		return Refusal(
			"over_pick",
			"Over-pick: {0} asks for {1}, {2} already picked.",
			(line.item, _num(line.qty), _num(line.picked)),
		)
	return None


def check_bin(line: PickLine, bin: str) -> Refusal | None:
	"""A bin scanned for the line: the picker stands at the line's bin, or is refused."""
	if not line.open:
		return Refusal("closed", "Line {0} is already done.", (line.item,))
	if bin != line.bin:
		return Refusal("wrong_bin", "Wrong bin: this line is picked from {0}.", (line.bin,))
	return None


def check_short(line: PickLine, reason: str) -> Refusal | None:
	if reason not in SHORT_REASONS:
		return Refusal("bad_reason", "Choose a reason for the short pick.")
	if not line.open:
		return Refusal("closed", "Line {0} is already done.", (line.item,))
	return None


def wave_done(lines: list[PickLine]) -> bool:
	return bool(lines) and not any(ln.open for ln in lines)


def next_line(lines: list[PickLine]) -> PickLine | None:
	"""The first open line in walking order."""
	return next((ln for ln in lines if ln.open), None)


@dataclass(frozen=True)
class ParcelProblem:
	item: str
	expected: float
	scanned: float

	@property
	def kind(self) -> str:
		return "missing" if self.scanned < self.expected else "extra"


def check_parcel(expected: Mapping[str, float], scanned: Mapping[str, float]) -> list[ParcelProblem]:
	"""Items whose scanned quantity is not the Delivery Note's (missing or extra), by item."""
	out = []
	for item in sorted(set(expected) | set(scanned)):
		e, s = float(expected.get(item, 0)), float(scanned.get(item, 0))
		if abs(e - s) > 1e-9:
			out.append(ParcelProblem(item, e, s))
	return out


def needs_recount(book: float, counted: float, rate: float, max_value: float, max_pct: float) -> bool:
	"""A difference worth more than `max_value`, or more than `max_pct` % of the book quantity
	(any difference on a line the books say is empty counts as 100 %). A limit of 0 is off."""
	diff = abs(counted - book)
	if diff <= 1e-9:
		return False
	if max_value > 0 and diff * max(rate, 0.0) > max_value + 1e-9:
		return True
	if max_pct > 0:
		share = 100.0 if book <= 0 else diff / book * 100
		if share > max_pct + 1e-9:
			return True
	return False


def _num(x: float) -> str:
	return f"{x:g}"
