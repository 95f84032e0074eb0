"""The buyer's account, as rules: order line progress, overdue amounts, statement running balance,
the statement confirmation's states, and how many loyalty points an order or invoice may redeem.

No Frappe here: the ERPNext side (erp/account.py) reads the numbers and passes them in."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from b2b_mall.core.cart import Problem, _problem

# ---------------------------------------------------------------- order lines


@dataclass(frozen=True)
class LineProgress:
	ordered: float
	picked: float
	delivered: float
	invoiced: float

	@property
	def stage(self) -> str:
		"""The furthest step the whole line has reached."""
		if self.ordered > 0 and self.delivered >= self.ordered and self.invoiced >= self.ordered:
			return "Invoiced"
		if self.ordered > 0 and self.delivered >= self.ordered:
			return "Delivered"
		if self.delivered > 0:
			return "Partly delivered"
		if self.ordered > 0 and self.picked >= self.ordered:
			return "Picked"
		if self.picked > 0:
			return "Partly picked"
		return "Ordered"


def invoiced_qty(qty: float, amount: float, billed_amt: float) -> float:
	"""The quantity the line's billed amount stands for (ERPNext keeps billed_amt, not a quantity)."""
	if amount <= 0 or qty <= 0:
		return 0.0
	return round(min(qty, qty * billed_amt / amount), 6)


# ---------------------------------------------------------------- balance


@dataclass(frozen=True)
class OpenInvoice:
	name: str
	due_date: date
	outstanding: float


@dataclass(frozen=True)
class Overdue:
	total: float  # everything still owed on invoices
	overdue: float  # of it, past the due date
	buckets: tuple[tuple[str, float], ...]  # ("1-30", x), ("31-60", y), ("61-90", z), ("90+", w)
	invoices: tuple[OpenInvoice, ...]  # the overdue ones, oldest first


BUCKETS = ((1, 30, "1-30"), (31, 60, "31-60"), (61, 90, "61-90"), (91, None, "90+"))


def overdue(invoices: Iterable[OpenInvoice], today: date) -> Overdue:
	open_ = [i for i in invoices if i.outstanding > 0]
	late = sorted((i for i in open_ if i.due_date < today), key=lambda i: (i.due_date, i.name))
	sums = dict.fromkeys([b[2] for b in BUCKETS], 0.0)
	for inv in late:
		days = (today - inv.due_date).days
		for low, high, label in BUCKETS:
			if days >= low and (high is None or days <= high):
				sums[label] += inv.outstanding
				break
	return Overdue(
		total=round(sum(i.outstanding for i in open_), 2),
		overdue=round(sum(i.outstanding for i in late), 2),
		buckets=tuple((label, round(v, 2)) for label, v in sums.items()),
		invoices=tuple(late),
	)


def running_balance(opening: float, movements: Iterable[tuple[float, float]]) -> tuple[list[float], float]:
	"""Balance after each (debit, credit) line, and the closing balance."""
	balance, after = opening, []
	for debit, credit in movements:
		balance = round(balance + debit - credit, 6)
		after.append(balance)
	return after, balance


# ---------------------------------------------------------------- statement confirmation

CONFIRMED, DISPUTED, RESOLVED = "Confirmed", "Disputed", "Resolved"
MAX_COMMENT = 2000


def check_confirmation(
	status: str, comment: str, from_date: date, to_date: date, today: date
) -> list[Problem]:
	"""What the buyer sends: Confirmed, or Disputed with a reason; a period that has begun."""
	problems = []
	if status not in (CONFIRMED, DISPUTED):
		problems.append(_problem("bad_status", "Choose to confirm or to dispute the statement."))
	if status == DISPUTED and not (comment or "").strip():
		problems.append(_problem("no_reason", "Please say what is wrong with the statement."))
	if len(comment or "") > MAX_COMMENT:
		problems.append(
			_problem("long_comment", "The comment takes at most {max} characters.", max=MAX_COMMENT)
		)
	if from_date > to_date:
		problems.append(_problem("bad_period", "The statement must start before it ends."))
	elif from_date > today:
		problems.append(_problem("bad_period", "The statement period has not begun yet."))
	return problems


def may_become(old: str | None, new: str) -> bool:
	"""The accountant resolves a dispute; a confirmed statement stays confirmed; a resolved one may
	be disputed again by a new confirmation, not by editing this one."""
	if old is None or old == new:
		return True
	return (old, new) == (DISPUTED, RESOLVED)


# ---------------------------------------------------------------- loyalty points


@dataclass(frozen=True)
class Points:
	balance: int  # ERPNext's unexpired points
	pending: int  # asked for on orders and not yet redeemed on their invoices
	factor: float  # money per point (Loyalty Program conversion_factor)
	max_share: float  # percent of an order the points may pay (B2B Mall Settings)

	@property
	def available(self) -> int:
		return max(0, self.balance - self.pending)

	def cap_for(self, order_total: float) -> int:
		"""The most points an order of this total may redeem."""
		if self.factor <= 0 or order_total <= 0 or self.max_share <= 0:
			return 0
		by_share = math.floor(round(order_total * self.max_share / 100 / self.factor, 6))
		return max(0, min(self.available, by_share))


def check_redemption(points: int, p: Points, order_total: float) -> list[Problem]:
	if not points:
		return []
	if points < 0 or int(points) != points:
		return [_problem("bad_points", "Points to redeem must be a whole number above zero.")]
	if p.factor <= 0 or p.max_share <= 0:
		return [_problem("no_points", "Points cannot be redeemed on this account.")]
	if points > p.available:
		return [
			_problem(
				"over_points",
				"You have {available} points to redeem, you asked for {points}.",
				available=p.available,
				points=points,
			)
		]
	cap = p.cap_for(order_total)
	if points > cap:
		return [
			_problem(
				"over_share",
				"Points may pay at most {share}% of an order: {cap} points on this one, you asked for {points}.",
				share=f"{p.max_share:g}",
				cap=cap,
				points=points,
			)
		]
	return []


def points_for_invoice(
	requested: int, already: int, available: int, factor: float, invoice_total: float
) -> int:
	"""Of an order's requested points, what one invoice of it redeems: what earlier invoices of the
	order have not, no more than the customer still has, and no more than the invoice is worth."""
	if factor <= 0:
		return 0
	fits = math.floor(round(invoice_total / factor, 6))
	return max(0, min(requested - already, available, fits))
