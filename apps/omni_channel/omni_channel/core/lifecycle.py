"""What a version of a marketplace order does to ERPNext, given the platform's status and what
ERPNext already holds for it. Pure: the adapter (`erp/orders.py`) reads `ErpState`, asks
`next_step`, and performs the step.

    no Sales Order yet ─ open ─────────────────────────► create
                       └ cancelled / closed ───────────► skip (never a Sales Order; log Cancelled)
    Sales Order exists ─ open ─────────────────────────► keep (the version is recorded)
                       ├ cancelled, SO already cancelled ► nothing (a replay does nothing twice)
                       ├ cancelled, nothing picked or shipped
                       │     (only draft Pick Lists / Delivery Notes) ► cancel (drafts released first)
                       └ cancelled, picked or shipped ─► review (the SO stays; a person stops the
                                                         shipment or books the return)

A state never rolls back: once the Sales Order is cancelled, a later "open" version changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

STEPS = ("create", "skip", "keep", "nothing", "cancel", "review")


@dataclass(frozen=True, slots=True)
class ErpState:
	"""What ERPNext holds for one order key."""

	sales_order: str | None = None
	docstatus: int = 0  # of the Sales Order: 0 draft, 1 submitted, 2 cancelled
	submitted_delivery_notes: tuple[str, ...] = ()
	submitted_pick_lists: tuple[str, ...] = ()
	submitted_invoices: tuple[str, ...] = ()
	draft_delivery_notes: tuple[str, ...] = ()
	draft_pick_lists: tuple[str, ...] = ()
	draft_invoices: tuple[str, ...] = ()
	delivered_pct: float = 0.0


@dataclass(frozen=True, slots=True)
class Step:
	action: str  # one of STEPS
	reason: str = ""
	release: tuple[tuple[str, str], ...] = ()  # (doctype, name) drafts to take the order out of


def next_step(status: str, erp: ErpState) -> Step:
	"""The one thing to do for a version whose canonical status is `status`."""
	cancelled = status == "cancelled"
	if not erp.sales_order:
		if cancelled:
			return Step("skip", "cancelled or closed on the platform before a Sales Order was made")
		return Step("create")
	if erp.docstatus == 2:
		return Step("nothing", "the Sales Order is already cancelled")
	if not cancelled:
		return Step("keep")
	shipped = erp.submitted_delivery_notes or erp.delivered_pct > 0
	if shipped:
		docs = ", ".join(erp.submitted_delivery_notes) or f"{erp.delivered_pct:g}% delivered"
		return Step(
			"review",
			f"cancelled on the platform after shipping ({docs}): stop the shipment or book the return",
		)
	if erp.submitted_pick_lists:
		return Step(
			"review",
			"cancelled on the platform after picking ("
			+ ", ".join(erp.submitted_pick_lists)
			+ "): put the goods back and cancel the Sales Order",
		)
	if erp.submitted_invoices:
		return Step(
			"review",
			"cancelled on the platform after invoicing ("
			+ ", ".join(erp.submitted_invoices)
			+ "): issue a credit note and cancel the Sales Order",
		)
	release = (
		tuple(("Delivery Note", n) for n in erp.draft_delivery_notes)
		+ tuple(("Pick List", n) for n in erp.draft_pick_lists)
		+ tuple(("Sales Invoice", n) for n in erp.draft_invoices)
	)
	return Step("cancel", "cancelled on the platform", release)
