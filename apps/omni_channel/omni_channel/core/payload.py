"""Careful readers for platform payloads: every wrong shape becomes a `ChannelInputError`.

Mappers read a decoded JSON object only through these helpers, so that a fuzzer throwing any
JSON at a mapper can get nothing but the core's own error out of it.
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timezone, tzinfo
from decimal import Decimal, InvalidOperation

from dateutil import parser as du_parser
from dateutil import tz as du_tz

from omni_channel.core.errors import ChannelInputError

MAX_BODY_BYTES = 2 * 1024 * 1024  # a marketplace order is a few KB; 2 MB is generous
_MAX_MONEY = Decimal("1e12")
_MAX_QTY = 10**7

UTC = timezone.utc
SHANGHAI = du_tz.gettz("Asia/Shanghai") or timezone.utc


def loads(raw: bytes | str, limit: int = MAX_BODY_BYTES) -> dict:
	"""Decode a request body into a JSON object, or refuse it with a reason."""
	if isinstance(raw, str):
		raw = raw.encode("utf-8", "surrogatepass")
	if not isinstance(raw, (bytes, bytearray, memoryview)):
		raise ChannelInputError("malformed_json", "body must be bytes")
	if len(raw) > limit:
		raise ChannelInputError("too_large", f"body is {len(raw)} bytes, the limit is {limit}")
	try:
		data = json.loads(bytes(raw))
	except (ValueError, RecursionError) as e:
		raise ChannelInputError("malformed_json", f"body is not valid JSON: {str(e)[:120]}") from None
	if not isinstance(data, dict):
		raise ChannelInputError("malformed_json", f"body must be a JSON object, not {type(data).__name__}")
	return data


def _tname(v) -> str:
	return "null" if v is None else type(v).__name__


def obj(d: dict, key: str, path: str, required: bool = True) -> dict:
	v = d.get(key)
	if v is None:
		if required:
			raise ChannelInputError("missing_field", f"{path}.{key} is required", f"{path}.{key}")
		return {}
	if not isinstance(v, dict):
		raise ChannelInputError(
			"wrong_type", f"{path}.{key} must be an object, not {_tname(v)}", f"{path}.{key}"
		)
	return v


def arr(d: dict, key: str, path: str, required: bool = False) -> list:
	v = d.get(key)
	if v is None:
		if required:
			raise ChannelInputError("missing_field", f"{path}.{key} is required", f"{path}.{key}")
		return []
	if not isinstance(v, list):
		raise ChannelInputError(
			"wrong_type", f"{path}.{key} must be a list, not {_tname(v)}", f"{path}.{key}"
		)
	return v


def each_obj(items: list, path: str):
	for i, v in enumerate(items):
		if not isinstance(v, dict):
			raise ChannelInputError(
				"wrong_type", f"{path}[{i}] must be an object, not {_tname(v)}", f"{path}[{i}]"
			)
		yield i, v


def text(d: dict, key: str, path: str, required: bool = False, max_len: int = 1000) -> str:
	"""A string field; numbers are accepted and written out (ids often come as numbers)."""
	v = d.get(key)
	if type(v) is str:  # fast path: the common case costs one strip and two checks
		s = v.strip()
		if s and len(s) <= max_len and "\x00" not in s:
			return s
	if v is None or v == "":
		if required:
			raise ChannelInputError("missing_field", f"{path}.{key} is required", f"{path}.{key}")
		return ""
	if isinstance(v, str):
		s = v.strip()
	elif isinstance(v, int) and not isinstance(v, bool):
		s = str(v)
	else:
		raise ChannelInputError(
			"wrong_type", f"{path}.{key} must be a string, not {_tname(v)}", f"{path}.{key}"
		)
	if required and not s:
		raise ChannelInputError("missing_field", f"{path}.{key} is blank", f"{path}.{key}")
	if len(s) > max_len:
		raise ChannelInputError(
			"bad_value", f"{path}.{key} is longer than {max_len} characters", f"{path}.{key}"
		)
	if "\x00" in s:
		raise ChannelInputError("bad_value", f"{path}.{key} contains a NUL character", f"{path}.{key}")
	return s


def ident(d: dict, key: str, path: str, required: bool = True) -> str:
	"""An external id: an integer or a non-blank string of at most 64 characters."""
	return text(d, key, path, required=required, max_len=64)


def money(d: dict, key: str, path: str, required: bool = False) -> Decimal:
	v = d.get(key)
	if v is None or v == "":
		if required:
			raise ChannelInputError("missing_field", f"{path}.{key} is required", f"{path}.{key}")
		return Decimal(0)
	return to_money(v, f"{path}.{key}")


def to_money(v, path: str) -> Decimal:
	if type(v) is str and 0 < len(v) < 16 and v.isascii() and v.replace(".", "", 1).isdigit():
		return Decimal(v)  # "12.50": plain digits, one dot — always a valid, finite amount
	if isinstance(v, bool) or not isinstance(v, (str, int, float)):
		raise ChannelInputError("wrong_type", f"{path} must be an amount, not {_tname(v)}", path)
	if isinstance(v, float) and not math.isfinite(v):
		raise ChannelInputError("bad_value", f"{path} is not a finite amount", path)
	try:
		m = Decimal(v if isinstance(v, str) else repr(v))
	except (InvalidOperation, ValueError):
		raise ChannelInputError("bad_value", f"{path} is not an amount: {str(v)[:40]!r}", path) from None
	if not m.is_finite() or abs(m) >= _MAX_MONEY:
		raise ChannelInputError("bad_value", f"{path} is not a usable amount: {str(v)[:40]!r}", path)
	return m


def quantity(d: dict, key: str, path: str, required: bool = True) -> int:
	v = d.get(key)
	if v is None:
		if required:
			raise ChannelInputError("missing_field", f"{path}.{key} is required", f"{path}.{key}")
		return 0
	p = f"{path}.{key}"
	if isinstance(v, bool):
		raise ChannelInputError("wrong_type", f"{p} must be a whole number, not bool", p)
	if isinstance(v, str):
		try:
			v = int(v.strip())
		except ValueError:
			raise ChannelInputError("wrong_type", f"{p} must be a whole number: {v[:20]!r}", p) from None
	elif isinstance(v, float) and v.is_integer():
		v = int(v)
	elif not isinstance(v, int):
		raise ChannelInputError("wrong_type", f"{p} must be a whole number, not {_tname(v)}", p)
	if v < 0:
		raise ChannelInputError("negative_quantity", f"{p} is negative ({v})", p)
	if v > _MAX_QTY:
		raise ChannelInputError("bad_value", f"{p} is implausibly large ({v})", p)
	return v


def flag(d: dict, key: str, path: str) -> bool:
	v = d.get(key)
	if v is None:
		return False
	if isinstance(v, bool):
		return v
	if v in ("true", "1", 1):
		return True
	if v in ("false", "0", 0, ""):
		return False
	raise ChannelInputError("wrong_type", f"{path}.{key} must be true or false", f"{path}.{key}")


def when(d: dict, key: str, path: str, naive_tz: tzinfo = UTC, required: bool = False) -> datetime | None:
	"""A timestamp, always timezone-aware; a naive one is read in `naive_tz`."""
	v = d.get(key)
	if v is None or v == "":
		if required:
			raise ChannelInputError("missing_field", f"{path}.{key} is required", f"{path}.{key}")
		return None
	return to_time(v, f"{path}.{key}", naive_tz)


def to_time(v, path: str, naive_tz: tzinfo = UTC) -> datetime:
	if not isinstance(v, str):
		raise ChannelInputError("wrong_type", f"{path} must be a date-time string, not {_tname(v)}", path)
	s = v.strip()
	try:
		t = datetime.fromisoformat(s)  # fast path for the common ISO 8601 shapes
	except ValueError:
		try:
			t = du_parser.isoparse(s)
		except (ValueError, OverflowError, TypeError):
			try:
				t = du_parser.parse(s)
			except (ValueError, OverflowError, TypeError, AttributeError):
				raise ChannelInputError("bad_value", f"{path} is not a date-time: {s[:40]!r}", path) from None
	if t.tzinfo is None:
		t = t.replace(tzinfo=naive_tz)
	if 1 < t.year < 9999:
		return t  # an offset of under a day cannot push it out of range
	try:
		t.utcoffset()
		t.astimezone(UTC)
	except (ValueError, OverflowError):
		raise ChannelInputError("bad_value", f"{path} is out of range: {s[:40]!r}", path) from None
	return t


def coordinate(d: dict, key: str, limit: float) -> float | None:
	"""A latitude (limit 90) or longitude (limit 180), or None when absent or unusable.

	Geocodes are a convenience: a bad one is dropped, it never refuses the order.
	"""
	v = d.get(key)
	if isinstance(v, bool) or v is None:
		return None
	try:
		f = float(v)
	except (TypeError, ValueError):
		return None
	return f if math.isfinite(f) and -limit <= f <= limit else None


def gateway_names(d: dict, *keys: str) -> list[str]:
	"""Payment gateway / method names found under `keys` (strings or lists of strings), lower-cased."""
	names = []
	for key in keys:
		v = d.get(key)
		for item in v if isinstance(v, list) else [v]:
			if isinstance(item, str) and item.strip():
				names.append(item.strip().casefold())
	return names
