"""Tags on the Customer, in Frappe's own tag store: manual tags are whatever desk users add (the
form's tag box, the list's tag filter); auto-tags (core.tags) are rewritten with every RFM run.

Frappe keeps a document's tags twice — `_user_tags` on the row (list view, filters, sidebar
counts) and `Tag Link` rows (the form's tag box) — so both are written, and a Tag exists for
every tag used. Manual tags are never touched.
"""

import frappe
from frappe.utils import getdate, random_string

from online_crm.core.tags import AUTO_PREFIXES, PartyFacts, auto_tags, merged, parse
from online_crm.erp import bulk


def _history(customers: list[str] | None) -> dict[str, tuple[set[str], object]]:
	"""customer → (channels bought through, first purchase day), over the whole history."""
	where, values = "", []
	if customers is not None:
		if not customers:
			return {}
		where = "and customer in %s"
		values = [tuple(customers)]
	out: dict[str, tuple[set[str], object]] = {}
	for customer, channel, first in frappe.db.sql(
		f"""select customer, coalesce(th_channel, ''), min(posting_date) from `tabSales Invoice`
		where docstatus = 1 and is_return = 0 {where} group by customer, th_channel""",
		values,
	):
		channels, day = out.setdefault(customer, (set(), None))
		channels.add(channel)
		out[customer] = (channels, min(d for d in (day, getdate(first)) if d))
	return out


def retag(scores: dict, only: list[str] | None = None) -> int:
	"""Rewrite the auto-tags of the scored customers (and of `only`, or on a full run of everyone
	carrying an auto-tag); answer how many customers' tags changed."""
	history = _history(None if only is None else list(set(only) | set(scores)))
	targets = set(scores) | set(history) | set(only or [])
	if only is None:
		like = " or ".join(["_user_tags like %s"] * len(AUTO_PREFIXES))
		targets |= set(
			frappe.db.sql_list(
				f"select name from `tabCustomer` where {like}", [f"%,{p}%" for p in AUTO_PREFIXES]
			)
		)
	if not targets:
		return 0
	fields = ["name", "territory", "_user_tags", "customer_name"]
	if only is None:  # a full run: read the table once rather than name every customer in the query
		rows = [r for r in frappe.get_all("Customer", fields=fields) if r.name in targets]
	else:
		rows = frappe.get_all("Customer", filters={"name": ("in", list(targets))}, fields=fields)
	changed: list[tuple[frappe._dict, str]] = []
	used: set[str] = set()
	for r in rows:
		sc = scores.get(r.name)
		channels, first = history.get(r.name, (set(), None))
		auto = auto_tags(
			PartyFacts(
				segment=sc.segment if sc else None,
				channels=frozenset(channels),
				region=r.territory,
				spend=sc.measures.monetary if sc else None,
				first_order=first,
			)
		)
		text = merged(r._user_tags, auto)
		if text == (r._user_tags or ""):
			continue
		changed.append((r, text))
		used.update(auto)
	bulk.update_by_name("Customer", [(r.name, {"_user_tags": text}) for r, text in changed])
	_link(changed)
	_ensure_tags(used)
	return len(changed)


BATCH = bulk.BATCH  # customers per statement


def _link(changed: list[tuple[frappe._dict, str]]) -> None:
	"""The form's tag box (Tag Link rows) follows each changed customer's _user_tags."""
	gone: dict[str, list[str]] = {}
	new = []
	now = frappe.utils.now()
	for row, text in changed:
		before, after = set(parse(row._user_tags)), set(parse(text))
		for t in before - after:
			gone.setdefault(t, []).append(row.name)
		new += [
			(
				random_string(10),
				"Customer",
				row.name,
				row.customer_name or row.name,
				t,
				now,
				now,
				"Administrator",
				"Administrator",
			)
			for t in sorted(after - before)
		]
	for tag, names in gone.items():
		for start in range(0, len(names), BATCH):
			frappe.db.delete(
				"Tag Link",
				{
					"document_type": "Customer",
					"tag": tag,
					"document_name": ("in", names[start : start + BATCH]),
				},
			)
	columns = (
		"name",
		"document_type",
		"document_name",
		"title",
		"tag",
		"creation",
		"modified",
		"owner",
		"modified_by",
	)
	one = "(" + ", ".join(["%s"] * len(columns)) + ")"
	# plain INSERTs of 2,000 rows: frappe.db.bulk_insert builds each through the query builder,
	# which on a first full run (100,000 customers × their tags) took most of the run's time
	for start in range(0, len(new), 2000):
		chunk = new[start : start + 2000]
		frappe.db.sql(
			f"insert into `tabTag Link` ({', '.join(f'`{c}`' for c in columns)}) values "
			+ ", ".join([one] * len(chunk)),
			[v for r in chunk for v in r],
		)


def _ensure_tags(tags: set[str]) -> None:
	if not tags:
		return
	have = set(frappe.get_all("Tag", filters={"name": ("in", list(tags))}, pluck="name"))
	for t in sorted(tags - have):
		frappe.get_doc({"doctype": "Tag", "name": t}).db_insert(ignore_if_duplicate=True)
