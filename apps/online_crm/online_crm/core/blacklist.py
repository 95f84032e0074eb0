"""The blacklist: one entry per party, with a reason and an optional last day.

A party is an ERPNext Customer or a marketplace buyer. Their keys:

* `customer_key("Acme Ltd")` → "Customer:Acme Ltd"
* `buyer_key("Shopify", " 139-1234 5678 ")` → "Shopify:13912345678" — the platform and the buyer's
  identity as omni_channel reads it (platform id, else nick, e-mail or phone), normalised the way
  omni_channel's review compares buyer identities (spaces, dashes, brackets and case ignored).

An entry applies up to and including its `until` day; from the day after it no longer applies.
An entry without a day applies until someone removes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

CUSTOMER = "Customer"
CHANNEL_BUYER = "Channel Buyer"
_JUNK = re.compile(r"[\s\-().]")


def norm_ident(s: str) -> str:
	return _JUNK.sub("", s or "").casefold()


def customer_key(customer: str) -> str:
	if not (customer or "").strip():
		raise ValueError("a blacklisted customer needs a name")
	return f"{CUSTOMER}:{customer.strip()}"


def buyer_key(platform: str, identity: str) -> str:
	platform, ident = (platform or "").strip(), norm_ident(identity)
	if not platform or not ident:
		raise ValueError(
			"a blacklisted marketplace buyer needs a platform and a buyer id, nick, e-mail or phone"
		)
	return f"{platform}:{ident}"


@dataclass(frozen=True)
class Entry:
	party_type: str  # CUSTOMER or CHANNEL_BUYER
	party: str  # the customer's name, or the buyer's normalised identity
	reason: str
	until: date | None = None  # last day it applies; None = until removed
	platform: str = ""  # for a marketplace buyer


def applies(entry: Entry, today: date) -> bool:
	return entry.until is None or today <= entry.until


def blocked_customers(entries: Iterable[Entry], today: date) -> dict[str, str]:
	"""Customer → reason, for the entries that still apply."""
	return {e.party: e.reason for e in entries if e.party_type == CUSTOMER and applies(e, today)}


def blocked_buyers(entries: Iterable[Entry], platform: str, today: date) -> dict[str, str]:
	"""Normalised buyer identity → reason, for this platform's entries that still apply."""
	return {
		norm_ident(e.party): e.reason
		for e in entries
		if e.party_type == CHANNEL_BUYER and e.platform == platform and applies(e, today)
	}
