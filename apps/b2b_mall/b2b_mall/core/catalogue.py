"""What the mall's catalogue shows a buyer, and how a quick order's lines are read.

Prices are not decided here: ERPNext prices an item for the buyer's customer at a quantity, and
this module only chooses which of those prices are worth showing as quantity breaks. Stock is
ERPNext's Bin (actual − reserved); this module turns it into a number or a band.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from b2b_mall.core.cart import Problem, _number, _problem

IN_STOCK, LOW, OUT = "in_stock", "low", "out"
MAX_PAGE_SIZE = 100
MAX_QUICK_LINES = 500


@dataclass(frozen=True)
class Page:
	number: int  # 1-based
	size: int

	@property
	def offset(self) -> int:
		return (self.number - 1) * self.size


def page_of(number: object, size: object, default_size: int = 20) -> Page:
	"""A page the server will read: whole numbers, page ≥ 1, 1 ≤ size ≤ MAX_PAGE_SIZE."""
	n = _number(number)
	s = _number(size)
	n = int(n) if n is not None and n >= 1 else 1
	s = int(s) if s is not None and s >= 1 else default_size
	return Page(min(n, 10**6), min(s, MAX_PAGE_SIZE))


def pages(total: int, size: int) -> int:
	return max(1, math.ceil(total / size)) if size else 1


def stock_band(free: float, low_level: float) -> str:
	"""in_stock / low / out for a free quantity; `low` at or below low_level (but above zero)."""
	if free <= 0:
		return OUT
	if free <= low_level:
		return LOW
	return IN_STOCK


def order_step(moq: float, pack: float) -> float:
	"""The smallest quantity a buyer can order: the MOQ rounded up to whole packs (at least one pack)."""
	pack = pack if pack and pack > 0 else 0.0
	least = max(moq or 0.0, pack or 0.0, 1.0 if not pack else pack)
	if pack:
		least = math.ceil(least / pack - 1e-9) * pack
	return least


@dataclass(frozen=True)
class Break:
	min_qty: float
	rate: float


def price_breaks(base_rate: float, priced_at: Iterable[tuple[float, float]]) -> list[Break]:
	"""The quantity breaks worth showing: (quantity, rate as ERPNext priced it there) → the
	quantities at which the rate falls below every smaller quantity's rate, cheapest last."""
	shown: list[Break] = []
	best = base_rate
	for qty, rate in sorted(priced_at):
		if rate > 0 and rate < best - 1e-9:
			shown.append(Break(qty, rate))
			best = rate
	return shown


# ---------------------------------------------------------------- quick order


@dataclass(frozen=True)
class QuickLine:
	line: int  # 1-based line (or row) number in what the buyer sent
	sku: str
	qty: float


HEADER_WORDS = {
	"sku",
	"item",
	"item_code",
	"item code",
	"code",
	"barcode",
	"qty",
	"quantity",
	"商品编码",
	"编码",
	"商品",
	"条码",
	"数量",
}
_SPLIT = re.compile(r"[\s,;\t，；]+")


def rows_from_text(text: str) -> list[list[str]]:
	"""Pasted lines: `SKU qty`, separated by spaces, tabs, commas or semicolons (also the Chinese ones)."""
	return [_SPLIT.split(line.strip()) if line.strip() else [] for line in (text or "").splitlines()]


def rows_from_csv(data: bytes) -> list[list[str]]:
	text = _decode(data)
	try:
		dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
	except csv.Error:
		dialect = csv.excel
	return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), dialect)]


def _decode(data: bytes) -> str:
	for enc in ("utf-8-sig", "gb18030"):
		try:
			return data.decode(enc)
		except UnicodeDecodeError:
			continue
	return data.decode("latin-1")


def _cell(value: object) -> str:
	if value is None:
		return ""
	if isinstance(value, float) and value.is_integer():
		return str(int(value))
	return str(value).strip()


def quick_lines(rows: list[list[object]]) -> tuple[list[QuickLine], list[tuple[int, Problem]]]:
	"""Rows (of text, a CSV or a sheet) → the good lines and, per bad line, its number and problem.

	Empty rows and rows starting with # are skipped, and so is a first row of column titles.
	Each other row must hold an item code (or barcode) and a quantity above zero."""
	good: list[QuickLine] = []
	bad: list[tuple[int, Problem]] = []
	counted = 0
	for number, raw in enumerate(rows, start=1):
		cells = [_cell(c) for c in raw]
		cells = [c for c in cells if c != ""]
		if not cells or cells[0].startswith("#"):
			continue
		if not good and not bad and all(c.lower() in HEADER_WORDS for c in cells):
			continue
		counted += 1
		if counted > MAX_QUICK_LINES:
			bad.append(
				(
					number,
					_problem(
						"too_many_lines",
						"A quick order takes at most {max_lines} lines; the rest were not read.",
						max_lines=MAX_QUICK_LINES,
					),
				)
			)
			break
		sku = cells[0]
		if len(cells) < 2:
			bad.append((number, _problem("bad_quantity", "{sku}: no quantity.", sku, sku=sku)))
			continue
		qty = _number(cells[1].replace(",", ""))
		if qty is None or qty <= 0:
			bad.append(
				(
					number,
					_problem("bad_quantity", "{item}: quantity must be a number above zero.", sku, item=sku),
				)
			)
			continue
		good.append(QuickLine(number, sku, qty))
	return good, bad
