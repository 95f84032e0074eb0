"""An order's life after its Sales Order exists, and versions that share an `updated_at` (issue 11, 1-2)."""

import itertools
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import reduce

from hypothesis import given
from hypothesis import strategies as st

from omni_channel.core.lifecycle import ErpState, next_step
from omni_channel.core.order import (
	STATUSES,
	Version,
	compare_order_versions,
	content_digest,
	version_of,
)
from tests.unit.omni_channel.factories import CanonicalOrderFactory

T0 = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
OPEN_SO = ErpState(sales_order="SAL-ORD-1", docstatus=1)


# ---- versions -------------------------------------------------------------------------------------


def test_a_same_second_cancellation_is_newer_than_the_open_order_whatever_the_digests():
	paid = Version(T0, STATUSES.index("paid"), "f" * 64)
	cancelled = Version(T0, STATUSES.index("cancelled"), "0" * 64)
	assert compare_order_versions(cancelled, paid) == "newer"
	assert compare_order_versions(paid, cancelled) == "older", "a state never rolls back"


def test_the_same_content_replayed_is_equal_and_other_content_is_a_new_version():
	order = CanonicalOrderFactory(updated_at=T0, status="paid")
	assert compare_order_versions(version_of(order), version_of(order)) == "equal"
	refunded = replace(order, grand_total=order.grand_total - Decimal("10"))
	verdicts = {
		compare_order_versions(version_of(refunded), version_of(order)),
		compare_order_versions(version_of(order), version_of(refunded)),
	}
	assert verdicts == {"newer", "older"}, "one of two different same-second versions wins, stably"


def test_a_later_updated_at_wins_over_any_status_rank():
	cancelled = Version(T0, STATUSES.index("cancelled"), "a")
	later_paid = Version(T0 + timedelta(seconds=1), STATUSES.index("paid"), "b")
	assert compare_order_versions(later_paid, cancelled) == "newer"
	assert compare_order_versions(cancelled, later_paid) == "older"


def test_nothing_stored_and_no_timestamp():
	assert compare_order_versions(Version(T0), None) == "newer"
	assert compare_order_versions(Version(None), Version(T0)) == "older"
	assert compare_order_versions(None, Version(T0)) == "older"


def test_the_digest_ignores_spelling_but_sees_money_status_and_lines():
	order = CanonicalOrderFactory(updated_at=T0, status="paid", grand_total=Decimal("19.9"))
	assert content_digest(order) == content_digest(replace(order, grand_total=Decimal("19.90")))
	assert content_digest(order) == content_digest(replace(order, updated_at=T0 + timedelta(hours=1)))
	assert content_digest(order) != content_digest(replace(order, status="cancelled"))
	assert content_digest(order) != content_digest(replace(order, grand_total=Decimal("19.91")))
	assert content_digest(order) != content_digest(replace(order, lines=order.lines[:-1]))


versions = st.builds(
	Version,
	st.sampled_from([T0, T0 + timedelta(seconds=1), T0 + timedelta(seconds=2)]),
	st.integers(0, len(STATUSES) - 1),
	st.sampled_from(["a", "b", "c"]),
)


def _keep_newer(stored, incoming):
	return incoming if compare_order_versions(incoming, stored) == "newer" else stored


@given(st.lists(versions, min_size=1, max_size=8))
def test_any_delivery_order_ends_on_the_same_version(deliveries):
	"""The rule is a total order: the version kept does not depend on the order deliveries arrive in."""
	ends = {
		reduce(_keep_newer, perm, None) for perm in itertools.islice(itertools.permutations(deliveries), 50)
	}
	assert len(ends) == 1
	assert ends.pop() == max(deliveries, key=lambda v: (v.updated_at, v.rank, v.digest))


@given(versions, versions)
def test_compare_is_antisymmetric(a, b):
	flip = {"newer": "older", "older": "newer", "equal": "equal"}
	assert compare_order_versions(a, b) == flip[compare_order_versions(b, a)]
	assert (compare_order_versions(a, b) == "equal") == (a == b)


# ---- what a version does to ERPNext --------------------------------------------------------------


def test_an_order_arriving_cancelled_never_becomes_a_sales_order():
	assert next_step("cancelled", ErpState()).action == "skip"
	assert next_step("paid", ErpState()).action == "create"
	assert next_step("pending", ErpState()).action == "create"


def test_cancelled_before_picking_cancels_the_sales_order():
	step = next_step("cancelled", OPEN_SO)
	assert step.action == "cancel" and "cancelled" in step.reason


