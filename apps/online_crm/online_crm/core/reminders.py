"""Payment (催付) and logistics reminders: which orders a rule reminds, and by what means.

A rule has a kind, an optional sales channel and a wait:

* UNPAID — a marketplace order still unpaid `wait` minutes after it was placed;
* OVERDUE — a submitted invoice with money outstanding `wait` days after its due date;
* UNDELIVERED — an order shipped (Delivery Note submitted) and not delivered `wait` days later.

`due(rule, candidates, now)` keeps the candidates whose wait is over and whose channel matches
(empty: every channel; "Shopify" matches every Shopify shop, "Shopify:My Shop" only that shop).
`route(send_by, email, phone)` picks the means: none of the platform clients (Shopify, Taobao,
WooCommerce) offers a buyer-message call, so a reminder goes by SMS or e-mail.
A reminder is sent once per rule and order: `log_key` is unique in the reminder log.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

UNPAID = "Unpaid marketplace order"
OVERDUE = "Overdue invoice"
UNDELIVERED = "Shipped, not delivered"
KINDS = (UNPAID, OVERDUE, UNDELIVERED)

SMS_FIRST, EMAIL_FIRST, SMS_ONLY, EMAIL_ONLY = "SMS, else e-mail", "E-mail, else SMS", "SMS", "E-mail"
SEND_BY = (SMS_FIRST, EMAIL_FIRST, SMS_ONLY, EMAIL_ONLY)


@dataclass(frozen=True)
class Rule:
	name: str
	kind: str
	wait: int  # minutes for UNPAID, days otherwise
	channel: str = ""

	def __post_init__(self):
		if self.kind not in KINDS:
			raise ValueError(f"unknown reminder kind {self.kind!r}")
		if self.wait < 0:
			raise ValueError("the wait cannot be negative")

	@property
	def delay(self) -> timedelta:
		return timedelta(minutes=self.wait) if self.kind == UNPAID else timedelta(days=self.wait)


@dataclass(frozen=True)
class Candidate:
	doctype: str  # the document the reminder is about and logged on
	name: str
	since: datetime  # placed (UNPAID), due (OVERDUE), shipped (UNDELIVERED)
	channel: str = ""  # th_channel: "Desk", "B2B Portal", "<platform>:<shop>"
	email: str = ""
	phone: str = ""
	context: dict = field(default_factory=dict, compare=False, hash=False)


def channel_matches(rule_channel: str, channel: str) -> bool:
	want = (rule_channel or "").strip().casefold()
	have = (channel or "").strip().casefold()
	if not want:
		return True
	return have == want or (":" not in want and have.split(":", 1)[0] == want)


def due(rule: Rule, candidates: Iterable[Candidate], now: datetime) -> list[Candidate]:
	return [c for c in candidates if channel_matches(rule.channel, c.channel) and c.since + rule.delay <= now]


def route(send_by: str, email: str, phone: str) -> tuple[str | None, str]:
	"""("sms", number) or ("email", address), or (None, why nothing can be sent)."""
	email, phone = (email or "").strip(), (phone or "").strip()
	order = {
		SMS_FIRST: ("sms", "email"),
		EMAIL_FIRST: ("email", "sms"),
		SMS_ONLY: ("sms",),
		EMAIL_ONLY: ("email",),
	}.get(send_by)
	if order is None:
		raise ValueError(f"unknown means {send_by!r}")
	for means in order:
		if means == "sms" and phone:
			return "sms", phone
		if means == "email" and email:
			return "email", email
	missing = " or ".join("mobile number" if m == "sms" else "e-mail address" for m in order)
	return None, f"no {missing}"


def log_key(rule: str, doctype: str, name: str) -> str:
	return f"{rule}|{doctype}|{name}"
