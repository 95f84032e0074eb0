"""The checks a wholesale cart must pass before it becomes a Sales Order.

Prices are not decided here: ERPNext prices every line (price list of the customer's tier,
pricing rules) and hands the priced lines in. This module decides whether the order may be
placed: quantities, minimum order quantities, stock (actual − reserved) and credit headroom.
Every refusal carries a code, the item it concerns and a sentence a buyer can read.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation


@dataclass(frozen=True)
class Problem:
	"""One reason an order cannot be placed. `template` is the English sentence with {named} gaps,
	so the surface can translate it (Chinese, English) before filling in `params`."""

	code: str  # bad_quantity | unknown_item | below_moq | out_of_stock | no_price | over_credit | empty_cart
	# | too_many_lines | over_max_qty | not_pack_multiple | bad_address | bad_date | long_note
	template: str
	item_code: str | None = None
	params: tuple[tuple[str, object], ...] = ()

	@property
	def message(self) -> str:
		return self.render(self.template)

	def render(self, template: str) -> str:
		return template.format(**dict(self.params))


def _problem(code: str, template: str, item_code: str | None = None, **params) -> Problem:
	return Problem(code, template, item_code, tuple(params.items()))


class CartRejected(Exception):
	"""The cart cannot be ordered; `problems` says why, line by line."""

	def __init__(self, problems: list[Problem]):
		self.problems = problems
		super().__init__("; ".join(p.message for p in problems))


@dataclass(frozen=True)
class CartLine:
	item_code: str
	qty: float


@dataclass(frozen=True)
class ItemFacts:
	"""What the shop knows of an item a buyer may order."""

	item_code: str
	sellable: bool = True  # exists, enabled, a sales item, shown in the mall
	moq: float = 0.0  # minimum quantity per order line; 0 = none
	pack: float = 0.0  # the line's quantity must be a whole number of packs of this size; 0 = any


@dataclass(frozen=True)
class PricedLine:
	item_code: str
	qty: float
	rate: float  # as ERPNext priced it for this customer
	amount: float


@dataclass(frozen=True)
class Credit:
	"""Customer Credit Limit for the company, and what is already owed or ordered (0 limit = none)."""

	limit: float
	outstanding: float

	@property
	def headroom(self) -> float:
		return math.inf if self.limit <= 0 else self.limit - self.outstanding


@dataclass
class CartCheck:
	lines: list[CartLine]
	problems: list[Problem] = field(default_factory=list)

	@property
	def ok(self) -> bool:
		return not self.problems


@dataclass(frozen=True)
class CartLimits:
	"""What one order may hold (B2B Mall Settings); 0 = no limit."""

	max_lines: int = 0  # lines as sent, before repeated items are merged
	max_qty: float = 0.0  # per item, after merging


def parse_lines(raw: object, limits: CartLimits = CartLimits()) -> list[CartLine]:
	"""Client input → cart lines, merging repeated items. Raises CartRejected on malformed input.

	Accepts a list of {"item_code": str, "qty": number}. Quantities must be finite and > 0. A cart
	over `limits.max_lines` is refused before any line is read; a merged quantity over
	`limits.max_qty` is refused for its item.
	"""
	if not isinstance(raw, list) or not raw:
		raise CartRejected([_problem("empty_cart", "The cart is empty.")])
	if limits.max_lines and len(raw) > limits.max_lines:
		raise CartRejected(
			[
				_problem(
					"too_many_lines",
					"The cart has {lines} lines; one order takes at most {max_lines}.",
					lines=len(raw),
					max_lines=limits.max_lines,
				)
			]
		)
	merged: dict[str, float] = {}
	problems = []
	for i, row in enumerate(raw, start=1):
		if not isinstance(row, Mapping):
			problems.append(_problem("bad_quantity", "Line {line} is not an item and a quantity.", line=i))
			continue
		code = row.get("item_code")
		if not isinstance(code, str) or not code.strip():
			problems.append(_problem("unknown_item", "Line {line} names no item.", line=i))
			continue
		code = code.strip()
		qty = _number(row.get("qty"))
		if qty is None or qty <= 0:
			problems.append(
				_problem("bad_quantity", "{item}: quantity must be a number above zero.", code, item=code)
			)
			continue
		merged[code] = merged.get(code, 0.0) + qty
	if limits.max_qty:
		problems += [
			_problem(
				"over_max_qty",
				"{item}: one order takes at most {max_qty:g}, you asked for {qty:g}.",
				code,
				item=code,
				max_qty=limits.max_qty,
				qty=qty,
			)
			for code, qty in merged.items()
			if qty > limits.max_qty + 1e-9
		]
	if problems:
		raise CartRejected(problems)
	return [CartLine(code, qty) for code, qty in merged.items()]


def _number(value: object) -> float | None:
	if isinstance(value, bool):
		return None
	try:
		d = Decimal(str(value))
	except (InvalidOperation, ValueError):
		return None
	f = float(d) if d.is_finite() else math.inf
	return f if math.isfinite(f) else None


def check_items(lines: Iterable[CartLine], items: Mapping[str, ItemFacts]) -> list[Problem]:
	"""Every line names a sellable item, meets its minimum order quantity and is whole packs."""
	problems = []
	for line in lines:
		facts = items.get(line.item_code)
		if facts is None or not facts.sellable:
			problems.append(
				_problem(
					"unknown_item", "{item}: no such item in the mall.", line.item_code, item=line.item_code
				)
			)
		elif facts.moq and line.qty < facts.moq:
			problems.append(
				_problem(
					"below_moq",
					"{item}: the minimum order is {moq:g}, you asked for {qty:g}.",
					line.item_code,
					item=line.item_code,
					moq=facts.moq,
					qty=line.qty,
				)
			)
		elif not is_pack_multiple(line.qty, facts.pack):
			problems.append(
				_problem(
					"not_pack_multiple",
					"{item}: sold in packs of {pack:g}, you asked for {qty:g}.",
					line.item_code,
					item=line.item_code,
					pack=facts.pack,
					qty=line.qty,
				)
			)
	return problems


def is_pack_multiple(qty: float, pack: float) -> bool:
	"""A quantity is a whole number of packs (any quantity when the item has no pack size)."""
	if not pack or pack <= 0:
		return True
	packs = qty / pack
	return abs(packs - round(packs)) < 1e-9 * max(1.0, abs(packs))


def check_stock(
	lines: Iterable[CartLine], available: Mapping[str, float], allow_backorder: bool = False
) -> list[Problem]:
	"""Each quantity fits in what is free to sell: actual − reserved (never below zero)."""
	if allow_backorder:
		return []
	problems = []
	for line in lines:
		free = max(0.0, float(available.get(line.item_code, 0.0)))
		if line.qty > free + 1e-9:
			problems.append(
				_problem(
					"out_of_stock",
					"{item}: only {available:g} available, you asked for {qty:g}.",
					line.item_code,
					item=line.item_code,
					available=free,
					qty=line.qty,
				)
			)
	return problems


def check_prices(priced: Iterable[PricedLine]) -> list[Problem]:
	"""Every line got a price from the customer's price list or a pricing rule."""
	return [
		_problem(
			"no_price", "{item}: no price is set for your customer group.", p.item_code, item=p.item_code
		)
		for p in priced
		if p.rate <= 0
	]


