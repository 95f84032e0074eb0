"""Audiences on the site: scored Customers by segment and tags, minus today's blacklist.

Segments come from the Customer's RFM fields, tags from Frappe's own tags on the Customer
(`_user_tags`: the manual ones a desk user sets and the auto-tags the RFM run writes). The
blacklist is the Party Blacklist as it applies today; each skipped party is counted.
"""

from collections.abc import Iterable
from datetime import date

import frappe
from frappe.utils import getdate, nowdate

from online_crm.core.audiences import Audience, audience, contactables
from online_crm.erp.blacklist import blocked_customers


def tags_of(user_tags: str | None) -> frozenset[str]:
	return frozenset(t.strip() for t in (user_tags or "").split(",") if t.strip())


def customer_audience(
	segments: Iterable[str] | None = None,
	tags_all: Iterable[str] = (),
	tags_any: Iterable[str] = (),
	tags_none: Iterable[str] = (),
	as_of: date | None = None,
) -> Audience:
	rows = frappe.get_all(
		"Customer",
		filters={"th_crm_segment": ("is", "set"), "disabled": 0},
		fields=["name", "th_crm_segment", "_user_tags"],
	)
	people = contactables(
		{r.name: r.th_crm_segment for r in rows}, tags={r.name: tags_of(r._user_tags) for r in rows}
	)
	return audience(
		people,
		getdate(as_of or nowdate()),
		segments=segments,
		tags_all=tags_all,
		blacklist=blocked_customers(),
		tags_any=tags_any,
		tags_none=tags_none,
	)
