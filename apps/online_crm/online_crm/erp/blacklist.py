"""The Party Blacklist on the site: who it blocks today, and where that is enforced.

* Sales Order `validate` (doc_events): an order for a blacklisted customer is refused with the
  reason — the portal's checkout, a desk user's order and any other path that makes a Sales Order.
* `channel_blacklist(platform)`: omni_channel's review reads it and holds a marketplace order of a
  blacklisted buyer with the reason.
* `blocked_customers()`: audiences leave these customers out.

An entry applies up to and including its Until day (core.blacklist.applies).
"""

import frappe
from frappe import _
from frappe.utils import getdate, nowdate, strip_html_tags

from online_crm.core import blacklist


def _entries(party_type: str, **filters) -> list[blacklist.Entry]:
	today = getdate(nowdate())
	rows = frappe.get_all(
		"Party Blacklist",
		filters={"party_type": party_type, **filters},
		or_filters=[["until", "is", "not set"], ["until", ">=", today]],
		fields=["party_type", "customer", "platform", "buyer_id", "reason", "until"],
	)
	return [
		blacklist.Entry(
			r.party_type,
			r.customer if r.party_type == blacklist.CUSTOMER else r.buyer_id,
			r.reason,
			getdate(r.until) if r.until else None,
			r.platform or "",
		)
		for r in rows
	]


def blocked_customers() -> dict[str, str]:
	"""Customer → reason, for every entry that applies today."""
	return blacklist.blocked_customers(_entries(blacklist.CUSTOMER), getdate(nowdate()))


def customer_reason(customer: str) -> str | None:
	if not customer:
		return None
	found = blacklist.blocked_customers(_entries(blacklist.CUSTOMER, customer=customer), getdate(nowdate()))
	return found.get(customer)


def channel_blacklist(platform: str) -> dict[str, str]:
	"""Normalised buyer identity → reason, for this platform's buyers blacklisted today."""
	return blacklist.blocked_buyers(
		_entries(blacklist.CHANNEL_BUYER, platform=platform), platform, getdate(nowdate())
	)


def refuse_blacklisted_order(doc, method=None) -> None:
	"""doc_events Sales Order validate: no new or submitted order for a blacklisted customer."""
	if doc.docstatus == 2:
		return
	reason = customer_reason(doc.customer)
	if reason:
		frappe.throw(
			# no markup (the desk shows messages as HTML), and no entities either: the portal shows
			# the message as text, so "the customer's bank" must not arrive as "customer&apos;s"
			_("Orders from {0} are not accepted: {1}").format(
				strip_html_tags(doc.customer), strip_html_tags(reason)
			),
			frappe.ValidationError,
			title=_("Blacklisted"),
		)
