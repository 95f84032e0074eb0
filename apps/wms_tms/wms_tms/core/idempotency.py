"""Idempotency keys the driver's phone puts on each action, so that a resend never acts twice."""

from __future__ import annotations

import hashlib
import re

from wms_tms.core.errors import WmsInputError

KEY = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def record_name(user: str, key: str) -> str:
	"""The stored name of a key: per user, so one user's key never finds another's result."""
	if not isinstance(key, str) or not KEY.match(key):
		raise WmsInputError("idempotency_key", "the action key must be 8 to 64 letters, digits, - or _")
	return hashlib.sha256(f"{user}\n{key}".encode()).hexdigest()[:40]
