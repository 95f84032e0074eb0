"""TOP (Taobao Open Platform) request signing.

Sort every parameter except `sign` by name, drop empty values, concatenate name+value, then
- md5:         MD5(secret + joined + secret), upper-case hex;
- hmac:        HMAC-MD5(secret, joined), upper-case hex;
- hmac-sha256: HMAC-SHA256(secret, joined), upper-case hex.
A body (Qimen-style push) is appended to the joined string before the closing secret.
"""

from __future__ import annotations

import hashlib
import hmac

METHODS = ("md5", "hmac", "hmac-sha256")


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


def verify(params: dict, secret: str, body: bytes = b"") -> bool:
	given = str(params.get("sign") or "")
	method = str(params.get("sign_method") or "md5").lower()
	if not given or method not in METHODS or not secret:
		return False
	return hmac.compare_digest(
		top_sign(params, secret, method, body).encode(), given.upper().encode("utf-8", "replace")
	)
