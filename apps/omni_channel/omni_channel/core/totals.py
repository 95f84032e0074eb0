"""Money to the cent: does an order add up, and what its Sales Order books so that its grand total
is the platform's total.

`check(order)` reconciles the parts to the platform's total:

    lines (unit price × qty − line discount) − order discount + shipping + tax (unless the prices
    include it) + buyer-paid fees  [− refunds, where the platform's total already leaves them out]

and answers both numbers when they disagree (the order is then held; see `core.review`). A negative
total is refused by `refuse_negative`.

`plan(order, round_rate)` is what the Sales Order holds: the open units at their exact net unit
price rounded the way ERPNext rounds a rate (`round_rate`, given by the adapter), shipping, tax and
fees as charges, and the difference between the rounded lines and the exact amounts booked as one
rounding row, so that the Sales Order's grand total equals `open_total`: the platform's total less
what was refunded and less what the platform already shipped outside ERPNext.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from omni_channel.core.errors import ChannelInputError
from omni_channel.core.order import CanonicalOrder

ZERO = Decimal(0)
TOLERANCE = Decimal("0.005")  # below half a cent the platform's own rounding agrees with ours


def refuse_negative(order: CanonicalOrder) -> CanonicalOrder:
	"""A platform total below zero is not an order: refused with a reason, never taken in."""
	if order.grand_total < 0:
		raise ChannelInputError(
			"bad_value", f"the order total {order.grand_total} is negative", "grand_total"
		)
	return order


def fees_total(order: CanonicalOrder) -> Decimal:
	return sum((f.amount for f in order.fees), ZERO)


def expected_total(order: CanonicalOrder) -> Decimal:
	"""The order's total as its parts add up."""
	total = order.lines_total - order.order_discount + order.shipping_amount + fees_total(order)
	if not order.taxes_included:
		total += order.tax_total
	if order.total_net_of_refunds:
		total -= order.refunded_total
	return total


@dataclass(frozen=True, slots=True)
class Mismatch:
	expected: Decimal  # the parts added up
	actual: Decimal  # the platform's total

	@property
	def message(self) -> str:
		cent = Decimal("0.01")
		parts, total = self.expected.quantize(cent), self.actual.quantize(cent)
		return (
			f"The order's parts add up to {parts} but the platform's total is {total} "
			f"(difference {total - parts}); check the order on the platform."
		)


def check(order: CanonicalOrder) -> Mismatch | None:
	"""None when the parts add up to the platform's total (within half a cent), else both numbers."""
	expected = expected_total(order)
	if abs(expected - order.grand_total) < TOLERANCE:
		return None
	return Mismatch(expected, order.grand_total)


@dataclass(frozen=True, slots=True)
class PlanLine:
	external_line_id: str
	qty: int
	rate: Decimal  # rounded as ERPNext rounds a rate
	exact_rate: Decimal  # the net unit price the buyer paid, unrounded


@dataclass(frozen=True, slots=True)
class Charge:
	kind: str  # shipping | tax | fee | adjustment | rounding
	description: str
	amount: Decimal


@dataclass(frozen=True)
class Plan:
	lines: tuple[PlanLine, ...]
	charges: tuple[Charge, ...]
	open_total: Decimal  # what the Sales Order's grand total must be

	@property
	def total(self) -> Decimal:
		return sum((ln.rate * ln.qty for ln in self.lines), ZERO) + sum(
			(c.amount for c in self.charges), ZERO
		)


def open_total(order: CanonicalOrder) -> Decimal:
	"""The platform's total less refunds and less the units the platform already shipped."""
	total = order.grand_total
	if not order.total_net_of_refunds:
		total -= order.refunded_total
	for ln in order.lines:
		done = ln.quantity - ln.open_qty - ln.refunded_qty
		if done > 0 and ln.quantity:
			total -= ln.amount / ln.quantity * done
	return total


def plan(order: CanonicalOrder, round_rate: Callable[[Decimal], Decimal], cent: Decimal) -> Plan:
	"""The Sales Order's rows for `order`; `cent` is the currency's smallest unit (0.01, 1 for JPY)."""
	lines = []
	exact = ZERO
	for ln in order.lines:
		if ln.open_qty <= 0 or not ln.quantity:
			continue
		unit = ln.amount / ln.quantity
		lines.append(PlanLine(ln.external_line_id, ln.open_qty, round_rate(unit), unit))
		exact += unit * ln.open_qty
	target = open_total(order)
	charges = []
	shipping = order.shipping_amount - sum((r.shipping_amount for r in order.refunds), ZERO)
	if shipping:
		charges.append(Charge("shipping", "Shipping", shipping))
	for f in order.fees:
		if f.amount:
			charges.append(Charge("fee", f.kind or "Fee", f.amount))
	# what is left of the platform's total after lines (exact), shipping and fees: the tax on top,
	# or, where the prices include tax, a platform adjustment (e.g. a refund's tax) — to the cent
	rest = (target - exact - sum((c.amount for c in charges), ZERO)).quantize(cent)
	if rest:
		if order.taxes_included:
			charges.append(Charge("adjustment", "Platform adjustment", rest))
		else:
			charges.append(Charge("tax", "Tax", rest))
	diff = target.quantize(cent) - (
		sum((pl.rate * pl.qty for pl in lines), ZERO) + sum((c.amount for c in charges), ZERO)
	)
	if diff:
		charges.append(Charge("rounding", "Rounding difference to the platform's total", diff))
	return Plan(tuple(lines), tuple(charges), target.quantize(cent))
