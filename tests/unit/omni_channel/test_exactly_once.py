"""Identity, versions, remembered deliveries and the outbox: nothing lost, nothing written twice."""

import hashlib
import re
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omni_channel.core.exactly_once import ErpRejected, OrderBook, Outbox, OutboxPolicy, SeenWebhooks, decide
from omni_channel.core.order import compare_order_versions, compare_versions, order_key, version_of
from tests.unit.omni_channel.factories import T0, CanonicalOrderFactory


class FakeErp:
	"""Fails the first `fail` calls to create/update, then works; can commit and still raise."""

	def __init__(self, fail=0, commit_then_fail=0, reject=False):
		self.fail, self.commit_then_fail, self.reject = fail, commit_then_fail, reject
		self.docs = {}  # key → (name, version, order)
		self.writes = 0
		self.calls = 0

	def find_order(self, key):
		if key in self.docs:
			name, version, _ = self.docs[key]
			return name, version
		return None

	def _maybe_fail(self):
		self.calls += 1
		if self.reject:
			raise ErpRejected("Item TEA-1 is disabled")
		if self.fail:
			self.fail -= 1
			raise TimeoutError("Lock wait timeout exceeded")

	def create_order(self, key, order):
		self._maybe_fail()
		name = f"SO-{len(self.docs) + 1:05d}"
		self.docs[key] = (name, version_of(order), order)
		self.writes += 1
		if self.commit_then_fail:
			self.commit_then_fail -= 1
			raise ConnectionError("worker killed after commit")
		return name

	def update_order(self, name, key, order):
		self._maybe_fail()
		self.docs[key] = (name, version_of(order), order)
		self.writes += 1


POLICY = OutboxPolicy(max_attempts=5, base_delay=timedelta(seconds=10), max_delay=timedelta(minutes=5))


def drive(outbox, erp, start=T0, steps=50):
	"""Run the outbox whenever something is due, jumping the clock to the next due time."""
	now = start
	for _ in range(steps):
		outbox.run(erp, now)
		nxt = outbox.next_due_at()
		if nxt is None:
			break
		now = max(now, nxt)
	return now


def test_versions_newer_older_equal():
	assert compare_versions(T0 + timedelta(seconds=1), T0) == "newer"
	assert compare_versions(T0, T0 + timedelta(seconds=1)) == "older"
	assert compare_versions(T0, T0) == "equal"
	assert (
		decide(T0, None) == "create"
		and decide(T0, T0) == "ignore"
		and decide(T0 - timedelta(1), T0) == "ignore"
	)
	assert decide(None, T0) == "ignore"


def test_order_book_never_rolls_back():
	book = OrderBook()
	o1 = CanonicalOrderFactory(updated_at=T0)
	o2 = replace(o1, updated_at=T0 + timedelta(minutes=5), status="shipped")
	assert book.accept(o2) == "create"
	assert book.accept(o1) == "ignore"  # the older webhook arrives late
	assert book.accept(o2) == "ignore"
	assert book.versions[o1.key] == version_of(o2)


def test_seen_webhooks_pass_once_per_shop():
	seen = SeenWebhooks()
	assert seen.first_time("a", "w1") and not seen.first_time("a", "w1") and seen.first_time("b", "w1")


def test_fake_erp_failing_n_times_then_recovering_writes_exactly_once_with_back_off():
	erp = FakeErp(fail=3)
	box = Outbox(POLICY)
	o = CanonicalOrderFactory()
	box.put(o)
	box.run(erp, T0)
	e = box.entries[o.key]
	assert e.state == "waiting" and e.attempts == 1 and e.next_attempt_at == T0 + timedelta(seconds=10)
	assert box.run(erp, T0 + timedelta(seconds=5)) == []  # not due yet
	end = drive(box, erp)
	e = box.entries[o.key]
	assert e.state == "done" and e.erp_name == "SO-00001" and erp.writes == 1
	assert end == T0 + timedelta(seconds=10 + 20 + 40)  # 10 s, 20 s, 40 s back-off


def test_crash_after_commit_is_not_written_twice():
	erp = FakeErp(commit_then_fail=1)
	box = Outbox(POLICY)
	o = CanonicalOrderFactory()
	box.put(o)
	drive(box, erp)
	assert box.entries[o.key].state == "done" and erp.writes == 1 and len(erp.docs) == 1


