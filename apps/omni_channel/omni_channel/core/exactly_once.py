"""Exactly once: identity, versions, remembered webhook ids, and the outbox to the ERP.

Identity is (shop, external id) → `order_key`. A version is `core.order.Version`: the platform's
`updated_at`, then the status rank, then a digest of the content that matters, so two deliveries
with one `updated_at` but other content are two versions, ordered the same way whichever arrives
first, and the same content replayed is a duplicate. A newer version updates, an older or equal
one is ignored, so out-of-order webhooks never roll state back. Delivery ids already
processed are remembered. The outbox holds each order until the ERP port has written it:

    pending ──dispatch ok──► done
       │  ▲                    │ newer version enqueued
       │  └──due again──┐      ▼
       └─ERP failed──► waiting (back-off: base·2^(n−1), capped)      pending (update)
                         └─ attempts exhausted / ERP refuses for good ─► held (a person releases it → pending)

Nothing is lost (a failed order stays in the outbox) and nothing is written twice: before
writing, the port is asked what it already holds for the key, and an ERP copy at the same or
a newer version counts as done (covers "wrote, then crashed before recording it").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Protocol

from omni_channel.core.order import CanonicalOrder, Version, compare_order_versions, version_of


def as_version(v: Version | datetime | None) -> Version | None:
	"""A bare timestamp (what an older port or caller knows) as a Version without rank or digest."""
	if v is None or isinstance(v, Version):
		return v
	return Version(v)


def decide(incoming: Version | datetime | None, stored: Version | datetime | None) -> str:
	"""'create' | 'update' | 'ignore' for an incoming version against what is stored."""
	incoming, stored = as_version(incoming), as_version(stored)
	if stored is None and incoming is not None and incoming.updated_at is not None:
		return "create"
	return "update" if compare_order_versions(incoming, stored) == "newer" else "ignore"


class SeenWebhooks:
	"""Delivery ids already processed (in-memory reference; the ERP side uses the log's primary key)."""

	def __init__(self):
		self._seen: set[tuple[str, str]] = set()

	def first_time(self, shop: str, webhook_id: str) -> bool:
		"""True once per (shop, id): remembers it in the same step, so a race cannot pass twice."""
		k = (shop, webhook_id)
		if k in self._seen:
			return False
		self._seen.add(k)
		return True


class OrderBook:
	"""The latest accepted version per order key (in-memory reference of the log doctype)."""

	def __init__(self):
		self.versions: dict[str, Version] = {}

	def accept(self, order: CanonicalOrder) -> str:
		"""'create' | 'update' | 'ignore'; records the version when it is accepted."""
		key = order.key
		incoming = version_of(order)
		action = decide(incoming, self.versions.get(key))
		if action != "ignore":
			self.versions[key] = incoming
		return action


# ---- the ERP port -------------------------------------------------------------------------------


class ErpRejected(Exception):
	"""The ERP will not take this order as it is (e.g. validation); retrying will not help."""


class ErpPort(Protocol):
	"""What the outbox needs from the ERP; the Frappe adapter implements it.

	`find_order` must see writes that `create_order` committed, even from an earlier attempt.
	Any exception other than `ErpRejected` is taken as temporary (lock wait, timeout, deploy).
	"""

	def find_order(self, key: str) -> tuple[str, Version | datetime | None] | None:
		"""(ERP document name, version it was written from) for the key, or None.

		A port that keeps only the timestamp may answer a datetime: a same-second version with
		other content is then written again (an update is safe to repeat)."""

	def create_order(self, key: str, order: CanonicalOrder) -> str:
		"""Write a new Sales Order for the key; return its name."""

	def update_order(self, name: str, key: str, order: CanonicalOrder) -> None:
		"""Bring an existing Sales Order up to this version (or record why it cannot change)."""


@dataclass(frozen=True)
class OutboxPolicy:
	max_attempts: int = 8
	base_delay: timedelta = timedelta(seconds=30)
	max_delay: timedelta = timedelta(hours=1)

	def delay(self, attempts: int) -> timedelta:
		return min(self.max_delay, self.base_delay * (2 ** max(0, attempts - 1)))


STATES = ("pending", "waiting", "done", "held")


@dataclass(frozen=True)
class OutboxEntry:
	key: str
	order: CanonicalOrder
	state: str = "pending"
	attempts: int = 0
	next_attempt_at: datetime | None = None  # None = due now
	last_error: str = ""
	erp_name: str = ""
	written_version: Version | None = None

	@property
	def version(self) -> Version:
		return version_of(self.order)

	def due(self, now: datetime) -> bool:
		return self.state == "pending" or (
			self.state == "waiting" and (self.next_attempt_at is None or self.next_attempt_at <= now)
		)


# transitions: pure functions the adapter may also use on its own stored rows


def offer(entry: OutboxEntry | None, order: CanonicalOrder) -> OutboxEntry | None:
	"""A new version for the outbox; returns the entry to store, or None when it changes nothing."""
	if entry is None:
		return OutboxEntry(key=order.key, order=order)
	if compare_order_versions(version_of(order), version_of(entry.order)) != "newer":
		return None
	if entry.state == "done":
		return replace(entry, order=order, state="pending", attempts=0, next_attempt_at=None, last_error="")
	# still on its way (pending / waiting / held): carry the newer version, keep the schedule
	return replace(entry, order=order)


def succeeded(entry: OutboxEntry, erp_name: str) -> OutboxEntry:
	return replace(
		entry,
		state="done",
		erp_name=erp_name,
		written_version=entry.version,
		last_error="",
		next_attempt_at=None,
	)


def failed(
	entry: OutboxEntry, now: datetime, error: str, policy: OutboxPolicy, permanent: bool = False
) -> OutboxEntry:
	attempts = entry.attempts + 1
	if permanent or attempts >= policy.max_attempts:
		why = "refused by the ERP" if permanent else f"gave up after {attempts} attempts"
		return replace(
			entry, state="held", attempts=attempts, last_error=f"{why}: {error}"[:1000], next_attempt_at=None
		)
	return replace(
		entry,
		state="waiting",
		attempts=attempts,
		last_error=error[:1000],
		next_attempt_at=now + policy.delay(attempts),
	)


def release(entry: OutboxEntry) -> OutboxEntry:
	"""A person fixed the cause of a held entry: try again now."""
	if entry.state != "held":
		return entry
	return replace(entry, state="pending", attempts=0, next_attempt_at=None)


def dispatch(entry: OutboxEntry, port: ErpPort, now: datetime, policy: OutboxPolicy) -> OutboxEntry:
	"""Try to write one entry through the port; returns the entry's next state."""
	try:
		found = port.find_order(entry.key)
		if found is None:
			name = port.create_order(entry.key, entry.order)
		else:
			name, written = found
			if compare_order_versions(entry.version, as_version(written)) == "newer":
				port.update_order(name, entry.key, entry.order)
		return succeeded(entry, name)
	except ErpRejected as e:
		return failed(entry, now, str(e) or "rejected", policy, permanent=True)
	except Exception as e:  # the ERP side is down or busy: wait and retry
		return failed(entry, now, f"{type(e).__name__}: {e}", policy)


@dataclass
class Outbox:
	"""In-memory outbox (reference and test double of the adapter's doctype-backed one)."""

	policy: OutboxPolicy = field(default_factory=OutboxPolicy)
	entries: dict[str, OutboxEntry] = field(default_factory=dict)

	def put(self, order: CanonicalOrder) -> bool:
		new = offer(self.entries.get(order.key), order)
		if new is None:
			return False
		self.entries[order.key] = new
		return True

	def due(self, now: datetime) -> list[OutboxEntry]:
		return [e for e in self.entries.values() if e.due(now)]

	def run(self, port: ErpPort, now: datetime) -> list[OutboxEntry]:
		"""Dispatch everything due; returns the entries as they now stand."""
		out = []
		for e in self.due(now):
			nxt = dispatch(e, port, now, self.policy)
			self.entries[e.key] = nxt
			out.append(nxt)
		return out

	def next_due_at(self) -> datetime | None:
		times = [
			e.next_attempt_at for e in self.entries.values() if e.state == "waiting" and e.next_attempt_at
		]
		return min(times) if times else None

	def release(self, keys: Iterable[str]) -> None:
		for k in keys:
			if k in self.entries:
				self.entries[k] = release(self.entries[k])

	def counts(self) -> dict[str, int]:
		c = dict.fromkeys(STATES, 0)
		for e in self.entries.values():
			c[e.state] += 1
		return c
