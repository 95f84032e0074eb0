"""Money after the sale: settlement statements → accounting lines and variances; refunds → return intents.

Accounting lines name *roles*, not accounts; the adapter maps each role to the company's
ERPNext account (shop settings) and writes a Journal Entry. Every settlement line becomes a
balanced pair against the platform clearing account, so each order's lines balance.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from omni_channel.core.errors import ChannelInputError
from omni_channel.core.order import CanonicalOrder, Refund, order_key

# settlement line kind → the role it is booked to (sign of the amount decides debit or credit)
KIND_ROLE = {
	"sale": "receivable",  # the buyer's payment, collected by the platform for us
	"refund": "receivable",  # negative: money given back to the buyer
	"commission": "commission_expense",
	"service_fee": "service_fee_expense",
	"payment_fee": "payment_fee_expense",
	"promotion_subsidy": "promotion_subsidy_income",  # positive: the platform pays part of a discount
	"shipping": "shipping_expense",  # negative: label bought through the platform; positive: shipping subsidy
	"adjustment": "platform_adjustment",
}
CLEARING = "platform_clearing"
CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class SettlementLine:
	order_id: str  # the platform's order id
	kind: str  # a key of KIND_ROLE
	amount: Decimal  # signed, from the shop's side: + money to us, − money to the platform
	memo: str = ""


@dataclass(frozen=True)
class Statement:
	shop: str
	statement_id: str
	currency: str
	period_end: date
	lines: tuple[SettlementLine, ...]
	payout: Decimal  # what the platform says it paid out


@dataclass(frozen=True, slots=True)
class Expected:
	"""What an order should bring in, from the ERP's point of view."""

	order_id: str
	amount: Decimal  # grand total − refunds
	commission_rate: Decimal | None = None  # e.g. 0.05; None = not checked


@dataclass(frozen=True, slots=True)
class AccountingLine:
	order_key: str
	role: str
	debit: Decimal
	credit: Decimal
	memo: str = ""


@dataclass(frozen=True, slots=True)
class Variance:
	order_id: str
	kind: str  # amount | commission | unknown_order | not_settled | payout
	expected: Decimal
	actual: Decimal
	message: str


@dataclass(frozen=True)
class Reconciliation:
	lines: tuple[AccountingLine, ...]
	variances: tuple[Variance, ...]
	net_by_order: dict[str, Decimal]


def expected_from_order(order: CanonicalOrder, commission_rate: Decimal | None = None) -> Expected:
	return Expected(order.external_id, order.grand_total - order.refunded_total, commission_rate)


def reconcile(
	statement: Statement,
	expected: Mapping[str, Expected],
	tolerance: Decimal = CENT,
	expect_all: bool = False,
) -> Reconciliation:
	"""Book every statement line and list what does not match what the orders expected."""
	lines: list[AccountingLine] = []
	per_order: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
	for i, sl in enumerate(statement.lines):
		role = KIND_ROLE.get(sl.kind)
		if role is None:
			raise ChannelInputError(
				"bad_value", f"settlement line {i} has an unknown kind {sl.kind!r}", f"lines[{i}].kind"
			)
		if not isinstance(sl.amount, Decimal) or not sl.amount.is_finite():
			raise ChannelInputError(
				"wrong_type", f"settlement line {i} amount must be a finite Decimal", f"lines[{i}].amount"
			)
		key = order_key(statement.shop, sl.order_id)
		a = sl.amount
		memo = sl.memo or f"{statement.statement_id} {sl.kind}"
		if a > 0:  # money to us: clearing up, the role credited
			lines += [
				AccountingLine(key, CLEARING, a, Decimal(0), memo),
				AccountingLine(key, role, Decimal(0), a, memo),
			]
		elif a < 0:
			lines += [
				AccountingLine(key, role, -a, Decimal(0), memo),
				AccountingLine(key, CLEARING, Decimal(0), -a, memo),
			]
		per_order[sl.order_id][sl.kind] += a

	variances = []
	net_by_order = {}
	for oid, kinds in per_order.items():
		net = sum(kinds.values(), Decimal(0))
		net_by_order[oid] = net
		exp = expected.get(oid)
		if exp is None:
			variances.append(
				Variance(
					oid, "unknown_order", Decimal(0), net, f"Order {oid} is settled but not known to us."
				)
			)
			continue
		received = kinds.get("sale", Decimal(0)) + kinds.get("refund", Decimal(0))
		if abs(received - exp.amount) > tolerance:
			variances.append(
				Variance(
					oid,
					"amount",
					exp.amount,
					received,
					f"Order {oid}: buyer paid {received} by the statement, {exp.amount} by our order.",
				)
			)
		if exp.commission_rate is not None:
			want = (kinds.get("sale", Decimal(0)) * exp.commission_rate).quantize(CENT)
			got = -kinds.get("commission", Decimal(0))
			if abs(got - want) > tolerance:
				variances.append(
					Variance(
						oid,
						"commission",
						want,
						got,
						f"Order {oid}: commission {got}, expected {want} at {exp.commission_rate:%}.",
					)
				)
	if expect_all:
		for oid, exp in expected.items():
			if oid not in per_order:
				variances.append(
					Variance(
						oid,
						"not_settled",
						exp.amount,
						Decimal(0),
						f"Order {oid} is missing from statement {statement.statement_id}.",
					)
				)
	total = sum(net_by_order.values(), Decimal(0))
	if abs(total - statement.payout) > tolerance:
		variances.append(
			Variance(
				"",
				"payout",
				total,
				statement.payout,
				f"Statement lines add up to {total}, the platform paid out {statement.payout}.",
			)
		)
	return Reconciliation(tuple(lines), tuple(variances), net_by_order)


