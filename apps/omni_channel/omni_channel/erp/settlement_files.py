"""A platform's payout file (Alipay bill, Stripe payout CSV, Shopify payout) → one draft Channel Settlement.

The core parses the file (`core.settlement_files`): a malformed file is refused with every bad line
and its reason, and nothing is made. The lines are matched as posting matches them: the platform's
order id names the shop's Channel Order Log, its Sales Order, and the submitted Sales Invoice of
that order (for a refund, the credit note against it). What posting would find different from the
orders, and lines whose order or invoice we do not have, are written to the settlement's variances.
Posting stays `erp.settlements.post`: one Journal Entry, once.

The draft is made with the caller's own rights (create on Channel Settlement); the caller must be
able to read the file it names.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import escape_html

from omni_channel.core import settlement_files
from omni_channel.core.errors import ChannelInputError
from omni_channel.core.money import reconcile
from omni_channel.core.order import order_key
from omni_channel.erp.settlements import expected_for

FORMAT_LABELS = {
	"alipay": "Alipay / Taobao bill (账务明细 CSV)",
	"stripe": "Stripe payout CSV (WooCommerce)",
	"shopify": "Shopify Payments payout (JSON)",
}


class SettlementFileRefused(frappe.ValidationError):
	pass


def _file_content(file_url: str) -> bytes | str:
	if not file_url or not file_url.startswith(("/files/", "/private/files/")):
		frappe.throw(_("Attach the settlement file first."), SettlementFileRefused)
	for name in frappe.get_all("File", filters={"file_url": file_url, "is_folder": 0}, pluck="name"):
		file_doc = frappe.get_doc("File", name)
		if frappe.has_permission("File", "read", doc=file_doc):
			return file_doc.get_content()
	raise frappe.PermissionError(_("You cannot read that file."))


def _refuse(error: ChannelInputError) -> None:
	problems = getattr(error, "problems", None)
	if not problems:
		frappe.throw(escape_html(error.reason), SettlementFileRefused, title=_("Settlement file refused"))
	items = "".join(
		"<li>{}</li>".format(
			_("Line {0}: {1}").format(p.line, escape_html(p.reason)) if p.line else escape_html(p.reason)
		)
		for p in problems
	)
	frappe.throw(
		_("Nothing was imported. Correct these lines of the file:") + f"<ul>{items}</ul>",
		SettlementFileRefused,
		title=_("Settlement file refused"),
	)


def invoices_of(shop: str, order_ids) -> dict[str, tuple[str | None, list[tuple[str, float]]]]:
	"""order id → (its submitted Sales Invoice, [(credit note, grand total)]) for the shop's orders."""
	out = {}
	for oid in order_ids:
		so = frappe.db.get_value("Channel Order Log", order_key(shop, oid), "sales_order")
		invoice = None
		if so:
			invoice = frappe.db.get_value(
				"Sales Invoice",
				{"name": ("in", _invoices_with(so)), "docstatus": 1, "is_return": 0},
				"name",
				order_by="posting_date asc",
			)
		notes = (
			frappe.get_all(
				"Sales Invoice",
				filters={"return_against": invoice, "docstatus": 1, "is_return": 1},
				fields=["name", "grand_total"],
				order_by="posting_date asc",
			)
			if invoice
			else []
		)
		out[oid] = (invoice, [(n.name, n.grand_total) for n in notes])
	return out


def _invoices_with(sales_order: str) -> list[str]:
	return frappe.get_all(
		"Sales Invoice Item",
		filters={"sales_order": sales_order, "docstatus": 1},
		pluck="parent",
		distinct=True,
	) or [""]


def import_file(shop_name: str, file_format: str, file_url: str):
	"""Parse the file and make one draft Channel Settlement of `shop_name`; returns it."""
	if file_format not in settlement_files.FORMATS:
		frappe.throw(
			_("Unknown settlement file format {0}.").format(escape_html(str(file_format))),
			SettlementFileRefused,
		)
	# one import per shop at a time: the statement-id check below holds under concurrent imports
	frappe.db.get_value("Channel Shop", shop_name, "name", for_update=True)
	shop = frappe.get_doc("Channel Shop", shop_name)
	content = _file_content(file_url)
	try:
		parsed = settlement_files.parse(file_format, content)
	except ChannelInputError as e:
		_refuse(e)
	currency = frappe.get_cached_value("Company", shop.company, "default_currency")
	if parsed.currency != currency:
		frappe.throw(
			_("The file is in {0}; {1} keeps its books in {2}.").format(
				parsed.currency, shop.company, currency
			),
			SettlementFileRefused,
		)
	existing = frappe.db.get_value(
		"Channel Settlement", {"shop": shop.name, "statement_id": parsed.statement_id}
	)
	if existing:
		frappe.throw(
			_("Statement {0} of {1} is already imported as {2}.").format(
				escape_html(parsed.statement_id), shop.name, existing
			),
			frappe.DuplicateEntryError,
		)

	order_ids = list(dict.fromkeys(ln.order_id for ln in parsed.lines))
	invoices = invoices_of(shop.name, order_ids)
	notes_left = {oid: list(notes) for oid, (_inv, notes) in invoices.items()}
	rows, unmatched = [], []
	for ln in parsed.lines:
		invoice, _notes = invoices[ln.order_id]
		matched = invoice
		if ln.kind == "refund":
			left = notes_left[ln.order_id]
			same = next((n for n in left if abs(abs(n[1]) - float(-ln.amount)) < 0.005), None)
			note = same or (left[0] if left else None)
			if note:
				left.remove(note)
			matched = note[0] if note else None
			if invoice and not note:
				unmatched.append(
					_("Line {0}: the refund of {1} on order {2} has no credit note yet.").format(
						ln.line, ln.amount, escape_html(ln.order_id)
					)
				)
		rows.append(
			{
				"order_id": ln.order_id,
				"kind": ln.kind,
				"amount": float(ln.amount),
				"memo": ln.memo[:140],
				"reference": ln.reference[:140],
				"sales_invoice": matched,
			}
		)
	for oid in order_ids:
		if not invoices[oid][0]:
			lines = ", ".join(str(ln.line) for ln in parsed.lines if ln.order_id == oid)
			unmatched.append(
				_("Line {0}: {1} is not an invoiced order of {2}.").format(lines, escape_html(oid), shop.name)
			)
	rec = reconcile(parsed.statement(shop.name), expected_for(shop, order_ids))
	variances = [escape_html(v.message) for v in rec.variances] + unmatched

	doc = frappe.get_doc(
		{
			"doctype": "Channel Settlement",
			"shop": shop.name,
			"statement_id": parsed.statement_id,
			"period_end": parsed.period_end,
			"payout": float(parsed.payout),
			"source_format": file_format,
			"source_file": file_url,
			"variances": "\n".join(dict.fromkeys(variances)) or None,
			"lines": rows,
		}
	)
	doc.flags.from_settlement_file = True
	doc.insert()
	_attach(file_url, doc.name)
	return doc


def _attach(file_url: str, settlement: str) -> None:
	"""The file shows on the settlement it made (when it is attached to nothing else)."""
	name = frappe.db.get_value(
		"File", {"file_url": file_url, "attached_to_doctype": ("is", "not set"), "owner": frappe.session.user}
	)
	if name:
		frappe.db.set_value(
			"File",
			name,
			{
				"attached_to_doctype": "Channel Settlement",
				"attached_to_name": settlement,
				"attached_to_field": "source_file",
			},
		)