def test_draft_pick_lists_and_delivery_notes_are_released_before_cancelling():
	state = replace(
		OPEN_SO, draft_pick_lists=("PL-1",), draft_delivery_notes=("DN-1",), draft_invoices=("SI-1",)
	)
	step = next_step("cancelled", state)
	assert step.action == "cancel"
	assert set(step.release) == {("Pick List", "PL-1"), ("Delivery Note", "DN-1"), ("Sales Invoice", "SI-1")}


def test_cancelled_after_shipping_goes_to_a_person_with_the_delivery_note_named():
	step = next_step("cancelled", replace(OPEN_SO, submitted_delivery_notes=("DN-7",), delivered_pct=100))
	assert step.action == "review" and "DN-7" in step.reason and "shipping" in step.reason
	assert next_step("cancelled", replace(OPEN_SO, delivered_pct=50)).action == "review"


def test_cancelled_after_picking_or_invoicing_goes_to_a_person():
	assert next_step("cancelled", replace(OPEN_SO, submitted_pick_lists=("PL-9",))).action == "review"
	assert next_step("cancelled", replace(OPEN_SO, submitted_invoices=("SI-9",))).action == "review"


def test_a_replayed_cancellation_does_nothing_twice_and_a_cancelled_order_never_reopens():
	done = replace(OPEN_SO, docstatus=2)
	assert next_step("cancelled", done).action == "nothing"
	assert next_step("paid", done).action == "nothing"


def test_an_open_version_after_the_sales_order_keeps_it():
	assert next_step("paid", OPEN_SO).action == "keep"
	assert next_step("shipped", OPEN_SO).action == "keep"


# ---- changes after the Sales Order: amend before picking, review after (issue 11, "An order's life") ----

from omni_channel.core.lifecycle import SoLine, differences  # noqa: E402

HELD = (SoLine("L1", 2, 12.0), SoLine("L2", 1, 5.5))


def test_differences_name_each_change_in_a_sentence():
	wanted = (SoLine("L1", 3, 12.0), SoLine("L3", 1, 9.9))
	got = differences(HELD, wanted, ("Road 1, Guangzhou", "Road 2, Guangzhou"), (29.5, 45.9))
	assert got == (
		"line L1: quantity 2 → 3",
		"line L3 added: 1 × 9.90",
		"line L2 removed (was 1 × 5.50)",
		"ship-to address: Road 1, Guangzhou → Road 2, Guangzhou",
		"total 29.50 → 45.90",
	)


def test_no_differences_to_the_cent_is_no_change():
	same = (SoLine("L1", 2, 12.0001), SoLine("L2", 1, 5.5))
	assert differences(HELD, same, ("a", "a"), (29.5, 29.501)) == ()
	assert differences(HELD, (SoLine("L1", 2, 12.01), HELD[1])) == ("line L1: rate 12.00 → 12.01",)


def test_a_change_before_picking_amends_with_drafts_released():
	erp = ErpState(sales_order="SO-1", docstatus=1, draft_pick_lists=("PL-1",))
	step = next_step("paid", erp, ("line L1: quantity 2 → 3",))
	assert step.action == "amend" and ("Pick List", "PL-1") in step.release
	assert "quantity 2 → 3" in step.reason
	assert next_step("paid", OPEN_SO, ()).action == "keep", "no change: the version is only recorded"


def test_a_change_after_picking_shipping_or_invoicing_is_held_with_the_difference_shown():
	change = ("line L1: quantity 2 → 3",)
	for erp, where in (
		(ErpState(sales_order="SO-1", docstatus=1, submitted_pick_lists=("PL-9",)), "after picking (PL-9)"),
		(
			ErpState(sales_order="SO-1", docstatus=1, submitted_delivery_notes=("DN-9",)),
			"after shipping (DN-9)",
		),
		(ErpState(sales_order="SO-1", docstatus=1, submitted_invoices=("SI-9",)), "after invoicing (SI-9)"),
	):
		step = next_step("paid", erp, change)
		assert step.action == "review" and where in step.reason and "quantity 2 → 3" in step.reason


def test_a_cancellation_wins_over_changes_and_an_amended_state_never_rolls_back():
	assert next_step("cancelled", OPEN_SO, ("total 1.00 → 2.00",)).action == "cancel"
	gone = ErpState(sales_order="SO-1", docstatus=2)
	assert next_step("paid", gone, ("total 1.00 → 2.00",)).action == "nothing"
