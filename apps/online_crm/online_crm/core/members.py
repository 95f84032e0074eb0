"""Member import: rows of a CSV or XLSX file → parties to create, duplicates and rejects, each
explained by row number and reason.

* `read_table(filename, content)`: the rows of a .csv (UTF-8, with or without BOM, else GB18030 as
  Chinese Excel writes it) or .xlsx (first sheet) as dicts keyed by canonical column names. Row
  numbers are the file's own (the header is row 1).
* Columns (English or Chinese headers, case and spaces ignored): name / 姓名 / 客户名称, phone /
  mobile / 手机 / 电话, email / 邮箱, platform / 平台, platform id / buyer id / 买家ID / 昵称.
* `plan(rows, existing)`: every row gets one outcome — "create", "duplicate" (of an earlier row
  in the file, or of a party already on the site: which one and by which key) or "reject"
  (why). A row is matched by any of its keys: the phone (digits only, a leading + or 00 and
  China's 86 prefix on an 11-digit mobile dropped), the e-mail (lower case) or platform:id.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

MAX_ROWS = 20_000

COLUMNS = {
	"name": ("name", "customer name", "customer", "full name", "姓名", "客户名称", "客户", "名称"),
	"phone": ("phone", "mobile", "mobile no", "phone number", "手机", "手机号", "电话", "联系电话"),
	"email": ("email", "e-mail", "email address", "email id", "邮箱", "电子邮件", "电子邮箱"),
	"platform": ("platform", "channel", "平台", "渠道"),
	"platform_id": ("platform id", "buyer id", "buyer", "nick", "平台id", "买家id", "买家昵称", "昵称"),
}
_HEADER = {re.sub(r"[\s_]+", " ", h).strip(): key for key, names in COLUMNS.items() for h in names}

_EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]{2,}$")


class FileError(ValueError):
	"""The file as a whole cannot be read: the reason is for a person."""


def _canon_header(h: object) -> str | None:
	text = re.sub(r"[\s_]+", " ", str(h or "")).strip().casefold()
	return _HEADER.get(text)


def _cell(v: object) -> str:
	if v is None:
		return ""
	if isinstance(v, float) and v.is_integer():
		v = int(v)  # a phone typed into Excel arrives as 13912345678.0
	return str(v).strip()


def _rows_from(table: Iterable[Iterable[object]]) -> list[dict]:
	it = iter(table)
	header = next(it, None)
	if header is None:
		raise FileError("the file is empty")
	keys = [_canon_header(h) for h in header]
	if "name" not in keys:
		raise FileError("no name column (name, customer name, 姓名 or 客户名称) in the first row")
	if not {"phone", "email", "platform_id"} & set(keys):
		raise FileError("no phone, e-mail or platform id column in the first row")
	out = []
	for number, values in enumerate(it, start=2):
		values = list(values)
		if not any(_cell(v) for v in values):
			continue  # blank line: not a member, not a reject
		if len(out) >= MAX_ROWS:
			raise FileError(f"more than {MAX_ROWS} rows: split the file")
		row = {"row": number}
		for key, v in zip(keys, values, strict=False):
			if key and not row.get(key):
				row[key] = _cell(v)
		out.append(row)
	return out


def read_table(filename: str, content: bytes) -> list[dict]:
	name = (filename or "").lower()
	if name.endswith(".xlsx"):
		from openpyxl import load_workbook

		try:
			wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
		except Exception as e:  # a broken or renamed file: openpyxl raises many kinds
			raise FileError(f"not a readable .xlsx file ({type(e).__name__})") from None
		try:
			return _rows_from(wb.worksheets[0].iter_rows(values_only=True))
		finally:
			wb.close()
	if name.endswith(".csv"):
		for encoding in ("utf-8-sig", "gb18030"):
			try:
				text = content.decode(encoding)
				break
			except UnicodeDecodeError:
				continue
		else:
			raise FileError("the CSV is neither UTF-8 nor GB18030 text")
		return _rows_from(csv.reader(io.StringIO(text, newline="")))
	raise FileError("choose a .csv or .xlsx file")


def norm_phone(raw: str) -> str | None:
	"""Digits of a phone number, or None when it is not one (7 to 15 digits)."""
	text = (raw or "").strip()
	if not text:
		return None
	if re.search(r"[^\d\s\-+().]", text):
		return None
	digits = re.sub(r"\D", "", text)
	if text.startswith("00"):
		digits = digits[2:]
	if len(digits) == 13 and digits.startswith("86") and digits[2] == "1":
		digits = digits[2:]  # +86 139… is the same mobile as 139…
	return digits if 7 <= len(digits) <= 15 else None


def norm_email(raw: str) -> str | None:
	text = (raw or "").strip().casefold()
	return text if text and _EMAIL.match(text) else None


@dataclass
class Outcome:
	row: int
	action: str  # "create" | "duplicate" | "reject"
	reason: str = ""
	name: str = ""
	phone: str = ""
	email: str = ""
	platform: str = ""
	platform_id: str = ""
	duplicate_of: str = ""  # an existing party's name, or "row N"
	keys: list[str] = field(default_factory=list)


def keys_of(phone: str | None, email: str | None, platform: str = "", platform_id: str = "") -> list[str]:
	keys = []
	if phone:
		keys.append(f"phone:{phone}")
	if email:
		keys.append(f"email:{email}")
	if platform and platform_id:
		keys.append(f"buyer:{platform.casefold()}:{platform_id.casefold()}")
	return keys


_KEY_WORD = {"phone": "phone", "email": "e-mail", "buyer": "platform id"}


def plan(rows: Iterable[Mapping], existing: Mapping[str, str]) -> list[Outcome]:
	"""`existing`: dedupe key (as keys_of makes them) → the party already on the site."""
	seen: dict[str, int] = {}
	out = []
	for r in rows:
		o = Outcome(int(r["row"]), "reject", name=_cell(r.get("name"))[:140])
		raw_phone, raw_email = _cell(r.get("phone")), _cell(r.get("email"))
		o.platform, o.platform_id = _cell(r.get("platform"))[:60], _cell(r.get("platform_id"))[:140]
		phone, email = norm_phone(raw_phone), norm_email(raw_email)
		if not o.name:
			o.reason = "no name"
		elif raw_phone and not phone:
			o.reason = f"the phone {raw_phone[:40]!r} is not a phone number (7 to 15 digits)"
		elif raw_email and not email:
			o.reason = f"the e-mail {raw_email[:60]!r} is not an e-mail address"
		elif o.platform_id and not o.platform:
			o.reason = "a platform id without its platform"
		elif not (phone or email or o.platform_id):
			o.reason = "no phone, e-mail or platform id to recognise the member by"
		if o.reason:
			out.append(o)
			continue
		o.phone, o.email = phone or "", email or ""
		o.keys = keys_of(phone, email, o.platform, o.platform_id)
		for key in o.keys:
			word = _KEY_WORD[key.split(":", 1)[0]]
			if key in existing:
				o.action, o.duplicate_of = "duplicate", existing[key]
				o.reason = f"already on the site as {existing[key]} (same {word})"
				break
			if key in seen:
				o.action, o.duplicate_of = "duplicate", f"row {seen[key]}"
				o.reason = f"same {word} as row {seen[key]}"
				break
		else:
			o.action = "create"
			for key in o.keys:
				seen[key] = o.row
		out.append(o)
	return out
