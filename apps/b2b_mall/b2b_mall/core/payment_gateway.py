"""Online payment through a payment gateway: what every provider module offers, and the rules that
decide what a gateway's notification may do to our payment. No Frappe here.

A provider module (core/gateways/<provider>.py) turns a GatewayOrder into the URL of the
provider's cashier page, and a provider's asynchronous notification (the form it POSTs to us) into
a Notification, refusing anything whose signature, app or shape is wrong. `decide()` then says, from
the notification and what we asked for, whether the payment is to be posted, was already posted, is
money to hand back, or is refused — the same answer for a replay as for the first delivery.
"""

from __future__ import annotations

import datetime
import enum
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


def money(value) -> Decimal:
	"""An amount to the cent (a float from the database, a string from a gateway)."""
	try:
		d = Decimal(str(value).strip())
	except (InvalidOperation, ValueError):
		raise ValueError(f"not an amount: {value!r}") from None
	if not d.is_finite():
		raise ValueError(f"not an amount: {value!r}")
	return d.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class GatewayOrder:
	"""What we ask the buyer to pay: one trade at the gateway."""

	trade_no: str  # ours (the provider's out_trade_no): unique, at most 64 characters
	amount: Decimal
	currency: str
	subject: str
	notify_url: str
	return_url: str
	expires_at: datetime.datetime  # local time of the provider (Alipay: China Standard Time)


class Status(enum.Enum):
	PAID = "paid"  # the money is taken
	WAITING = "waiting"  # the trade exists, the buyer has not paid yet
	CLOSED = "closed"  # closed unpaid (timed out, cancelled) or fully refunded


@dataclass(frozen=True)
class Notification:
	"""A gateway's notification whose signature and app have been verified."""

	trade_no: str  # ours
	gateway_trade_no: str  # the provider's own number for the trade
	amount: Decimal
	status: Status
	raw_status: str


class Rejected(Exception):
	"""A notification that must change nothing. `reason` is a short code, `detail` says why."""

	def __init__(self, reason: str, detail: str = ""):
		super().__init__(f"{reason}: {detail}" if detail else reason)
		self.reason = reason
		self.detail = detail


class PaymentGateway(ABC):
	"""One provider. Instances hold the merchant's configuration (app id, keys, URLs)."""

	provider: str = ""
	currencies: frozenset[str] = frozenset()
	ack: str = "success"  # the body that tells the provider a notification was taken

	@abstractmethod
	def checkout_url(self, order: GatewayOrder, now: datetime.datetime) -> str:
		"""The signed URL of the provider's cashier page for this order."""

	@abstractmethod
	def parse_notification(self, body: bytes, content_type: str = "") -> Notification:
		"""The verified notification in this request body; Rejected if it is not genuine."""

	def check_currency(self, currency: str) -> None:
		if currency not in self.currencies:
			raise Rejected(
				"currency", f"{self.provider} takes {', '.join(sorted(self.currencies))}, not {currency}"
			)


class State(enum.Enum):
	"""Our payment, as the notification finds it (read under its row lock)."""

	PENDING = "Pending"
	PAID = "Paid"
	EXPIRED = "Expired"
	REFUND_NEEDED = "Refund Needed"


class Action(enum.Enum):
	POST = "post"  # make the Payment Entries and mark the payment paid
	ALREADY = "already"  # a replay of what was posted: answer the ack, change nothing
	WAIT = "wait"  # a notice that the trade exists or closed unpaid: nothing to post
	REFUND = "refund"  # money arrived for a payment we gave up: flag it for a refund, post nothing


def decide(n: Notification, state: State, expected: Decimal, paid_trade: str | None = None) -> Action:
	"""What a verified notification does to our payment in `state`, asked for `expected`.

	A paid notice must carry exactly the amount asked for (Rejected "amount" otherwise, whatever the
	state). A replay of the posted trade is ALREADY; a second gateway trade paying one of ours is
	money to refund. Paid after we expired the payment: REFUND (never posted)."""
	if n.status is not Status.PAID:
		return Action.WAIT
	if n.amount != money(expected):
		raise Rejected("amount", f"notified {n.amount}, asked for {money(expected)}")
	if state is State.PENDING:
		return Action.POST
	if state is State.PAID:
		return Action.ALREADY if paid_trade in (None, "", n.gateway_trade_no) else Action.REFUND
	if state is State.REFUND_NEEDED:
		return Action.ALREADY
	return Action.REFUND


_PROVIDERS: dict[str, str] = {"Alipay": "b2b_mall.core.gateways.alipay"}


def providers() -> list[str]:
	return sorted(_PROVIDERS)


def gateway_class(provider: str) -> type[PaymentGateway]:
	import importlib

	if provider not in _PROVIDERS:
		raise Rejected("provider", f"no gateway module for {provider!r}")
	return importlib.import_module(_PROVIDERS[provider]).Gateway


def form_fields(body: bytes, charset: str = "utf-8") -> dict[str, str]:
	"""An application/x-www-form-urlencoded body as a dict (a repeated field is refused)."""
	from urllib.parse import parse_qsl

	try:
		pairs = parse_qsl(body.decode(charset), keep_blank_values=True, strict_parsing=False)
	except (UnicodeDecodeError, LookupError, ValueError):
		raise Rejected("malformed", "the body is not a form in the stated charset") from None
	fields: dict[str, str] = {}
	for k, v in pairs:
		if k in fields:
			raise Rejected("malformed", f"field {k} appears twice")
		fields[k] = v
	return fields


def only(fields: Mapping[str, str], *names: str) -> dict[str, str]:
	return {k: fields[k] for k in names if k in fields}