# ---- refunds → return intents -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReturnLine:
	external_line_id: str
	item_code: str
	qty: int
	action: str  # restock | cancel_unshipped | no_return
	warehouse: str = ""  # where the goods go back (restock only)
	condition: str = ""  # good | defective


@dataclass(frozen=True)
class ReturnIntent:
	order_key: str
	refund_id: str
	credit_amount: Decimal  # for the Credit Note / return Sales Invoice
	lines: tuple[ReturnLine, ...]
	notes: tuple[str, ...] = ()


def return_intent(
	order: CanonicalOrder,
	refund: Refund,
	item_codes: Mapping[str, str],
	inspection: Mapping[str, str],
	good_warehouse: str,
	defective_warehouse: str,
) -> ReturnIntent:
	"""What the ERP should do about one refund.

	Units refunded but never shipped reduce the open order (`cancel_unshipped`). Shipped units
	come back only when the refund asks for a restock and inspection says `good` or `defective`
	(to the matching warehouse); `missing`, or no inspection yet, books them as `no_return` with
	a note, so nothing lands in stock unseen.
	"""
	by_id = {ln.external_line_id: ln for ln in order.lines}
	out, notes = [], []
	for rl in refund.lines:
		line = by_id.get(rl.external_line_id)
		if line is None:
			raise ChannelInputError(
				"bad_value",
				f"refund {refund.external_id} names line {rl.external_line_id}, which the order does not have",
			)
		if rl.quantity > line.quantity:
			raise ChannelInputError(
				"bad_value",
				f"refund {refund.external_id} returns {rl.quantity} of line {rl.external_line_id}, ordered {line.quantity}",
			)
		item = item_codes.get(rl.external_line_id, "")
		unshipped = min(rl.quantity, max(0, line.quantity - line.shipped_qty))
		shipped_back = rl.quantity - unshipped
		if unshipped:
			out.append(ReturnLine(rl.external_line_id, item, unshipped, "cancel_unshipped"))
		if shipped_back:
			cond = inspection.get(rl.external_line_id, "")
			if rl.restock and cond in ("good", "defective"):
				wh = good_warehouse if cond == "good" else defective_warehouse
				out.append(ReturnLine(rl.external_line_id, item, shipped_back, "restock", wh, cond))
			else:
				out.append(ReturnLine(rl.external_line_id, item, shipped_back, "no_return", condition=cond))
				why = (
					"refund without return"
					if not rl.restock
					else ("not inspected yet" if not cond else f"inspection: {cond}")
				)
				notes.append(f"{shipped_back} × {item or rl.external_line_id} not restocked ({why})")
	return ReturnIntent(order.key, refund.external_id, refund.amount, tuple(out), tuple(notes))
