"""Invoice facts from raw rows, with every rejected row counted and explained.

`facts_from_rows` takes dicts with customer, invoice, posting_date, net_amount, is_return (the
shape the ERPNext adapter reads from submitted Sales Invoices) and returns the facts plus a
`Rejects` report; a bad row is skipped and reported, never silently dropped.

`online_retail_facts` reads the UCI Online Retail file (one row per invoice line) into the
same model: an invoice's net is Σ quantity × unit price; invoices numbered C… are
cancellations, i.e. returns; lines without a customer are rejected with that reason.
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


def facts_from_rows(rows: Iterable[Mapping]) -> tuple[list[InvoiceFact], Rejects]:
	facts, rejects = [], Rejects()
	for row in rows:
		customer = str(row.get("customer") or "").strip()
		if not customer:
			rejects.add("missing customer", row)
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
		facts.append(
			InvoiceFact(
				customer, str(row.get("invoice") or ""), posting_date, amount, bool(row.get("is_return"))
			)
		)
	return facts, rejects


def online_retail_facts(path: Path) -> tuple[list[InvoiceFact], Rejects]:
	"""Invoice facts from online_retail.csv(.gz): one per invoice, net summed over its lines."""
	opener = gzip.open if str(path).endswith(".gz") else open
	invoices: dict[str, dict] = {}
	rejects = Rejects()
	with opener(path, "rt", encoding="utf-8", newline="") as f:
		for row in csv.DictReader(f):
			customer = (row.get("CustomerID") or "").strip()
			if not customer:
				rejects.add("missing customer", row)
				continue
			try:
				line = _amount(row["Quantity"]) * _amount(row["UnitPrice"])
				day = _date(row["InvoiceDate"])
			except (TypeError, ValueError, KeyError):
				rejects.add("bad line", row)
				continue
			number = row["InvoiceNo"].strip()
			inv = invoices.setdefault(
				number,
				{
					"customer": str(int(float(customer))),
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
