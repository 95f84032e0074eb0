"""What a version of a marketplace order does to ERPNext, given the platform's status and what
ERPNext already holds for it. Pure: the adapter (`erp/orders.py`) reads `ErpState`, asks
`next_step`, and performs the step.

    no Sales Order yet ─ open ─────────────────────────► create
                       └ cancelled / closed ───────────► skip (never a Sales Order; log Cancelled)
    Sales Order exists ─ open, nothing ERPNext holds differs ► keep (the version is recorded)
                       ├ open, lines / address / total differ, nothing picked, shipped or invoiced
                       │     ► amend (ERPNext's amend: cancel, amended copy at the new version;
                       │       drafts released first)
                       ├ open, differs, but picked, shipped or invoiced ► review (the difference
                       │       is shown; a person decides)
                       ├ cancelled, SO already cancelled ► nothing (a replay does nothing twice)
                       ├ cancelled, nothing picked or shipped
                       │     (only draft Pick Lists / Delivery Notes) ► cancel (drafts released first)
                       └ cancelled, picked or shipped ─► review (the SO stays; a person stops the
                                                         shipment or books the return)

A state never rolls back: once the Sales Order is cancelled, a later "open" version changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

STEPS = ("create", "skip", "keep", "nothing", "cancel", "review", "amend")


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


@dataclass(frozen=True, slots=True)
class SoLine:
	"""One row of a Sales Order as ERPNext holds it, or as the new version wants it."""

	line_id: str
	qty: float
	rate: float


def differences(
	held: tuple[SoLine, ...],
	wanted: tuple[SoLine, ...],
	address: tuple[str, str] | None = None,
	total: tuple[float, float] | None = None,
) -> tuple[str, ...]:
	"""What the new version changes in the Sales Order, one sentence each (empty: nothing).

	`address` and `total` are (held, wanted) pairs; amounts compare to the cent."""
	out = []
	have = {ln.line_id: ln for ln in held}
	want = {ln.line_id: ln for ln in wanted}
	for lid, w in want.items():
		h = have.get(lid)
		if h is None:
			out.append(f"line {lid} added: {w.qty:g} × {w.rate:.2f}")
			continue
		if round(h.qty, 6) != round(w.qty, 6):
			out.append(f"line {lid}: quantity {h.qty:g} → {w.qty:g}")
		if round(h.rate, 2) != round(w.rate, 2):
			out.append(f"line {lid}: rate {h.rate:.2f} → {w.rate:.2f}")
	for lid, h in have.items():
		if lid not in want:
			out.append(f"line {lid} removed (was {h.qty:g} × {h.rate:.2f})")
	if address and address[0] != address[1]:
		out.append(f"ship-to address: {address[0] or '(none)'} → {address[1] or '(none)'}")
	if total and round(total[0], 2) != round(total[1], 2):
		out.append(f"total {total[0]:.2f} → {total[1]:.2f}")
	return tuple(out)


def next_step(status: str, erp: ErpState, changes: tuple[str, ...] = ()) -> Step:
	"""The one thing to do for a version whose canonical status is `status`; `changes` are the
	`differences` between the Sales Order and what this version wants."""
	cancelled = status == "cancelled"
	if not erp.sales_order:
		if cancelled:
			return Step("skip", "cancelled or closed on the platform before a Sales Order was made")
		return Step("create")
	if erp.docstatus == 2:
		return Step("nothing", "the Sales Order is already cancelled")
	if not cancelled and not changes:
		return Step("keep")
	what = "cancelled" if cancelled else "changed (" + "; ".join(changes) + ")"
	shipped = erp.submitted_delivery_notes or erp.delivered_pct > 0
	if shipped:
		docs = ", ".join(erp.submitted_delivery_notes) or f"{erp.delivered_pct:g}% delivered"
		todo = (
			"stop the shipment or book the return"
			if cancelled
			else "ship what the buyer now wants or agree the difference with the buyer"
		)
		return Step("review", f"{what} on the platform after shipping ({docs}): {todo}")
	if erp.submitted_pick_lists:
		todo = (
			"put the goods back and cancel the Sales Order"
			if cancelled
			else "re-pick for the new version, or agree the difference with the buyer"
		)
		return Step(
			"review",
			f"{what} on the platform after picking (" + ", ".join(erp.submitted_pick_lists) + f"): {todo}",
		)
	if erp.submitted_invoices:
		todo = (
			"issue a credit note and cancel the Sales Order"
			if cancelled
			else "issue a credit note or a new invoice for the difference"
		)
		return Step(
			"review",
			f"{what} on the platform after invoicing (" + ", ".join(erp.submitted_invoices) + f"): {todo}",
		)
	release = (
		tuple(("Delivery Note", n) for n in erp.draft_delivery_notes)
		+ tuple(("Pick List", n) for n in erp.draft_pick_lists)
		+ tuple(("Sales Invoice", n) for n in erp.draft_invoices)
	)
	if not cancelled:
		return Step("amend", f"{what} on the platform before picking: the Sales Order is amended", release)
	return Step("cancel", "cancelled on the platform", release)