def test_gives_up_into_held_then_a_person_releases_it():
	erp = FakeErp(fail=100)
	box = Outbox(POLICY)
	o = CanonicalOrderFactory()
	box.put(o)
	drive(box, erp)
	e = box.entries[o.key]
	assert e.state == "held" and e.attempts == 5 and "gave up after 5 attempts" in e.last_error
	assert erp.docs == {}  # nothing written, but the order is still here
	erp.fail = 0
	box.release([o.key])
	box.run(erp, T0 + timedelta(days=1))
	assert box.entries[o.key].state == "done" and erp.writes == 1


def test_erp_refusal_is_held_at_once_with_its_reason():
	box = Outbox(POLICY)
	o = CanonicalOrderFactory()
	box.put(o)
	box.run(FakeErp(reject=True), T0)
	e = box.entries[o.key]
	assert e.state == "held" and e.attempts == 1 and "Item TEA-1 is disabled" in e.last_error


def test_newer_version_while_waiting_is_the_one_written_and_older_is_ignored():
	erp = FakeErp(fail=1)
	box = Outbox(POLICY)
	o1 = CanonicalOrderFactory()
	o2 = replace(o1, updated_at=o1.updated_at + timedelta(minutes=1), status="shipped")
	box.put(o1)
	box.run(erp, T0)
	assert box.put(o2) and not box.put(o1)
	drive(box, erp)
	assert erp.docs[o1.key][2].status == "shipped" and erp.writes == 1


def test_update_after_done_goes_through_update_once():
	erp = FakeErp()
	box = Outbox(POLICY)
	o1 = CanonicalOrderFactory()
	box.put(o1)
	box.run(erp, T0)
	o2 = replace(o1, updated_at=o1.updated_at + timedelta(hours=1), status="cancelled")
	assert box.put(o2) and not box.put(o2)
	box.run(erp, T0)
	box.run(erp, T0)
	assert erp.writes == 2 and erp.docs[o1.key][2].status == "cancelled" and box.counts()["done"] == 1


@given(
	fails=st.integers(0, 6),
	versions=st.lists(st.integers(0, 20), min_size=1, max_size=12),
)
def test_any_failure_count_and_delivery_order_ends_with_the_latest_version_written(fails, versions):
	erp = FakeErp(fail=fails)
	box = Outbox(OutboxPolicy(max_attempts=10, base_delay=timedelta(seconds=1)))
	base = CanonicalOrderFactory(external_id="42")
	now = T0
	for v in versions:
		box.put(replace(base, updated_at=T0 + timedelta(minutes=v)))
		box.run(erp, now)
		now += timedelta(seconds=1)
	drive(box, erp, now)
	assert erp.docs[base.key][1].updated_at == T0 + timedelta(minutes=max(versions))
	assert erp.writes <= len(set(versions))  # never more writes than distinct versions


def _same_second_pair():
	"""Two deliveries of one order with one `updated_at`, one status, but other content (a refund)."""
	paid = CanonicalOrderFactory(external_id="77", updated_at=T0, status="paid")
	refunded = replace(paid, grand_total=paid.grand_total - Decimal("5"), seller_note="refund 5")
	return paid, refunded


def test_order_book_same_second_other_content_is_a_new_version_in_a_stable_order():
	paid, refunded = _same_second_pair()
	ends = []
	for first, second in ((paid, refunded), (refunded, paid)):
		book = OrderBook()
		assert book.accept(first) == "create"
		book.accept(second)
		ends.append(book.versions[paid.key])
	assert ends[0] == ends[1], "the same winner whichever delivery arrives first"
	winner = paid if ends[0] == version_of(paid) else refunded
	loser = refunded if winner is paid else paid
	book = OrderBook()
	assert book.accept(loser) == "create" and book.accept(winner) == "update"
	assert book.accept(winner) == "ignore" and book.accept(loser) == "ignore"


def test_order_book_the_same_content_replayed_is_a_duplicate_also_respelled():
	paid, _ = _same_second_pair()
	book = OrderBook()
	assert book.accept(paid) == "create"
	respelled = replace(paid, grand_total=Decimal(f"{paid.grand_total:.3f}"))
	assert book.accept(paid) == "ignore" and book.accept(respelled) == "ignore"


