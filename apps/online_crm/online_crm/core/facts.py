"""Invoice facts from raw rows, with every rejected row counted and explained.

`facts_from_rows` takes dicts with customer, invoice, posting_date, net_amount, is_return (the
shape the ERPNext adapter reads from submitted Sales Invoices) and returns the facts plus a
`Rejects` report; a bad row is skipped and reported, never silently dropped.

`online_retail_facts` reads the UCI Online Retail file (one row per invoice line) into the
same model: an invoice's net is Σ quantity × unit price; invoices numbered C… are
cancellations, i.e. returns; lines without a customer, without an invoice number, with an
unparseable date or a non-numeric quantity or price are rejected, each with its reason.
"""

from __future__ import annotations

import csv
import gzip
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from dateutil import parser as dateparser

from online_crm.core.rfm import InvoiceFact


@dataclass
class Rejects:
	count: int = 0
	reasons: Counter = field(default_factory=Counter)
	examples: dict[str, object] = field(default_factory=dict)  # first offending row per reason

	def add(self, reason: str, row: object) -> None:
		self.count += 1
		self.reasons[reason] += 1
		self.examples.setdefault(reason, row)


def _date(value: object) -> date:
	if isinstance(value, datetime):
		return value.date()
	if isinstance(value, date):
		return value
	if not isinstance(value, str) or not value.strip():
		raise ValueError
	return dateparser.isoparse(value.strip()).date()


def _amount(value: object) -> float:
	if isinstance(value, bool):
		raise ValueError
	f = float(value)
	if not math.isfinite(f):
		raise ValueError
	return f


_FALSE = {"", "0", "false", "no", "n", "f", "off", "none"}
_TRUE = {"1", "true", "yes", "y", "t", "on"}


def _flag(value: object) -> bool:
	"""is_return as a real flag: the text "0" or "false" (a CSV, a query string) is not a return."""
	if value is None:
		return False
	if isinstance(value, str):
		text = value.strip().lower()
		if text in _FALSE:
			return False
		if text in _TRUE:
			return True
		raise ValueError
	return bool(value)


def _text(value: object) -> str:
	return "" if value is None else str(value).strip()


def facts_from_rows(rows: Iterable[Mapping]) -> tuple[list[InvoiceFact], Rejects]:
	facts, rejects = [], Rejects()
	for row in rows:
		customer = _text(row.get("customer"))
		if not customer:
			rejects.add("missing customer", row)
			continue
		invoice = _text(row.get("invoice"))
		if not invoice:
			# frequency counts distinct invoices: facts without a number would collapse into one
			rejects.add("missing invoice", row)
			continue
		try:
			posting_date = _date(row.get("posting_date"))
		except (ValueError, OverflowError):
			rejects.add("unparseable date", row)
			continue
		try:
			amount = _amount(row.get("net_amount"))
		except (TypeError, ValueError):
			rejects.add("non-numeric amount", row)
			continue
		try:
			is_return = _flag(row.get("is_return"))
		except ValueError:
			rejects.add("unreadable is_return", row)
			continue
		facts.append(InvoiceFact(customer, invoice, posting_date, amount, is_return))
	return facts, rejects


def _customer_id(value: object) -> str | None:
	"""The file writes CustomerID as a float ("17850.0"): the customer is "17850". Other text is kept."""
	text = _text(value)
	if not text or text.lower() == "nan":
		return None
	try:
		number = float(text)
	except ValueError:
		return text
	return str(int(number)) if number.is_integer() else text


def online_retail_facts(path: Path) -> tuple[list[InvoiceFact], Rejects]:
	"""Invoice facts from online_retail.csv(.gz): one per invoice, net summed over its lines."""
	opener = gzip.open if str(path).endswith(".gz") else open
	invoices: dict[str, dict] = {}
	rejects = Rejects()
	with opener(path, "rt", encoding="utf-8", newline="") as f:
		for row in csv.DictReader(f):
			customer = _customer_id(row.get("CustomerID"))
			if customer is None:
				rejects.add("missing customer", row)
				continue
			number = _text(row.get("InvoiceNo"))
			if not number:
				rejects.add("missing invoice", row)
				continue
			try:
				day = _date(row.get("InvoiceDate"))
			except (ValueError, OverflowError):
				rejects.add("unparseable date", row)
				continue
			try:
				line = _amount(row.get("Quantity")) * _amount(row.get("UnitPrice"))
			except (TypeError, ValueError):
				rejects.add("non-numeric amount", row)
				continue
			inv = invoices.setdefault(
				number,
				{
					"customer": customer,
					"invoice": number,
					"posting_date": day,
					"net_amount": 0.0,
					"is_return": number.upper().startswith("C"),
				},
			)
			inv["net_amount"] += line
	facts, more = facts_from_rows(invoices.values())
	rejects.count += more.count
	rejects.reasons.update(more.reasons)
	return facts, rejects
