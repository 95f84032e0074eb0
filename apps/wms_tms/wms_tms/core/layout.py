"""A store of parallel aisles: where each bin is, and how far a picker walks between two of them.

Geometry (metres). Aisles run front to back and are numbered 1…n from the left; aisle a has
its centre line at x = a · aisle_pitch. A block is a band of aisles between two cross aisles;
block 0 is at the front. The front cross aisle of block b has its centre line at
y = b · (length + cross_aisle_width), its back cross aisle one aisle length further. Position
p (1…positions) of an aisle lies at the middle of its slot: y = front + cross/2 + (p − ½) · pitch.
Both sides (L, R) and every level of a position are picked from the same spot. The pack
station (depot) stands in the front cross aisle at x = depot_aisle · aisle_pitch.

A picker moves along aisles and cross aisles only, so the walk between two spots in
different aisles goes through a cross aisle; `distance` takes the shortest such walk.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from wms_tms.core.errors import WmsInputError

DEPOT = "__depot__"


@dataclass(frozen=True)
class Bin:
	name: str
	aisle: int
	position: int
	side: str = "L"
	level: int = 1
	block: int = 0


@dataclass(frozen=True)
class Spot:
	"""A place on the floor: aisle centre x, depth y, and the block whose aisle it is in (-1: a cross aisle)."""

	x: float
	y: float
	aisle: int
	block: int


@dataclass
class Layout:
	aisles: int
	positions: int
	blocks: int = 1
	position_pitch: float = 1.0
	aisle_pitch: float = 3.0
	cross_aisle_width: float = 2.0
	depot_aisle: float = 0.0
	bins: dict[str, Bin] = field(default_factory=dict)

	def __post_init__(self):
		for name, value in (("aisles", self.aisles), ("positions", self.positions), ("blocks", self.blocks)):
			if not isinstance(value, int) or value < 1:
				raise WmsInputError("layout", f"{name} must be a whole number of at least 1, not {value!r}")
		for name, value in (
			("position_pitch", self.position_pitch),
			("aisle_pitch", self.aisle_pitch),
			("cross_aisle_width", self.cross_aisle_width),
		):
			if not value > 0:
				raise WmsInputError("layout", f"{name} must be above zero, not {value!r}")
		if not (isinstance(self.depot_aisle, int | float) and 0 <= self.depot_aisle <= self.aisles + 1):
			raise WmsInputError(
				"layout", f"depot_aisle must lie between 0 and {self.aisles + 1}, not {self.depot_aisle!r}"
			)
		for b in self.bins.values():
			self._check(b)

	@classmethod
	def from_rows(cls, geometry: Mapping, rows: Iterable[Mapping]) -> Layout:
		"""From the ERPNext side: the store's geometry and its bins' coordinate fields.

		geometry: ``aisles``; ``positions`` (per aisle); ``blocks`` (default 1) or ``cross_aisles``
		(front + back + middle ones = blocks + 1); ``position_pitch`` (m) or ``aisle_length`` (m,
		shared by the positions); ``aisle_pitch`` (m between aisle centres, or ``aisle_spacing``);
		``cross_aisle_width`` (m); ``depot_aisle`` (where the pack station stands along the front
		cross aisle, in aisle numbers: 0 = left of aisle 1). Missing optional values — and zeros,
		which is how Frappe hands over an unset number field — take the defaults. rows: ``{"bin", "aisle", "position", "side", "level", "block"}``.
		"""
		g = dict(geometry)
		positions = _number(g, "positions", whole=True)
		blocks = _number(g, "blocks", whole=True, default=None)
		if blocks is None and g.get("cross_aisles"):
			blocks = _number(g, "cross_aisles", whole=True) - 1
		pitch = _number(g, "position_pitch", default=None)
		if pitch is None and g.get("aisle_length") and positions:
			pitch = _number(g, "aisle_length") / positions
		aisle_pitch = _number(g, "aisle_pitch", default=None)
		if aisle_pitch is None:
			aisle_pitch = _number(g, "aisle_spacing", default=3.0)
		layout = cls(
			aisles=_number(g, "aisles", whole=True),
			positions=positions,
			blocks=blocks or 1,
			position_pitch=pitch or 1.0,
			aisle_pitch=aisle_pitch,
			cross_aisle_width=_number(g, "cross_aisle_width", default=2.0),
			depot_aisle=_number(g, "depot_aisle", default=0.0),
		)
		for r in rows:
			name = str(r.get("bin") or "").strip()
			if not name:
				raise WmsInputError("layout", f"a bin row has no name: {dict(r)!r}")
			if name in layout.bins:
				raise WmsInputError(name, "the bin is listed twice")
			layout.add(
				Bin(
					name=name,
					aisle=_whole(r, "aisle"),
					position=_whole(r, "position"),
					side=str(r.get("side") or "L").upper(),
					level=_whole(r, "level", 1),
					block=_whole(r, "block", 0),
				)
			)
		return layout

	def add(self, b: Bin) -> None:
		self._check(b)
		self.bins[b.name] = b

	def _check(self, b: Bin) -> None:
		if not 1 <= b.aisle <= self.aisles:
			raise WmsInputError(b.name, f"aisle {b.aisle} is outside 1…{self.aisles}")
		if not 1 <= b.position <= self.positions:
			raise WmsInputError(b.name, f"position {b.position} is outside 1…{self.positions}")
		if not 0 <= b.block < self.blocks:
			raise WmsInputError(b.name, f"block {b.block} is outside 0…{self.blocks - 1}")
		if b.side not in ("L", "R"):
			raise WmsInputError(b.name, f"side must be L or R, not {b.side!r}")

	@cached_property
	def block_depth(self) -> float:
		"""Front cross-aisle centre to back cross-aisle centre of one block."""
		return self.cross_aisle_width + self.positions * self.position_pitch

	def spot(self, name: str) -> Spot:
		if name == DEPOT:
			return Spot(self.depot_aisle * self.aisle_pitch, 0.0, -1, -1)
		b = self.bins.get(name)
		if b is None:
			raise WmsInputError(name, "this bin is not in the store's layout")
		front = b.block * self.block_depth
		y = front + self.cross_aisle_width / 2 + (b.position - 0.5) * self.position_pitch
		return Spot(b.aisle * self.aisle_pitch, y, b.aisle, b.block)

	def distance(self, a: str, b: str) -> float:
		"""Shortest walk between two bins (or DEPOT) along aisles and cross aisles."""
		return self.walk(self.spot(a), self.spot(b))

	def walk(self, p: Spot, q: Spot) -> float:
		if p.aisle == q.aisle and p.block == q.block and p.aisle >= 0:
			return abs(p.y - q.y)
		dx = abs(p.x - q.x)
		best = float("inf")
		# leave p's aisle by one of its block's two cross aisles (a spot in a cross aisle is already there)
		for yp in self._exits(p):
			for yq in self._exits(q):
				best = min(best, abs(p.y - yp) + dx + abs(yp - yq) + abs(q.y - yq))
		return best

	def _exits(self, s: Spot) -> tuple[float, ...]:
		if s.aisle < 0:
			return (s.y,)
		front = s.block * self.block_depth
		return (front, front + self.block_depth)


def _whole(row: Mapping, key: str, default: int | None = None) -> int:
	value = row.get(key)
	if value in (None, "") and default is not None:
		return default
	try:
		number = float(value)
	except (TypeError, ValueError):
		number = float("nan")
	if not math.isfinite(number) or number != int(number):
		raise WmsInputError(str(row.get("bin", "?")), f"{key} must be a whole number, not {value!r}")
	return int(number)


def _number(g: Mapping, key: str, whole: bool = False, default=...):
	value = g.get(key)
	if value in (None, "") or (value == 0 and default is not ... and key != "depot_aisle"):
		if default is ...:
			raise WmsInputError("layout", f"{key} is missing")
		return default
	try:
		number = float(value)
	except (TypeError, ValueError):
		raise WmsInputError("layout", f"{key} must be a number, not {value!r}") from None
	if not math.isfinite(number):
		raise WmsInputError("layout", f"{key} must be a number, not {value!r}")
	if whole:
		if number != int(number):
			raise WmsInputError("layout", f"{key} must be a whole number, not {value!r}")
		return int(number)
	return number