def test_outbox_writes_the_same_second_winner_whichever_arrives_first():
	paid, refunded = _same_second_pair()
	written = []
	for order in ((paid, refunded), (refunded, paid)):
		erp, box = FakeErp(), Outbox(POLICY)
		for o in order:
			box.put(o)
			box.run(erp, T0)
		written.append(erp.docs[paid.key][2])
		assert not box.put(order[0]) and not box.put(order[1]), "replays change nothing"
	assert written[0] == written[1]


def test_outbox_rewrites_a_same_second_version_a_timestamp_only_port_cannot_tell_apart():
	paid, refunded = _same_second_pair()
	newer = compare_order_versions(version_of(refunded), version_of(paid)) == "newer"
	winner = refunded if newer else paid
	erp, box = FakeErp(), Outbox(POLICY)
	erp.docs[paid.key] = ("SO-9", T0, paid)  # an older port: it kept the timestamp only
	box.put(winner)
	box.run(erp, T0)
	assert erp.docs[paid.key][2] == winner and erp.writes == 1


def test_decide_takes_versions_and_bare_timestamps():
	paid, refunded = _same_second_pair()
	a, b = sorted((version_of(paid), version_of(refunded)), key=lambda v: v.digest)
	assert decide(b, a) == "update" and decide(a, b) == "ignore" and decide(a, a) == "ignore"
	assert decide(a, T0) == "update", "rank/digest beat a bare same-second timestamp"
	assert decide(T0, a) == "ignore"


SAFE = re.compile(r"[A-Za-z0-9._@:~-]+")


@given(
	shop=st.text(min_size=1, max_size=200).filter(str.strip),
	ext=st.text(min_size=1, max_size=200).filter(str.strip),
)
def test_order_key_is_short_and_safe(shop, ext):
	k = order_key(shop, ext)
	assert len(k) <= 140 and SAFE.fullmatch(k)
	if re.fullmatch(r"[A-Za-z0-9._@-]+", shop.strip()) and re.fullmatch(r"[A-Za-z0-9._@-]+", ext.strip()):
		if len(shop.strip()) + 1 + len(ext.strip()) <= 140:
			assert k == f"{shop.strip()}:{ext.strip()}"  # simple pairs stay readable


@given(
	a=st.tuples(st.text(min_size=1, max_size=60), st.text(min_size=1, max_size=60)),
	b=st.tuples(st.text(min_size=1, max_size=60), st.text(min_size=1, max_size=60)),
)
def test_different_pairs_never_share_a_key(a, b):
	a, b = tuple(x.strip() for x in a), tuple(x.strip() for x in b)
	if all(a) and all(b) and a != b:
		assert order_key(*a) != order_key(*b)


@pytest.mark.parametrize(
	"shop, ext, key",
	[
		# worked by hand: the runs of other characters become "-", then "~" and the SHA-1 of
		# "<len(shop)>|<shop>|<ext>", e.g. sha1("10|tmall shop|#1001") = 573ef312…
		("tmall shop", "#1001", "tmall-shop-1001~" + hashlib.sha1(b"10|tmall shop|#1001").hexdigest()),
		("tmall shop", "#1001", "tmall-shop-1001~573ef312a1f5eeab4a374764e6fbe685be15ff61"),
		("淘宝旗舰店", "3712345678901234567", "3712345678901234567~aa1c3d90d90332a6064d2eea540a8612038f5f21"),
		(" acme-cn ", " 42 ", "acme-cn:42"),
	],
)
def test_order_key_never_changes_between_releases(shop, ext, key):
	"""The key is a document name already stored: a different key for the same pair next release
	would make a second Sales Order."""
	assert order_key(shop, ext) == key


@pytest.mark.parametrize(
	"incoming, stored, verdict",
	[
		(None, None, "equal"),
		(T0, None, "newer"),  # nothing stored yet: anything is newer
		(None, T0, "older"),  # no version can never replace a stored one
		(T0, T0, "equal"),
		(T0 + timedelta(seconds=1), T0, "newer"),
		(T0, T0 + timedelta(seconds=1), "older"),
	],
)
def test_compare_versions_table(incoming, stored, verdict):
	assert compare_versions(incoming, stored) == verdict


def test_order_key_readable_when_simple_and_distinct_when_not():
	assert order_key("acme-cn", "3712345678901234567") == "acme-cn:3712345678901234567"
	assert order_key("a:b", "c") != order_key("a", "b:c")
	assert order_key("shop", "#1001") != order_key("shop", "-1001")
