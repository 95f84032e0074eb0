"""A courier's bill (对账单) as a CSV file: read line by line, then held against what we expected.

The header names the columns, in English or Chinese, in any order:
    tracking number  — tracking_no, tracking number, waybill, 运单号, 快递单号
    billed weight    — weight, weight_kg, 计费重量, 重量      (kg; optional)
    amount           — amount, charge, freight, 运费, 金额      (the money billed)
Files come as UTF-8 (with or without a BOM) or as GB18030/GBK, as spreadsheet programs in China
save them. Amounts may carry ¥/￥, thousands separators and spaces.

A line that cannot be used is refused on its own, with its line number and the reason; the other
lines go on. A tracking number billed twice is refused the second time (a courier's double charge).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")

COLUMNS = {
	"tracking_no": (
		"tracking_no",
		"tracking number",
		"tracking",
		"waybill",
		"waybill_no",
		"运单号",
		"快递单号",
	),
	"weight": ("weight", "weight_kg", "billed weight", "计费重量", "重量"),
	"amount": ("amount", "charge", "freight", "运费", "金额"),
}
MAX_LINES = 20000


@dataclass(frozen=True)
class BillLine:
	line_no: int
	tracking_no: str
	weight: Decimal | None
	amount: Decimal


@dataclass(frozen=True)
class RefusedLine:
	line_no: int
	text: str
	reason: str


@dataclass(frozen=True)
class Expected:
	tracking_no: str
	delivery_note: str
	amount: Decimal
	weight: Decimal | None = None


@dataclass(frozen=True)
class Variance:
	line_no: int
	tracking_no: str
	delivery_note: str
	billed: Decimal
	expected: Decimal | None
	difference: Decimal
	status: str  # Matched, Overcharged, Undercharged, Not ours


class BillFormatError(ValueError):
	"""The file as a whole cannot be read (no header, no amount column, not text)."""


def decode(data: bytes) -> str:
	for encoding in ("utf-8-sig", "gb18030"):
		try:
			return data.decode(encoding)
		except UnicodeDecodeError:
			continue
	raise BillFormatError("the file is neither UTF-8 nor GB18030 text")


def _header_map(header: list[str]) -> dict[str, int]:
	found: dict[str, int] = {}
	for i, name in enumerate(header):
		key = name.strip().lower()
		for column, aliases in COLUMNS.items():
			if key in aliases and column not in found:
				found[column] = i
	missing = [c for c in ("tracking_no", "amount") if c not in found]
	if missing:
		raise BillFormatError(
			"the header has no column for " + " and ".join(missing) + f" (found: {', '.join(header)})"
		)
	return found


def _number(text: str) -> Decimal:
	cleaned = text.strip().replace("¥", "").replace("￥", "").replace(",", "").replace(" ", "")
	if not cleaned:
		raise InvalidOperation
	d = Decimal(cleaned)
	if not d.is_finite():
		raise InvalidOperation
	return d


def parse(data: bytes | str) -> tuple[list[BillLine], list[RefusedLine]]:
	text = decode(data) if isinstance(data, bytes) else data.lstrip("\ufeff")
	rows = list(csv.reader(io.StringIO(text)))
	while rows and not any(c.strip() for c in rows[0]):
		rows.pop(0)
	if not rows:
		raise BillFormatError("the file is empty")
	cols = _header_map(rows[0])
	if len(rows) - 1 > MAX_LINES:
		raise BillFormatError(f"more than {MAX_LINES} lines: split the bill")
	lines: list[BillLine] = []
	refused: list[RefusedLine] = []
	seen: dict[str, int] = {}
	for n, row in enumerate(rows[1:], start=2):  # line numbers as a spreadsheet shows them
		if not any(c.strip() for c in row):
			continue
		raw = ",".join(row)

		def cell(column: str, row: list[str] = row) -> str:
			i = cols.get(column)
			return row[i].strip() if i is not None and i < len(row) else ""

		tracking = cell("tracking_no")
		if not tracking:
			refused.append(RefusedLine(n, raw, "no tracking number"))
			continue
		if len(tracking) > 64 or not all(ch.isalnum() or ch in "-_" for ch in tracking):
			refused.append(RefusedLine(n, raw, f"{tracking[:64]!r} is not a tracking number"))
			continue
		try:
			amount = _number(cell("amount"))
		except (InvalidOperation, ValueError):
			refused.append(RefusedLine(n, raw, f"amount {cell('amount')!r} is not a number"))
			continue
		if amount < 0:
			refused.append(RefusedLine(n, raw, f"amount {amount} is negative"))
			continue
		weight = None
		if cell("weight"):
			try:
				weight = _number(cell("weight"))
			except (InvalidOperation, ValueError):
				refused.append(RefusedLine(n, raw, f"weight {cell('weight')!r} is not a number"))
				continue
			if weight < 0:
				refused.append(RefusedLine(n, raw, f"weight {weight} is negative"))
				continue
		if tracking in seen:
			refused.append(
				RefusedLine(n, raw, f"{tracking} is billed again (first on line {seen[tracking]})")
			)
			continue
		seen[tracking] = n
		lines.append(BillLine(n, tracking, weight, amount.quantize(CENT, ROUND_HALF_UP)))
	return lines, refused


def reconcile(
	lines: list[BillLine], expected: dict[str, Expected], tolerance: Decimal = Decimal(0)
) -> list[Variance]:
	"""Each billed line against the charge we expected for its tracking number. A difference within
	`tolerance` (either way) is Matched; a tracking number we never shipped is Not ours."""
	out = []
	for line in lines:
		exp = expected.get(line.tracking_no)
		if exp is None:
			out.append(
				Variance(line.line_no, line.tracking_no, "", line.amount, None, line.amount, "Not ours")
			)
			continue
		diff = (line.amount - exp.amount).quantize(CENT)
		if abs(diff) <= tolerance:
			status = "Matched"
		else:
			status = "Overcharged" if diff > 0 else "Undercharged"
		out.append(
			Variance(line.line_no, line.tracking_no, exp.delivery_note, line.amount, exp.amount, diff, status)
		)
	return out
