"""Campaign messages and what a campaign did, without Frappe.

* `render(template, context, html)`: a subject or body with Jinja placeholders such as
  `{{ customer_name }}`, rendered in Jinja's sandbox (no attribute tricks, no imports). In an
  e-mail (html=True) every value is HTML-escaped, so a customer called `<script>` stays text;
  an unknown placeholder is an error, never an empty hole in a sent message.
* `check_template(template, html)`: the same rendering with sample values, to refuse a
  broken template when the campaign is saved rather than half-way through sending.
* `conversion_lift` and `spend_lift`: the difference between the contacted group and the
  hold-out with a normal-approximation confidence interval (Wald for two proportions, Welch's
  standard error for two means).
* `spend_per_customer`: each group member's net spend in the window after the send, zero for
  those who bought nothing (the spend lift averages over everybody, not over buyers).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from online_crm.core.rfm import InvoiceFact, to_cents

PLACEHOLDERS = ("customer_name", "customer", "segment", "coupon_code", "campaign")
SAMPLE = {
	"customer_name": "Ada Lovelace",
	"customer": "CUST-0001",
	"segment": "Champions",
	"coupon_code": "SAMPLE10",
	"campaign": "Spring win-back",
}
Z95 = 1.959963984540054

_ENV = {html: SandboxedEnvironment(autoescape=html, undefined=StrictUndefined) for html in (True, False)}


class MessageError(ValueError):
	"""A template that cannot be rendered: the reason is for a person."""


def render(template: str, context: dict, html: bool = False) -> str:
	try:
		return _ENV[html].from_string(template or "").render(**context)
	except TemplateError as e:
		raise MessageError(str(e.message or e)) from None


def check_template(template: str, html: bool = False, extra: dict | None = None) -> str:
	"""Render with sample values: a syntax error or unknown placeholder raises MessageError."""
	return render(template, {**SAMPLE, **(extra or {})}, html)


@dataclass(frozen=True)
class Interval:
	difference: float  # contacted minus hold-out
	low: float | None  # None when a group is too small to say
	high: float | None
	relative: float | None = None  # difference / hold-out value, when that is not zero

	@property
	def significant(self) -> bool:
		return self.low is not None and (self.low > 0 or self.high < 0)


def conversion_lift(buyers_c: int, n_c: int, buyers_h: int, n_h: int, z: float = Z95) -> Interval:
	"""Purchase rate of the contacted group minus the hold-out's, ± z × Wald standard error."""
	for buyers, n in ((buyers_c, n_c), (buyers_h, n_h)):
		if n < 0 or not 0 <= buyers <= max(n, 0):
			raise ValueError("buyers must be between 0 and the group size")
	if not n_c or not n_h:
		return Interval(0.0, None, None)
	p_c, p_h = buyers_c / n_c, buyers_h / n_h
	diff = p_c - p_h
	se = math.sqrt(p_c * (1 - p_c) / n_c + p_h * (1 - p_h) / n_h)
	return Interval(diff, diff - z * se, diff + z * se, diff / p_h if p_h else None)


def _mean_var(xs: Sequence[float]) -> tuple[float, float]:
	n = len(xs)
	mean = sum(xs) / n
	return mean, sum((x - mean) ** 2 for x in xs) / (n - 1)


def spend_lift(spend_c: Sequence[float], spend_h: Sequence[float], z: float = Z95) -> Interval:
	"""Mean spend per contacted customer minus per held-out customer, ± z × Welch standard error."""
	if not spend_c or not spend_h:
		return Interval(0.0, None, None)
	mean_c, mean_h = sum(spend_c) / len(spend_c), sum(spend_h) / len(spend_h)
	diff = mean_c - mean_h
	relative = diff / mean_h if mean_h else None
	if len(spend_c) < 2 or len(spend_h) < 2:
		return Interval(diff, None, None, relative)
	(_, var_c), (_, var_h) = _mean_var(spend_c), _mean_var(spend_h)
	se = math.sqrt(var_c / len(spend_c) + var_h / len(spend_h))
	return Interval(diff, diff - z * se, diff + z * se, relative)


def spend_per_customer(
	facts: Iterable[InvoiceFact], customers: Iterable[str], start: date, end: date
) -> dict[str, float]:
	"""Net spend of each customer in [start, end] (returns subtract), zero when nothing was bought."""
	cents = {c: 0 for c in customers}
	for f in facts:
		if f.customer not in cents or not start <= f.posting_date <= end:
			continue
		cents[f.customer] += -to_cents(abs(f.net_amount)) if f.is_return else to_cents(f.net_amount)
	return {c: v / 100 for c, v in cents.items()}


def buyers(facts: Iterable[InvoiceFact], customers: Iterable[str], start: date, end: date) -> set[str]:
	"""Who of `customers` made a purchase (not a return) in [start, end]."""
	who = set(customers)
	return {
		f.customer for f in facts if f.customer in who and not f.is_return and start <= f.posting_date <= end
	}
