"""Merge several orders into one parcel, or split one order into several.

Merge: same shop, same buyer, same address; all paid; none shipped, none sealed (the ERP has
started picking or a person locked it). `why_not_merge` says which condition fails.
Split: by presale line (ship the spot goods now), and by parcel weight (first-fit decreasing).
Split by warehouse stock is routing's job (`routing.route`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from omni_channel.core.order import CanonicalOrder, OrderLine


def why_not_merge(a: CanonicalOrder, b: CanonicalOrder, sealed: frozenset[str] = frozenset()) -> list[str]:
	why = []
	if a.shop != b.shop:
		why.append(f"{a.name} and {b.name} come from different shops")
	if a.buyer.identity != b.buyer.identity or not a.buyer.identity:
		why.append(f"{a.name} and {b.name} have different buyers")
	if a.ship_to.fingerprint() != b.ship_to.fingerprint():
		why.append(f"{a.name} and {b.name} go to different addresses")
	for o in (a, b):
		if not o.is_paid:
			why.append(f"{o.name} is not paid")
		if o.any_shipped:
			why.append(f"{o.name} has already shipped something")
		if o.status == "cancelled":
			why.append(f"{o.name} is cancelled")
		if o.key in sealed:
			why.append(f"{o.name} is sealed (picking started or locked by a person)")
	return why


def merge_groups(
	orders: Iterable[CanonicalOrder], sealed: frozenset[str] = frozenset()
) -> list[list[CanonicalOrder]]:
	"""Groups of two or more orders that may ship as one parcel, oldest first in each."""
	buckets: dict[tuple, list[CanonicalOrder]] = defaultdict(list)
	for o in orders:
		if (
			not o.buyer.identity
			or not o.is_paid
			or o.any_shipped
			or o.status == "cancelled"
			or o.key in sealed
		):
			continue
		buckets[(o.shop, o.buyer.identity, o.ship_to.fingerprint())].append(o)
	return [sorted(g, key=lambda o: o.created_at) for g in buckets.values() if len(g) > 1]


@dataclass(frozen=True)
class Part:
	"""A piece of an order: (external line id, quantity) pairs, with why it is separate."""

	lines: tuple[tuple[str, int], ...]
	reason: str
	weight_grams: int = 0


def split_presale(order: CanonicalOrder) -> list[Part]:
	"""Spot lines in one part, presale lines in another (only when both exist)."""
	spot = tuple((ln.external_line_id, ln.open_qty) for ln in order.lines if not ln.presale and ln.open_qty)
	pre = tuple((ln.external_line_id, ln.open_qty) for ln in order.lines if ln.presale and ln.open_qty)
	if spot and pre:
		return [Part(spot, "in stock now"), Part(pre, "presale: ships when the goods arrive")]
	return [Part(spot or pre, "whole order")]


def split_by_weight(lines: Iterable[OrderLine], max_grams: int) -> list[Part]:
	"""Parcels no heavier than `max_grams` (a unit heavier than that travels alone)."""
	if max_grams <= 0:
		raise ValueError("max_grams must be positive")
	units = sorted(
		((ln.weight_grams, ln.external_line_id) for ln in lines for _ in range(ln.open_qty)), reverse=True
	)
	parcels: list[list] = []  # [weight, {line: qty}]
	for w, lid in units:
		for p in parcels:
			if p[0] + w <= max_grams:
				p[0] += w
				p[1][lid] = p[1].get(lid, 0) + 1
				break
		else:
			parcels.append([w, {lid: 1}])
	out = []
	for w, content in parcels:
		why = (
			"over the parcel weight limit on its own"
			if w > max_grams
			else f"parcel of {w} g (limit {max_grams} g)"
		)
		out.append(Part(tuple(sorted(content.items())), why, w))
	return out
