"""The one error the core raises for input it cannot accept.

Every refusal carries a machine code (the surface turns it into a 4xx or a held order) and a
sentence a person can read, plus the place in the payload it concerns.
"""

from __future__ import annotations

# code → meaning; the surface may map codes to HTTP statuses (bad_signature → 401, too_large → 413, else 400/422)
CODES = frozenset(
	{
		"malformed_json",  # body is not JSON, or not a JSON object
		"missing_field",  # a required field is absent or empty
		"wrong_type",  # a field has the wrong JSON type
		"bad_value",  # right type, value cannot be used (bad date, bad number, unknown status …)
		"unknown_currency",  # not an ISO 4217 code we know
		"negative_quantity",  # a quantity below zero
		"too_large",  # body over the size limit
		"bad_signature",  # webhook signature missing or wrong
		"unknown_platform",  # no channel of that name
	}
)


class ChannelInputError(ValueError):
	"""Input from a channel that the core refuses, with the reason why."""

	def __init__(self, code: str, reason: str, path: str = ""):
		if code not in CODES:
			raise ValueError(f"unknown error code {code!r}")
		self.code = code
		self.reason = reason
		self.path = path
		super().__init__(f"{code}: {reason}" + (f" (at {path})" if path else ""))

	def as_dict(self) -> dict:
		return {"code": self.code, "reason": self.reason, "path": self.path}
