"""The platforms' own payout data → settlement lines, with the file's own totals.

Three formats, each as the seller really gets it:

- ``alipay``: the Alipay account statement (账务明细) a Taobao/Tmall seller downloads: a CSV in
  GBK, ``#`` lines above and below the table (account, period, 收入/支出 totals), Chinese column
  names, amounts in yuan. The order is in 商户订单号 (``T200P<order>``) or named in 业务描述/备注;
  commissions and service fees are rows of their own; 提现 (withdrawal to the bank) is the payout.
- ``stripe``: Stripe's payout reconciliation / balance transactions CSV, as a WooCommerce seller
  exports it: amounts in the currency's units, ``gross``/``amount``, ``fee``, ``net``,
  ``reporting_category``/``type`` (charge, refund, adjustment, payout …), ``source_id`` and the
  order id the WooCommerce gateway writes into the payment's metadata.
- ``shopify``: a Shopify Payments payout and its balance transactions as the REST Admin API
  returns them: ``{"payout": {...}, "transactions": [...]}``.

A file is taken whole or not at all: every bad line is listed with its line number and reason
(`SettlementFileError.problems`), and nothing is returned. Signs are the shop's: + money to us,
− money to the platform (as `money.SettlementLine`).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from omni_channel.core.errors import ChannelInputError
from omni_channel.core.money import SettlementLine, Statement

FORMATS = ("alipay", "stripe", "shopify")
MAX_BYTES = 20 * 1024 * 1024
ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Problem:
	line: int  # 1-based line of the file (0: the file as a whole)
	reason: str

	def __str__(self) -> str:
		return f"line {self.line}: {self.reason}" if self.line else self.reason


class SettlementFileError(ChannelInputError):
	"""The file is refused; `problems` lists every bad line with its reason."""

	def __init__(self, problems: Iterable[Problem]):
		self.problems = tuple(sorted(problems, key=lambda p: p.line))
		shown = "; ".join(str(p) for p in self.problems[:20])
		more = len(self.problems) - 20
		super().__init__("bad_value", shown + (f"; and {more} more" if more > 0 else ""))


@dataclass(frozen=True, slots=True)
class FileLine:
	line: int  # where it is in the file
	order_id: str  # the platform's order id, or the transaction's own reference when it names no order
	kind: str  # a key of money.KIND_ROLE
	amount: Decimal  # + money to us, − money to the platform
	currency: str
	reference: str  # the platform's id of the transaction
	memo: str = ""


@dataclass(frozen=True)
class SettlementFile:
	format: str
	statement_id: str
	currency: str
	period_end: date
	lines: tuple[FileLine, ...]
	payout: Decimal  # what the platform paid out for these lines
	totals: dict[str, Decimal] = field(default_factory=dict)  # the file's own stated totals

	@property
	def net(self) -> Decimal:
		return sum((ln.amount for ln in self.lines), ZERO)

	def by_kind(self) -> dict[str, Decimal]:
		out: dict[str, Decimal] = {}
		for ln in self.lines:
			out[ln.kind] = out.get(ln.kind, ZERO) + ln.amount
		return out

	def statement(self, shop: str) -> Statement:
		return Statement(
			shop=shop,
			statement_id=self.statement_id,
			currency=self.currency,
			period_end=self.period_end,
			lines=tuple(SettlementLine(ln.order_id, ln.kind, ln.amount, ln.memo) for ln in self.lines),
			payout=self.payout,
		)


def parse(fmt: str, content: bytes | str) -> SettlementFile:
	"""Parse a settlement file of format `fmt`; raises SettlementFileError naming every bad line."""
	parser = {"alipay": parse_alipay, "stripe": parse_stripe, "shopify": parse_shopify}.get(fmt)
	if parser is None:
		raise ChannelInputError(
			"bad_value", f"unknown settlement file format {fmt!r}; one of {', '.join(FORMATS)}"
		)
	if isinstance(content, bytes) and len(content) > MAX_BYTES:
		raise ChannelInputError("too_large", f"settlement file over {MAX_BYTES // (1024 * 1024)} MB")
	parsed = parser(content)
	long_ids = [
		Problem(ln.line, f"order id {ln.order_id[:40]!r}… is over 140 characters")
		for ln in parsed.lines
		if len(ln.order_id) > 140
	]
	if long_ids:
		raise SettlementFileError(long_ids)
	return parsed


# ---------------------------------------------------------------- shared helpers

_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")


def amount(text: str) -> Decimal:
	"""A money amount as printed in a file: '1,234.50', '-4.5', '+3'. ValueError when it is not one."""
	t = (text or "").strip().lstrip("`'\t").strip()
	if not t:
		raise ValueError("no amount")
	if not _NUMBER.fullmatch(t):
		raise ValueError(f"{text.strip()!r} is not an amount")
	try:
		d = Decimal(t.replace(",", ""))
	except InvalidOperation as e:  # pragma: no cover - the pattern admits only numbers
		raise ValueError(f"{text.strip()!r} is not an amount") from e
	if d.as_tuple().exponent < -2:
		raise ValueError(f"{text.strip()!r} has more than two decimals")
	return d


def decode(content: bytes | str) -> str:
	"""Text of a file: UTF-8 (with or without BOM) when it is valid UTF-8, else GBK (as GB18030)."""
	if isinstance(content, str):
		return content.lstrip("\ufeff")
	if content.startswith(b"\xef\xbb\xbf"):
		return content[3:].decode("utf-8")
	try:
		return content.decode("utf-8")
	except UnicodeDecodeError:
		try:
			return content.decode("gb18030")
		except UnicodeDecodeError as e:
			raise SettlementFileError([Problem(0, "the file is neither UTF-8 nor GBK text")]) from e


def _cell(text: str | None) -> str:
	# Alipay pads cells with tabs and spaces and prefixes long numbers with ` or a tab (for Excel)
	return (text or "").strip().lstrip("`'\t").strip()


def _header_key(text: str) -> str:
	return _cell(text).replace("（", "(").replace("）", ")").replace(" ", "").lower()


def _columns(header: list[str], wanted: dict[str, tuple[str, ...]]) -> dict[str, int]:
	keys = [_header_key(h) for h in header]
	found = {}
	for name, aliases in wanted.items():
		for alias in aliases:
			k = _header_key(alias)
			if k in keys:
				found[name] = keys.index(k)
				break
	return found


def _date(text: str) -> date | None:
	t = _cell(text)
	if not t:
		return None
	t = t.replace("年", "-").replace("月", "-").replace("日", "").replace("/", "-")
	for fmt in (
		"%Y-%m-%d %H:%M:%S",
		"%Y-%m-%d %H:%M",
		"%Y-%m-%d",
		"%Y-%m-%dT%H:%M:%S%z",
		"%Y-%m-%dT%H:%M:%SZ",
	):
		try:
			return datetime.strptime(t[:25].strip(), fmt).date()
		except ValueError:
			continue
	try:
		return datetime.fromisoformat(t.replace("Z", "+00:00")).date()
	except ValueError:
		return None


def _fee_lines(line, order_id, fee, currency, reference, memo) -> list[FileLine]:
	return [FileLine(line, order_id, "payment_fee", -fee, currency, reference, memo)] if fee else []


# ---------------------------------------------------------------- Alipay 账务明细

ALIPAY_COLUMNS = {
	"serial": ("账务流水号",),
	"business_serial": ("业务流水号",),
	"merchant_order": ("商户订单号",),
	"item": ("商品名称",),
	"time": ("发生时间", "入账时间"),
	"income": ("收入金额(+元)", "收入金额(元)", "收入金额"),
	"expense": ("支出金额(-元)", "支出金额(元)", "支出金额"),
	"type": ("业务类型",),
	"remark": ("备注",),
	"description": ("业务描述",),
	"base_order": ("业务基础订单号",),
}
_ALIPAY_REQUIRED = ("serial", "time", "income", "expense", "type")
_TAOBAO_MERCHANT_ORDER = re.compile(r"T\d{3,4}P(\d{6,})")
_ORDER_IN_TEXT = re.compile(r"(?:订单号|交易号|订单编号|订单)\s*[:：]?\s*[\[【(（]?\s*(\d{6,})")
_TOTAL_LINE = re.compile(r"(收入|支出)\s*[:：]\s*(\d+)\s*笔\s*[,，]?\s*共?\s*([+-]?[\d,]+(?:\.\d+)?)\s*元")
_ACCOUNT_LINE = re.compile(r"账号\s*[:：]\s*\[?([^\]\s]+)")
_PERIOD_LINE = re.compile(r"起始日期\s*[:：]\s*\[([^\]]+)\].*终止日期\s*[:：]\s*\[([^\]]+)\]")


def alipay_kind(type_: str, text: str, amount_: Decimal) -> str | None:
	"""The line kind of an Alipay row from its 业务类型 and descriptions; None for a withdrawal (the payout)."""
	t = f"{type_} {text}"
	if "提现" in type_:
		return None
	if "佣金" in t or "技术服务费" in t:
		return "commission"
	if "服务费" in t and any(w in t for w in ("花呗", "信用卡", "支付")):
		return "payment_fee"
	if "服务费" in t or "收费" in type_ or "运费险" in t or "保险" in t:
		return "service_fee"
	if "退款" in t:
		return "refund"
	if amount_ > 0 and any(w in type_ for w in ("在线支付", "交易", "收款")):
		return "sale"
	return "adjustment"


def _alipay_order(row: dict[str, str]) -> str:
	m = _TAOBAO_MERCHANT_ORDER.fullmatch(row.get("merchant_order", ""))
	if m:
		return m.group(1)
	for key in ("description", "remark", "merchant_order"):
		m = _ORDER_IN_TEXT.search(row.get(key, ""))
		if m:
			return m.group(1)
	if row.get("base_order", "").isdigit():
		return row["base_order"]
	if row.get("merchant_order", "").isdigit():
		return row["merchant_order"]
	return ""


def parse_alipay(content: bytes | str) -> SettlementFile:
	text = decode(content)
	problems: list[Problem] = []
	account, period, stated = "", None, {}
	header: list[str] | None = None
	cols: dict[str, int] = {}
	lines: list[FileLine] = []
	withdrawn, income, expense = ZERO, ZERO, ZERO
	n_income = n_expense = 0
	last_day: date | None = None
	raw_lines = text.splitlines()
	for no, raw in enumerate(raw_lines, start=1):
		stripped = raw.strip()
		if not stripped.replace(",", ""):
			continue
		if stripped.startswith("#"):
			if m := _ACCOUNT_LINE.search(stripped):
				account = m.group(1)
			if m := _PERIOD_LINE.search(stripped):
				period = (_date(m.group(1)), _date(m.group(2)))
			for m in _TOTAL_LINE.finditer(stripped):
				try:
					stated[m.group(1)] = (int(m.group(2)), amount(m.group(3)), no)
				except ValueError as e:
					problems.append(Problem(no, f"total {m.group(0)}: {e}"))
			continue
		cells = next(csv.reader([raw]))
		if header is None:
			header = cells
			cols = _columns(header, ALIPAY_COLUMNS)
			missing = [ALIPAY_COLUMNS[c][0] for c in _ALIPAY_REQUIRED if c not in cols]
			if "merchant_order" not in cols and "description" not in cols:
				missing.append("商户订单号 / 业务描述")
			if missing:
				problems.append(Problem(no, f"the column header lacks {', '.join(missing)}"))
				break
			continue
		while len(cells) > len(header) and not cells[-1].strip():
			cells.pop()  # a trailing comma
		if len(cells) != len(header):
			problems.append(Problem(no, f"{len(cells)} fields where the header has {len(header)}"))
			continue
		row = {name: _cell(cells[i]) for name, i in cols.items()}
		why = []
		try:
			inc = amount(row["income"]) if row["income"] else ZERO
			exp = abs(amount(row["expense"])) if row["expense"] else ZERO
		except ValueError as e:
			problems.append(Problem(no, f"收入/支出金额: {e}"))
			continue
		if inc < 0:
			why.append("收入金额 is negative")
		if inc and exp:
			why.append("both 收入金额 and 支出金额 are set")
		if not inc and not exp:
			why.append("neither 收入金额 nor 支出金额 is set")
		day = _date(row["time"])
		if day is None:
			why.append(f"发生时间 {row['time']!r} is not a date")
		if not row["serial"]:
			why.append("账务流水号 is empty")
		if why:
			problems.append(Problem(no, "; ".join(why)))
			continue
		last_day = max(last_day or day, day)
		signed = inc - exp
		if inc:
			income, n_income = income + inc, n_income + 1
		else:
			expense, n_expense = expense + exp, n_expense + 1
		text_ = " ".join(row.get(k, "") for k in ("description", "remark", "item"))
		kind = alipay_kind(row["type"], text_, signed)
		if kind is None:
			withdrawn += -signed
			continue
		order_id = _alipay_order(row)
		if not order_id:
			if kind in ("sale", "refund"):
				problems.append(Problem(no, f"{row['type']}: no order number in 商户订单号 or 业务描述"))
				continue
			order_id = row["serial"]
		memo = (row.get("description") or f"{row['type']} {row.get('remark', '')}".strip())[:140]
		lines.append(FileLine(no, order_id, kind, signed, "CNY", row["serial"], memo))
	if header is None and not problems:
		problems.append(Problem(0, "no column header (账务流水号, 发生时间, 收入金额 …) in the file"))
	for label, total, count in (("收入", income, n_income), ("支出", expense, n_expense)):
		if label in stated:
			n, amt, no = stated[label]
			if n != count or abs(amt) != total:
				problems.append(
					Problem(
						no, f"the file's {label} total {n}笔 {abs(amt)}元 ≠ its rows: {count}笔 {total}元"
					)
				)
	if problems:
		raise SettlementFileError(problems)
	if not lines:
		raise SettlementFileError([Problem(0, "the file has no settlement rows")])
	start, end = period or (None, None)
	end = end or last_day
	statement_id = "ALIPAY-" + "-".join(
		filter(None, (account, start.isoformat() if start else "", end.isoformat()))
	)
	totals = {"income": income, "expense": -expense, "withdrawn": withdrawn}
	net = sum((ln.amount for ln in lines), ZERO)
	return SettlementFile("alipay", statement_id[:140], "CNY", end, tuple(lines), net, totals)


# ---------------------------------------------------------------- Stripe payout / balance CSV

STRIPE_COLUMNS = {
	"id": ("balance_transaction_id", "id"),
	"type": ("reporting_category", "type"),
	"gross": ("gross", "amount"),
	"fee": ("fee",),
	"net": ("net",),
	"currency": ("currency",),
	"source": ("source_id", "source"),
	"created": ("created_utc", "created (utc)", "created"),
	"payout": ("automatic_payout_id", "transfer", "payout_id"),
	"payout_date": (
		"automatic_payout_effective_at_utc",
		"automatic_payout_effective_at",
		"transfer date (utc)",
	),
	"description": ("description",),
}
_STRIPE_REQUIRED = ("id", "type", "gross", "fee", "net", "currency")
_STRIPE_ORDER_COLUMN = re.compile(
	r"^(?:(?:payment_|refund_|charge_)?metadata\[order_id\]|order_id \(metadata\)|order_id)$"
)
_ORDER_IN_DESCRIPTION = re.compile(r"order\s*#?\s*(\w[\w-]*)", re.I)
STRIPE_SALE = ("charge", "payment")
STRIPE_REFUND = ("refund", "payment_refund", "refund_failure")
STRIPE_PAYOUT = ("payout", "payout_reversal", "payout_failure", "payout_cancel")


def parse_stripe(content: bytes | str) -> SettlementFile:
	text = decode(content)
	problems: list[Problem] = []
	reader = csv.reader(io.StringIO(text))
	header = None
	for header in reader:
		if any(c.strip() for c in header):
			break
	if not header or not any(c.strip() for c in header):
		raise SettlementFileError([Problem(0, "the file is empty")])
	header_line = reader.line_num
	cols = _columns(header, STRIPE_COLUMNS)
	missing = [STRIPE_COLUMNS[c][0] for c in _STRIPE_REQUIRED if c not in cols]
	if missing:
		raise SettlementFileError([Problem(header_line, f"the column header lacks {', '.join(missing)}")])
	order_cols = [i for i, h in enumerate(header) if _STRIPE_ORDER_COLUMN.match(h.strip().lower())]
	lines: list[FileLine] = []
	currencies, payout_ids = set(), set()
	payout_rows: list[tuple[int, str, Decimal]] = []
	gross_total = fee_total = net_total = ZERO
	days: list[date] = []
	payout_day: date | None = None
	start = reader.line_num
	for cells in reader:
		no, start = start + 1, reader.line_num  # a quoted field may span lines: report where the row starts
		if not any(c.strip() for c in cells):
			continue
		if len(cells) != len(header):
			problems.append(Problem(no, f"{len(cells)} fields where the header has {len(header)}"))
			continue
		row = {name: cells[i].strip() for name, i in cols.items()}
		why = []
		try:
			gross, fee, net = amount(row["gross"]), amount(row["fee"]), amount(row["net"])
		except ValueError as e:
			problems.append(Problem(no, f"gross/fee/net: {e}"))
			continue
		if gross - fee != net:
			why.append(f"net {net} ≠ gross {gross} − fee {fee}")
		currency = row["currency"].upper()
		if not re.fullmatch(r"[A-Z]{3}", currency):
			why.append(f"currency {row['currency']!r} is not an ISO code")
		kind = row["type"].lower()
		if not kind:
			why.append("the type is empty")
		if not row["id"]:
			why.append("the transaction id is empty")
		order_id = next((cells[i].strip() for i in order_cols if cells[i].strip()), "")
		if not order_id and kind in STRIPE_SALE + STRIPE_REFUND:
			m = _ORDER_IN_DESCRIPTION.search(row.get("description", ""))
			order_id = m.group(1) if m else ""
		if kind in STRIPE_SALE and gross <= 0:
			why.append(f"a {kind} of {gross}: a charge is positive")
		if kind in ("refund", "payment_refund") and gross >= 0:
			why.append(f"a {kind} of {gross}: a refund is negative")
		if kind in STRIPE_SALE + STRIPE_REFUND and not order_id:
			why.append(
				f"{kind} {row['id']} names no order (metadata order_id or 'Order #' in the description)"
			)
		if why:
			problems.append(Problem(no, "; ".join(why)))
			continue
		currencies.add(currency)
		if row.get("payout"):
			payout_ids.add(row["payout"])
		if d := _date(row.get("created", "")):
			days.append(d)
		if kind in STRIPE_PAYOUT:
			payout_rows.append((no, row.get("source") or row["id"], net))
			payout_day = _date(row.get("created", "")) or payout_day
			continue
		if row.get("payout_date"):
			payout_day = _date(row["payout_date"]) or payout_day
		gross_total, fee_total, net_total = gross_total + gross, fee_total + fee, net_total + net
		memo = f"{kind} {row['id']}"[:140]
		ref = row["id"]
		if kind in STRIPE_SALE:
			lines += [FileLine(no, order_id, "sale", gross, currency, ref, memo)]
			lines += _fee_lines(no, order_id, fee, currency, ref, memo)
		elif kind in STRIPE_REFUND:
			lines += [FileLine(no, order_id, "refund", gross, currency, ref, memo)]
			lines += _fee_lines(no, order_id, fee, currency, ref, memo)
		elif kind == "fee":
			lines.append(
				FileLine(no, order_id or row.get("source") or ref, "payment_fee", net, currency, ref, memo)
			)
		elif net:
			lines.append(
				FileLine(no, order_id or row.get("source") or ref, "adjustment", net, currency, ref, memo)
			)
	if len(currencies) > 1:
		problems.append(Problem(0, f"the file mixes currencies: {', '.join(sorted(currencies))}"))
	ids = payout_ids | {pid for _no, pid, _net in payout_rows}
	if len(ids) > 1:
		problems.append(
			Problem(
				0, f"the file covers several payouts ({', '.join(sorted(ids))}); import one payout at a time"
			)
		)
	if problems:
		raise SettlementFileError(problems)
	if not lines:
		raise SettlementFileError([Problem(0, "the file has no transactions")])
	paid = -sum((n for _no, _pid, n in payout_rows), ZERO) if payout_rows else net_total
	end = payout_day or max(days) if (payout_day or days) else None
	if end is None:
		raise SettlementFileError(
			[Problem(0, "no date in the file (created / automatic_payout_effective_at)")]
		)
	statement_id = next(iter(ids)) if ids else f"STRIPE-{min(days).isoformat()}-{max(days).isoformat()}"
	totals = {"gross": gross_total, "fee": -fee_total, "net": net_total}
	if payout_rows:
		totals["payout"] = paid
	return SettlementFile("stripe", statement_id, currencies.pop(), end, tuple(lines), paid, totals)


# ---------------------------------------------------------------- Shopify Payments payout (REST)

SHOPIFY_SALE = ("charge",)
SHOPIFY_REFUND = ("refund",)
SHOPIFY_PAYOUT = ("payout", "payout_failure", "payout_cancellation")


def _object_lines(text: str) -> list[int]:
	"""Line numbers where the objects of the JSON document's second-level arrays begin
	(the transactions of {"payout": {...}, "transactions": [{...}, ...]})."""
	out, stack, line, in_string, escaped = [], [], 1, False, False
	for ch in text:
		if ch == "\n":
			line += 1
		if in_string:
			if escaped:
				escaped = False
			elif ch == "\\":
				escaped = True
			elif ch == '"':
				in_string = False
			continue
		if ch == '"':
			in_string = True
		elif ch in "{[":
			if ch == "{" and stack == ["{", "["]:
				out.append(line)
			stack.append(ch)
		elif ch in "}]":
			if stack:
				stack.pop()
	return out


def _key_line(text: str, key: str) -> int:
	i = text.find(f'"{key}"')
	return text.count("\n", 0, i) + 1 if i >= 0 else 0


def parse_shopify(content: bytes | str) -> SettlementFile:
	text = decode(content)
	try:
		doc = json.loads(text)
	except json.JSONDecodeError as e:
		raise SettlementFileError([Problem(e.lineno, f"not JSON: {e.msg}")]) from e
	if not isinstance(doc, dict) or not isinstance(doc.get("payout"), dict):
		raise SettlementFileError([Problem(1, 'expected {"payout": {...}, "transactions": [...]}')])
	txs = doc.get("transactions")
	if not isinstance(txs, list):
		raise SettlementFileError(
			[Problem(_key_line(text, "transactions") or 1, "transactions must be a list")]
		)
	payout = doc["payout"]
	where = _object_lines(text)
	problems: list[Problem] = []
	payout_line = _key_line(text, "payout")
	try:
		paid = amount(str(payout.get("amount", "")))
	except ValueError as e:
		problems.append(Problem(_key_line(text, "amount"), f"payout amount: {e}"))
		paid = ZERO
	currency = str(payout.get("currency") or "").upper()
	if not re.fullmatch(r"[A-Z]{3}", currency):
		problems.append(
			Problem(payout_line, f"payout currency {payout.get('currency')!r} is not an ISO code")
		)
	period_end = _date(str(payout.get("date") or ""))
	if period_end is None:
		problems.append(Problem(payout_line, f"payout date {payout.get('date')!r} is not a date"))
	payout_id = str(payout.get("id") or "")
	if not payout_id:
		problems.append(Problem(payout_line, "the payout has no id"))
	lines: list[FileLine] = []
	sums: dict[str, list[Decimal]] = {}
	for i, tx in enumerate(txs):
		no = where[i] if i < len(where) else payout_line
		if not isinstance(tx, dict):
			problems.append(Problem(no, f"transaction {i + 1} is not an object"))
			continue
		why = []
		try:
			gross, fee, net = (
				amount(str(tx.get("amount", ""))),
				amount(str(tx.get("fee", ""))),
				amount(str(tx.get("net", ""))),
			)
		except ValueError as e:
			problems.append(Problem(no, f"transaction {tx.get('id', i + 1)}: {e}"))
			continue
		kind = str(tx.get("type") or "")
		ref = str(tx.get("id") or "")
		if not ref:
			why.append("the transaction has no id")
		if not kind:
			why.append("the transaction has no type")
		if gross - fee != net:
			why.append(f"net {net} ≠ amount {gross} − fee {fee}")
		if str(tx.get("currency") or "").upper() != currency:
			why.append(f"currency {tx.get('currency')!r}, the payout's is {currency}")
		if tx.get("payout_id") not in (None, "") and str(tx["payout_id"]) != payout_id:
			why.append(f"belongs to payout {tx['payout_id']}, not {payout_id}")
		order_id = str(tx.get("source_order_id") or "")
		if kind in SHOPIFY_SALE + SHOPIFY_REFUND and not order_id:
			why.append(f"{kind} {ref} has no source_order_id")
		if kind in SHOPIFY_SALE and gross <= 0:
			why.append(f"a charge of {gross}: a charge is positive")
		if kind in SHOPIFY_REFUND and gross >= 0:
			why.append(f"a refund of {gross}: a refund is negative")
		if kind in SHOPIFY_PAYOUT and kind == "payout" and net != -paid:
			why.append(f"the payout transaction moves {net}, the payout is {paid}")
		if why:
			problems.append(Problem(no, f"transaction {ref or i + 1}: " + "; ".join(why)))
			continue
		if kind in SHOPIFY_PAYOUT:
			continue
		g, f = sums.setdefault(kind, [ZERO, ZERO])
		sums[kind] = [g + gross, f + fee]
		memo = f"{kind} {ref}"
		if kind in SHOPIFY_SALE:
			lines += [FileLine(no, order_id, "sale", gross, currency, ref, memo)]
			lines += _fee_lines(no, order_id, fee, currency, ref, memo)
		elif kind in SHOPIFY_REFUND:
			lines += [FileLine(no, order_id, "refund", gross, currency, ref, memo)]
			lines += _fee_lines(no, order_id, fee, currency, ref, memo)
		elif net:
			ref_order = order_id or str(tx.get("source_id") or ref)
			lines.append(FileLine(no, ref_order, "adjustment", net, currency, ref, memo))
	summary = payout.get("summary") if isinstance(payout.get("summary"), dict) else {}
	summary_line = _key_line(text, "summary")
	for kind, label in (("charge", "charges"), ("refund", "refunds")):
		g, f = sums.get(kind, [ZERO, ZERO])
		for part, mine in (("gross", g), ("fee", f)):
			stated = summary.get(f"{label}_{part}_amount")
			if stated in (None, ""):
				continue
			try:
				s = amount(str(stated))
			except ValueError as e:
				problems.append(Problem(summary_line, f"{label}_{part}_amount: {e}"))
				continue
			if abs(s) != abs(mine):
				problems.append(
					Problem(
						summary_line, f"the payout's {label}_{part}_amount {s} ≠ its transactions' {mine}"
					)
				)
	net = sum((ln.amount for ln in lines), ZERO)
	if not problems and net != paid:
		problems.append(
			Problem(payout_line, f"payout {payout_id} is {paid}, its transactions add up to {net}")
		)
	if problems:
		raise SettlementFileError(problems)
	if not lines:
		raise SettlementFileError([Problem(0, "the payout has no transactions")])
	totals = {"payout": paid, **{f"{k}_gross": v[0] for k, v in sums.items()}}
	return SettlementFile("shopify", payout_id, currency, period_end, tuple(lines), paid, totals)
