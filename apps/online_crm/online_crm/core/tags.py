"""Tags on a party: the manual ones people set, and auto-tags recomputed with the RFM scores.

Auto-tags are plain strings with a prefix, so they sit beside manual tags in Frappe's own tag
field (`_user_tags`) and its list filters, and a recompute can replace them without touching a
manual tag:

    segment:<RFM segment>         e.g. segment:Champions
    channel:<where they bought>   e.g. channel:B2B Portal, channel:Shopify (a shop's platform)
    region:<territory>            e.g. region:South China (not for ERPNext's root "All Territories")
    spend:<band of net spend>     spend:<1k, spend:1k-5k, spend:5k-20k, spend:20k+
    first:<month of first order>  e.g. first:2026-03 (over the whole history, not the RFM window)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

AUTO_PREFIXES = ("segment:", "channel:", "region:", "spend:", "first:")
SPEND_BANDS: tuple[tuple[float, str], ...] = ((1_000, "<1k"), (5_000, "1k-5k"), (20_000, "5k-20k"))
TOP_BAND = "20k+"
NO_REGION = frozenset({"", "All Territories"})


@dataclass(frozen=True)
class PartyFacts:
	segment: str | None = None
	channels: frozenset[str] = frozenset()  # th_channel values: "Desk", "B2B Portal", "Shopify:My Shop"
	region: str | None = None
	spend: float | None = None  # net spend in the RFM window
	first_order: date | None = None


def spend_band(amount: float) -> str:
	for upper, name in SPEND_BANDS:
		if amount < upper:
			return name
	return TOP_BAND


def channel_name(channel: str | None) -> str:
	"""A shop's channel "<platform>:<shop>" is tagged by its platform; empty is the desk."""
	return (channel or "Desk").split(":", 1)[0].strip() or "Desk"


def auto_tags(f: PartyFacts) -> frozenset[str]:
	out = set()
	if f.segment:
		out.add(f"segment:{f.segment}")
	out.update(f"channel:{channel_name(c)}" for c in f.channels)
	if f.region and f.region not in NO_REGION:
		out.add(f"region:{f.region}")
	if f.spend is not None:
		out.add(f"spend:{spend_band(f.spend)}")
	if f.first_order:
		out.add(f"first:{f.first_order.year:04d}-{f.first_order.month:02d}")
	return frozenset(out)


def is_auto(tag: str) -> bool:
	return tag.startswith(AUTO_PREFIXES)


def parse(user_tags: str | None) -> list[str]:
	"""Frappe's `_user_tags` text (",a,b") as a list, in order, without blanks or repeats."""
	seen: list[str] = []
	for t in (user_tags or "").split(","):
		t = t.strip()
		if t and t not in seen:
			seen.append(t)
	return seen


def merged(user_tags: str | None, auto: Iterable[str]) -> str:
	"""The `_user_tags` text with every manual tag kept (in its order) and the auto-tags replaced."""
	manual = [t for t in parse(user_tags) if not is_auto(t)]
	tags = manual + sorted(set(auto))
	return "," + ",".join(tags) if tags else ""
