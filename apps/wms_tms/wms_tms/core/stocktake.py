"""A stock-take's plan and its counts, without frappe.

* Scope: which (bin, item) lines a count covers — by bins, by items, by zone (an aisle of the
  layout) or by ABC class (`inventory.abc`). Lines come from what the books hold; a bin of a
  by-bin plan is counted even when the books say it is empty (surplus is found by counting).
* Counting: a scanned bin opens its lines (each counted from zero); a scanned item adds to its
  line in that bin, or makes a surplus line (book 0).
* Closing a round: every line of the plan must be counted; lines whose difference crosses the
  threshold and were counted once are asked again (`scanning.needs_recount`); a recount's figure is
  final.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from wms_tms.core.errors import WmsInputError
from wms_tms.core.scanning import needs_recount

BASES = ("Bin", "Item", "Zone", "ABC")


@dataclass(frozen=True)
class BookRow:
	bin: str
	item: str
	qty: float
	rate: float = 0.0
	aisle: int = 0


@dataclass(frozen=True)
class CountLine:
	bin: str
	item: str
	book: float
	rate: float = 0.0
	counted: float = 0.0
	done: bool = False
	recount: bool = False
	first_count: float = 0.0

	@property
	def difference(self) -> float:
		return self.counted - self.book

	@property
	def value(self) -> float:
		return self.difference * self.rate


def scope(
	book: Iterable[BookRow],
	basis: str,
	bins: Iterable[str] = (),
	items: Iterable[str] = (),
	zone: int | None = None,
	classes: Mapping[str, str] | None = None,
	abc_class: str | None = None,
) -> list[CountLine]:
	"""The plan's lines, by bin then item."""
	if basis not in BASES:
		raise WmsInputError("basis", f"count by one of {', '.join(BASES)}, not {basis!r}")
	rows = [r for r in book if abs(r.qty) > 1e-9]
	if basis == "Bin":
		wanted = set(bins)
		if not wanted:
			raise WmsInputError("bins", "name the bins to count")
		rows = [r for r in rows if r.bin in wanted]
	elif basis == "Item":
		wanted = set(items)
		if not wanted:
			raise WmsInputError("items", "name the items to count")
		rows = [r for r in rows if r.item in wanted]
	elif basis == "Zone":
		if not zone or zone <= 0:
			raise WmsInputError("zone", "name the aisle to count")
		rows = [r for r in rows if r.aisle == zone]
	else:
		if abc_class not in ("A", "B", "C"):
			raise WmsInputError("abc_class", "choose the class to count: A, B or C")
		classes = classes or {}
		rows = [r for r in rows if classes.get(r.item, "C") == abc_class]
	return [CountLine(r.bin, r.item, r.qty, r.rate) for r in sorted(rows, key=lambda r: (r.bin, r.item))]


def open_bin(lines: list[CountLine], bin: str) -> list[CountLine]:
	"""The counter reached a bin: its lines not yet counted in this round start from zero."""
	return [replace(ln, done=True, counted=0.0) if ln.bin == bin and not ln.done else ln for ln in lines]


def add_count(
	lines: list[CountLine],
	bin: str,
	item: str,
	qty: float,
	book: float = 0.0,
	rate: float = 0.0,
	set_to: bool = False,
) -> list[CountLine]:
	"""Add (or set) the counted quantity of an item in an opened bin; an item the plan does not
	list in that bin becomes a surplus line with the books' figure (usually 0)."""
	if qty != qty or qty < 0 or (not set_to and qty == 0):
		raise WmsInputError(item, "a counted quantity must be a number above zero")
	if any(ln.bin == bin and not ln.done for ln in lines):
		raise WmsInputError(bin, "scan the bin first")
	out, found = [], False
	for ln in lines:
		if ln.bin == bin and ln.item == item:
			found = True
			ln = replace(ln, counted=qty if set_to else ln.counted + qty)
		out.append(ln)
	if not found:
		out.append(CountLine(bin, item, book, rate, counted=qty, done=True))
	return out


@dataclass(frozen=True)
class Round:
	lines: list[CountLine]
	recounts: list[CountLine]  # asked again: counted from zero in the next round

	@property
	def final(self) -> bool:
		return not self.recounts


def close_round(lines: list[CountLine], max_value: float = 0.0, max_pct: float = 0.0) -> Round:
	"""Close a counting round: lines over the threshold that were counted once are asked again."""
	missing = sorted({ln.bin for ln in lines if not ln.done})
	if missing:
		raise WmsInputError(", ".join(missing), "these bins are not counted yet")
	out, again = [], []
	for ln in lines:
		if not ln.recount and needs_recount(ln.book, ln.counted, ln.rate, max_value, max_pct):
			ln = replace(ln, recount=True, first_count=ln.counted, counted=0.0, done=False)
			again.append(ln)
		out.append(ln)
	return Round(out, again)
