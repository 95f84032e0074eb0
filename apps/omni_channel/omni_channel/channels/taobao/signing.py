"""TOP (Taobao Open Platform) request signing.

Sort every parameter except `sign` by name, drop empty values, concatenate name+value, then
- md5:         MD5(secret + joined + secret), upper-case hex;
- hmac:        HMAC-MD5(secret, joined), upper-case hex;
- hmac-sha256: HMAC-SHA256(secret, joined), upper-case hex.
A body (Qimen-style push) is appended to the joined string before the closing secret.

Verifying a push (`verify_push`) trusts nothing the caller chooses: the shop's own app_key must
match, the shop's one configured method is used (a `sign_method` header naming another is
refused), and the signed timestamp (Beijing time) must lie within ±5 minutes of now.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta, timezone

METHODS = ("md5", "hmac", "hmac-sha256")
TOP_TZ = timezone(timedelta(hours=8))  # TOP timestamps are Beijing time, "YYYY-MM-DD HH:MM:SS"
MAX_SKEW = timedelta(minutes=5)


def top_sign(params: dict, secret: str, method: str = "md5", body: bytes | str = b"") -> str:
	if method not in METHODS:
		raise ValueError(f"unknown sign method {method!r}")
	joined = "".join(f"{k}{v}" for k, v in sorted(params.items()) if k != "sign" and v not in (None, ""))
	data = joined.encode("utf-8") + (body.encode("utf-8") if isinstance(body, str) else body)
	key = secret.encode("utf-8")
	if method == "md5":
		return hashlib.md5(key + data + key).hexdigest().upper()
	digest = hashlib.md5 if method == "hmac" else hashlib.sha256
	return hmac.new(key, data, digest).hexdigest().upper()


def parse_timestamp(value: str) -> datetime | None:
	"""A TOP timestamp as an aware datetime, or None when it is not one."""
	try:
		return datetime.strptime(str(value or "").strip(), "%Y-%m-%d %H:%M:%S").replace(tzinfo=TOP_TZ)
	except ValueError:
		return None


def verify_push(
	params: dict, secret: str, body: bytes, app_key: str, method: str, now: datetime | None = None
) -> str | None:
	"""Why a Qimen-style push is refused (a short reason), or None when it is genuine.

	`app_key` and `method` are the shop's configuration, never the caller's choice.
	"""
	if not secret or not app_key or method not in METHODS:
		return "the shop has no app key, secret or signing method configured"
	if not hmac.compare_digest(str(params.get("app_key") or "").encode(), app_key.encode()):
		return "app_key is not this shop's"
	given_method = str(params.get("sign_method") or method).lower()
	if given_method != method:
		return "sign_method is not the one configured for this shop"
	at = parse_timestamp(params.get("timestamp"))
	if at is None:
		return "timestamp is missing or not YYYY-MM-DD HH:MM:SS"
	now = now or datetime.now(timezone.utc)
	if abs(now - at) > MAX_SKEW:
		return "timestamp is more than 5 minutes away from now"
	given = str(params.get("sign") or "")
	if not given:
		return "sign is missing"
	expected = top_sign(params, secret, method, body)
	if not hmac.compare_digest(expected.encode(), given.upper().encode("utf-8", "replace")):
		return "sign does not match the parameters and body"
	return None
