"""Platform SKU → ERPNext item code: exact SKU, then barcode, then held for a person.

A line is never dropped: what cannot be mapped comes back in `unmapped`, and the review rule
`unmapped_sku` holds the order until someone links the SKU.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from omni_channel.core.order import CanonicalOrder, OrderLine


class ItemLookup(Protocol):
	"""The adapter answers from Item (item_code / Item Barcode / a per-shop SKU alias table)."""

	def by_sku(self, sku: str) -> str | None: ...

	def by_barcode(self, barcode: str) -> str | None: ...


@dataclass(frozen=True, slots=True)
class MappedLine:
	line: OrderLine
	item_code: str
	via: str  # sku | barcode | sku_as_barcode


@dataclass(frozen=True)
class SkuMapping:
	mapped: tuple[MappedLine, ...]
	unmapped: tuple[OrderLine, ...]

	@property
	def complete(self) -> bool:
		return not self.unmapped


class DictLookup:
	"""A lookup over two dicts (tests, benchmarks, a cache in front of the ERP)."""

	def __init__(self, skus: dict[str, str] | None = None, barcodes: dict[str, str] | None = None):
		self.skus = skus or {}
		self.barcodes = barcodes or {}

	def by_sku(self, sku: str) -> str | None:
		return self.skus.get(sku)

	def by_barcode(self, barcode: str) -> str | None:
		return self.barcodes.get(barcode)


def map_line(line: OrderLine, lookup: ItemLookup) -> MappedLine | None:
	if line.sku:
		code = lookup.by_sku(line.sku)
		if code:
			return MappedLine(line, code, "sku")
	if line.barcode:
		code = lookup.by_barcode(line.barcode)
		if code:
			return MappedLine(line, code, "barcode")
	if line.sku:  # sellers often type the EAN into the SKU field
		code = lookup.by_barcode(line.sku)
		if code:
			return MappedLine(line, code, "sku_as_barcode")
	return None


def map_skus(order: CanonicalOrder, lookup: ItemLookup) -> SkuMapping:
	mapped, unmapped = [], []
	for line in order.lines:
		m = map_line(line, lookup)
		if m is None:
			unmapped.append(line)
		else:
			mapped.append(m)
	return SkuMapping(tuple(mapped), tuple(unmapped))
