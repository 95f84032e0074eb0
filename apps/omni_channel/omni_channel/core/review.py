"""Auto-review: named predicates, each returning a reason a person can read (or None).

`review(order, config, mapping)` runs them all and returns every reason found; an empty list
means the order may flow straight into a Sales Order. Each rule is a plain function so it can
be tested, switched off (`config.disabled`) and listed by name.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from omni_channel.core.order import CanonicalOrder
from omni_channel.core.skus import SkuMapping


@dataclass(frozen=True, slots=True)
class Reason:
	rule: str
	message: str


@dataclass(frozen=True)
class ReviewConfig:
	amount_limit: Decimal | None = None  # hold orders whose grand total is above this
	hold_on_buyer_note: bool = True
	blacklist: frozenset[str] = frozenset()  # buyer ids / nicks / emails / phones (normalised)
	blacklist_reasons: dict[str, str] = field(default_factory=dict)  # normalised entry → why (shown)
	price_floors: dict[str, Decimal] = field(default_factory=dict)  # sku → lowest net unit price
	served_regions: frozenset[str] | None = None  # country codes or "CN/浙江省"-style provinces; None = all
	mainland_mobile_required: bool = True  # for CN addresses
	disabled: frozenset[str] = frozenset()


_MOBILE = re.compile(r"1[3-9]\d{9}")
_PHONE_JUNK = re.compile(r"[\s\-().]")


def mainland_mobile(phone: str) -> str | None:
	"""The 11-digit mainland mobile number in `phone`, or None (masked, landline, foreign, short)."""
	p = _PHONE_JUNK.sub("", phone or "")
	for prefix in ("+86", "0086"):
		if p.startswith(prefix):
			p = p[len(prefix) :]
	if len(p) == 13 and p.startswith("86"):
		p = p[2:]
	return p if _MOBILE.fullmatch(p) else None


def norm_ident(s: str) -> str:
	return _PHONE_JUNK.sub("", s or "").casefold()


def amount_over_limit(order: CanonicalOrder, cfg: ReviewConfig, mapping: SkuMapping | None) -> Reason | None:
	if cfg.amount_limit is not None and order.grand_total > cfg.amount_limit:
		return Reason(
			"amount_over_limit",
			f"Order total {order.grand_total} {order.currency} is above the review limit of {cfg.amount_limit}.",
		)
	return None


def buyer_note(order: CanonicalOrder, cfg: ReviewConfig, mapping: SkuMapping | None) -> Reason | None:
	if cfg.hold_on_buyer_note and order.buyer_note.strip():
		return Reason("buyer_note", f"The buyer left a note: “{order.buyer_note.strip()[:200]}”.")
	return None


def incomplete_address(order: CanonicalOrder, cfg: ReviewConfig, mapping: SkuMapping | None) -> Reason | None:
	if not any(ln.quantity for ln in order.lines):
		return None
	missing = order.ship_to.missing_parts()
	if missing:
		return Reason("incomplete_address", f"The delivery address has no {', '.join(missing)}.")
	return None


def invalid_mobile(order: CanonicalOrder, cfg: ReviewConfig, mapping: SkuMapping | None) -> Reason | None:
	if not cfg.mainland_mobile_required or order.ship_to.country_code != "CN":
		return None
	phone = order.ship_to.phone
	if not phone:
		return Reason(
			"invalid_mobile",
			"The delivery address has no phone number; couriers in mainland China need a mobile.",
		)
	if mainland_mobile(phone) is None:
		return Reason(
			"invalid_mobile",
			f"“{phone}” is not a valid mainland mobile number (masked, landline or mistyped).",
		)
	return None


def blacklisted_buyer(order: CanonicalOrder, cfg: ReviewConfig, mapping: SkuMapping | None) -> Reason | None:
	if not cfg.blacklist:
		return None
	b = order.buyer
	for label, value in (
		("buyer", b.external_id),
		("nick", b.nick),
		("email", b.email),
		("phone", b.phone),
		("phone", order.ship_to.phone),
	):
		if value and norm_ident(value) in cfg.blacklist:
			why = cfg.blacklist_reasons.get(norm_ident(value))
			return Reason(
				"blacklisted_buyer", f"The {label} {value} is on the blacklist" + (f": {why}" if why else ".")
			)
	return None


def unmapped_sku(order: CanonicalOrder, cfg: ReviewConfig, mapping: SkuMapping | None) -> Reason | None:
	if mapping is None or not mapping.unmapped:
		return None
	names = ", ".join(f"{ln.sku or '(no SKU)'} “{ln.title[:40]}”" for ln in mapping.unmapped)
	return Reason(
		"unmapped_sku", f"No item found for {names}; link the SKU to an item, then release the order."
	)


def price_under_floor(order: CanonicalOrder, cfg: ReviewConfig, mapping: SkuMapping | None) -> Reason | None:
	if not cfg.price_floors:
		return None
	low = []
	for ln in order.lines:
		floor = cfg.price_floors.get(ln.sku)
		if floor is not None and ln.quantity and ln.amount / ln.quantity < floor:
			low.append(f"{ln.sku} at {(ln.amount / ln.quantity).quantize(Decimal('0.01'))} (floor {floor})")
	if low:
		return Reason("price_under_floor", "Sold below the price floor: " + "; ".join(low) + ".")
	return None


def region_not_served(order: CanonicalOrder, cfg: ReviewConfig, mapping: SkuMapping | None) -> Reason | None:
	if cfg.served_regions is None:
		return None
	a = order.ship_to
	if a.country_code in cfg.served_regions or f"{a.country_code}/{a.province}" in cfg.served_regions:
		return None
	where = f"{a.province}, {a.country_code}" if a.province else a.country_code or "an unknown country"
	return Reason("region_not_served", f"We do not deliver to {where}.")


def total_mismatch(order: CanonicalOrder, cfg: ReviewConfig, mapping: SkuMapping | None) -> Reason | None:
	from omni_channel.core.totals import check

	m = check(order)
	return Reason("total_mismatch", m.message) if m else None


Rule = Callable[[CanonicalOrder, ReviewConfig, "SkuMapping | None"], "Reason | None"]

RULES: tuple[tuple[str, Rule], ...] = (
	("amount_over_limit", amount_over_limit),
	("buyer_note", buyer_note),
	("incomplete_address", incomplete_address),
	("invalid_mobile", invalid_mobile),
	("blacklisted_buyer", blacklisted_buyer),
	("unmapped_sku", unmapped_sku),
	("price_under_floor", price_under_floor),
	("region_not_served", region_not_served),
	("total_mismatch", total_mismatch),
)


def review(order: CanonicalOrder, config: ReviewConfig, mapping: SkuMapping | None = None) -> list[Reason]:
	"""Every reason to hold this order for a person; [] means it may go through."""
	out = []
	for name, rule in RULES:
		if name in config.disabled:
			continue
		r = rule(order, config, mapping)
		if r is not None:
			out.append(r)
	return out


def make_blacklist(values) -> frozenset[str]:
	"""Normalise blacklist entries the way the rule compares them (spaces, dashes, case ignored)."""
	return frozenset(norm_ident(v) for v in values if v)