def check_credit(order_total: float, credit: Credit) -> list[Problem]:
	"""The order fits in the credit limit left after what the customer already owes and has ordered."""
	if order_total <= credit.headroom + 1e-6:
		return []
	return [
		_problem(
			"over_credit",
			"This order of {total:,.2f} exceeds your remaining credit of {headroom:,.2f}.",
			total=order_total,
			headroom=max(credit.headroom, 0),
		)
	]


@dataclass(frozen=True)
class Checkout:
	"""What the buyer adds to the order besides the lines: where, when, and a note to the seller."""

	address: str | None = None  # one of the customer's Addresses; None = the customer's default
	delivery_date: date | None = None  # requested; None = today + the settings' delivery days
	note: str = ""
	redeem_points: int = 0  # loyalty points the buyer asks to redeem (checked in erp/account.py)


MAX_NOTE = 1000
MAX_DAYS_AHEAD = 365


def check_checkout(
	checkout: Checkout, today: date, own_addresses: Iterable[str], max_days: int = MAX_DAYS_AHEAD
) -> list[Problem]:
	"""The address is the customer's own, the date is today or later (within max_days), the note is short."""
	problems = []
	if checkout.address and checkout.address not in set(own_addresses):
		problems.append(_problem("bad_address", "Choose one of your own delivery addresses."))
	if checkout.delivery_date is not None:
		if checkout.delivery_date < today:
			problems.append(
				_problem(
					"bad_date",
					"The delivery date {date} is in the past.",
					date=checkout.delivery_date.isoformat(),
				)
			)
		elif (checkout.delivery_date - today).days > max_days:
			problems.append(
				_problem(
					"bad_date",
					"The delivery date can be at most {days} days ahead.",
					days=max_days,
				)
			)
	if len(checkout.note or "") > MAX_NOTE:
		problems.append(
			_problem("long_note", "The note to the seller takes at most {max} characters.", max=MAX_NOTE)
		)
	return problems


def check_order(
	lines: list[CartLine],
	items: Mapping[str, ItemFacts],
	available: Mapping[str, float],
	priced: list[PricedLine],
	credit: Credit,
	allow_backorder: bool = False,
) -> None:
	"""All checks together; raises CartRejected listing every problem found."""
	problems = check_items(lines, items)
	known = [ln for ln in lines if ln.item_code in items and items[ln.item_code].sellable]
	problems += check_stock(known, available, allow_backorder)
	problems += check_prices(priced)
	if not problems:
		problems += check_credit(sum(p.amount for p in priced), credit)
	if problems:
		raise CartRejected(problems)
