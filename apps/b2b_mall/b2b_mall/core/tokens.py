"""Signed, expiring tokens for buyer invitations and QR logins (plain Python, no Frappe).

A token is `<kind>.<id>.<expiry>.<signature>`: the signature is HMAC-SHA256 over the first three
parts under a key only the server holds, so changing any part (another invitation, a later expiry)
breaks it. The token carries no secret itself; single use is kept by the server's record of `id`.
"""

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass

_ID = re.compile(r"^[A-Za-z0-9_-]{6,64}$")


class TokenRefused(Exception):
	"""Why a token is not accepted: "malformed", "tampered" or "expired"."""

	def __init__(self, reason: str):
		super().__init__(reason)
		self.reason = reason


@dataclass(frozen=True)
class Token:
	kind: str
	id: str
	expires: int  # unix seconds


def _b64(raw: bytes) -> str:
	return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def derive_key(site_secret: str | bytes, purpose: str) -> bytes:
	"""A key of its own per purpose, from the site's secret (a leaked key of one purpose signs nothing else)."""
	secret = site_secret.encode() if isinstance(site_secret, str) else site_secret
	return hmac.new(secret, f"b2b_mall:{purpose}".encode(), hashlib.sha256).digest()


def _signature(key: bytes, kind: str, id_: str, expires: int) -> str:
	return _b64(hmac.new(key, f"{kind}.{id_}.{expires}".encode(), hashlib.sha256).digest())


def sign(key: bytes, kind: str, id_: str, expires: int) -> str:
	if not _ID.match(id_) or not kind.isalnum():
		raise ValueError("a token's kind and id are plain names")
	return f"{kind}.{id_}.{int(expires)}.{_signature(key, kind, id_, int(expires))}"


def verify(key: bytes, kind: str, token: str, now: float) -> Token:
	"""The token's id and expiry, or TokenRefused: malformed, signed by another key or changed
	("tampered"), or past its expiry ("expired"; checked only once the signature holds)."""
	parts = (token or "").strip().split(".")
	if len(parts) != 4 or len(token) > 256:
		raise TokenRefused("malformed")
	got_kind, id_, expires, sig = parts
	if not _ID.match(id_) or not expires.isdigit():
		raise TokenRefused("malformed")
	if got_kind != kind or not hmac.compare_digest(
		sig.encode(), _signature(key, kind, id_, int(expires)).encode()
	):
		raise TokenRefused("tampered")
	if int(expires) <= now:
		raise TokenRefused("expired")
	return Token(kind, id_, int(expires))


def fingerprint(secret: str) -> str:
	"""What the server keeps of a browser's secret: its SHA-256, never the secret itself."""
	return hashlib.sha256((secret or "").encode()).hexdigest()


def same_secret(secret: str | None, kept_fingerprint: str | None) -> bool:
	if not secret or not kept_fingerprint:
		return False
	return hmac.compare_digest(fingerprint(secret), kept_fingerprint)
