"""Platform settlement statements into the General Ledger, once each, as one Journal Entry.

The core turns the statement into balanced accounting lines by role and compares it with what
the orders expected (`money.reconcile`). Roles map to the shop's accounts: the receivable is
the shop's customer in Debtors (the platform paid their invoices for them), commission and fees
to an expense account, shipping to another, promotion subsidies to income, and everything
against the platform clearing account, where the payout arrives.

Posting needs the caller's own rights: create and submit on Journal Entry, and ERPNext's checks
(user permissions on the company and accounts included) apply to the entry it writes.
"""

import json
from decimal import Decimal

import frappe
from erpnext.accounts.party import get_party_account
from frappe import _
from frappe.utils import flt

from omni_channel import channels
from omni_channel.core.money import Expected, SettlementLine, Statement, expected_from_order, reconcile
from omni_channel.core.order import order_key
from omni_channel.erp.refunds import require_rights


def _accounts(shop) -> dict[str, str]:
	missing = [f for f in ("clearing_account", "fee_account") if not shop.get(f)]
	if missing:
		frappe.throw(_("Set the settlement accounts on Channel Shop {0} first.").format(shop.name))
	fee = shop.fee_account
	return {
		"receivable": get_party_account("Customer", shop.customer, shop.company),
		"commission_expense": fee,
		"service_fee_expense": fee,
		"payment_fee_expense": fee,
		"platform_adjustment": fee,
		"shipping_expense": shop.shipping_account or fee,
		"promotion_subsidy_income": shop.subsidy_account or fee,
		"platform_clearing": shop.clearing_account,
	}


def expected_for(shop, order_ids) -> dict[str, Expected]:
	"""What each of the shop's orders should bring in, from the orders as the platform sent them."""
	expected: dict[str, Expected] = {}
	for order_id in order_ids:
		payload = frappe.db.get_value("Channel Order Log", order_key(shop.name, order_id), "payload")
		if payload:
			order = channels.to_canonical(shop.platform.lower(), json.loads(payload), shop.name)
			expected[order_id] = expected_from_order(order)
	return expected


def post(name: str) -> frappe._dict:
	doc = frappe.get_doc("Channel Settlement", name, for_update=True)
	if doc.status == "Posted":
		return frappe._dict(journal_entry=doc.journal_entry, variances=doc.variances)
	require_rights("Journal Entry")
	shop = frappe.get_doc("Channel Shop", doc.shop)
	statement = Statement(
		shop=shop.name,
		statement_id=doc.statement_id,
		currency=frappe.get_cached_value("Company", shop.company, "default_currency"),
		period_end=doc.period_end,
		lines=tuple(
			SettlementLine(row.order_id, row.kind, Decimal(str(flt(row.amount, 2))), row.memo or "")
			for row in doc.lines
		),
		payout=Decimal(str(flt(doc.payout, 2))),
	)
	rec = reconcile(statement, expected_for(shop, {row.order_id for row in doc.lines}))
	accounts = _accounts(shop)
	totals: dict[str, list[Decimal]] = {}
	for line in rec.lines:
		debit, credit = totals.setdefault(line.role, [Decimal(0), Decimal(0)])
		totals[line.role] = [debit + line.debit, credit + line.credit]
	je = frappe.get_doc(
		{
			"doctype": "Journal Entry",
			"voucher_type": "Journal Entry",
			"company": shop.company,
			"posting_date": doc.period_end,
			"cheque_no": doc.statement_id,
			"cheque_date": doc.period_end,
			"user_remark": _("Settlement {0} of {1}").format(doc.statement_id, shop.name),
			"accounts": [],
		}
	)
	for role, (debit, credit) in sorted(totals.items()):
		net = debit - credit
		if not net:
			continue
		row = {
			"account": accounts[role],
			"debit_in_account_currency": float(net) if net > 0 else 0,
			"credit_in_account_currency": float(-net) if net < 0 else 0,
		}
		if role == "receivable":
			row.update({"party_type": "Customer", "party": shop.customer})
		je.append("accounts", row)
	je.insert()
	je.submit()
	doc.journal_entry = je.name
	doc.variances = "\n".join(v.message for v in rec.variances) or None
	doc.status = "Posted"
	doc.flags.ignore_permissions = True  # our own record of what was posted
	doc.flags.posting = True
	doc.save()
	return frappe._dict(journal_entry=je.name, variances=doc.variances)
