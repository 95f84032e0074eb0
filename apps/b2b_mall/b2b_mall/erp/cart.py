"""The mall's cart, kept on the server per buyer (a Mall Cart named after the user), so that what a
buyer puts in the cart on the office PC is there on their phone.

The cart holds item codes and quantities only. Names, prices (ERPNext's, for the buyer's customer,
with its quantity breaks), MOQ and packs are read afresh every time it is shown, and the order is
checked again in full when it is placed (orders.place_order). A quantity below the MOQ or not a
whole number of packs may sit in the cart, flagged on the page, as it does while the buyer types;
an item that left the mall (disabled, hidden, no price) is left out with the reason.

This module is the only writer of Mall Cart."""

import frappe
from frappe.utils import flt

from b2b_mall.core.cart import CartLine, Problem, parse_lines
from b2b_mall.erp import catalogue, orders

DOCTYPE = "Mall Cart"


def _gone(code: str) -> Problem:
	return Problem(
		"unknown_item", "{item}: no longer sold in the mall; left out of the cart.", code, (("item", code),)
	)


def _stored(user: str, customer: str) -> list[CartLine]:
	rows = frappe.get_all(
		"Mall Cart Item",
		filters={"parenttype": DOCTYPE, "parent": user},
		fields=["item_code", "qty"],
		order_by="idx",
	)
	if rows and frappe.db.get_value(DOCTYPE, user, "customer") != customer:
		return []  # the login moved to another customer: the old cart is not theirs to order
	return [CartLine(r.item_code, flt(r.qty)) for r in rows]


def _write(user: str, customer: str, lines: list[CartLine]) -> None:
	"""Replace the buyer's cart with these lines (under the Mall Cart row's lock)."""
	items = [{"item_code": ln.item_code, "qty": ln.qty} for ln in lines]
	for _attempt in range(2):
		if frappe.db.get_value(DOCTYPE, user, "name", for_update=True):
			doc = frappe.get_doc(DOCTYPE, user)
			doc.customer = customer
			doc.set("items", items)
			doc.save(ignore_permissions=True)
			return
		if not lines:
			return
		try:
			frappe.get_doc({"doctype": DOCTYPE, "user": user, "customer": customer, "items": items}).insert(
				ignore_permissions=True
			)
			return
		except frappe.DuplicateEntryError:
			continue  # the buyer's other device made it at the same moment: update that one


def view(user: str, problems: list[Problem] | None = None) -> dict:
	"""The buyer's cart as the page shows it: {"lines": [{item_code, item_name, qty, moq, pack, rate,
	breaks}], "problems": [Problem]}. Lines whose item left the mall are not shown, each with its
	reason (a read writes nothing: the page's next save leaves them out)."""
	customer = orders.customer_of(user)
	problems = list(problems or [])
	lines = _stored(user, customer)
	sold = catalogue.sold_to(customer, [ln.item_code for ln in lines])
	kept = [ln for ln in lines if ln.item_code in sold]
	problems += [_gone(ln.item_code) for ln in lines if ln.item_code not in sold]
	meta = catalogue.item_rows([ln.item_code for ln in kept]) if kept else {}
	priced = catalogue.prices(customer, [meta[ln.item_code] for ln in kept]) if kept else {}
	return {
		"lines": [
			{
				"item_code": ln.item_code,
				"item_name": meta[ln.item_code].item_name,
				"qty": ln.qty,
				"moq": flt(meta[ln.item_code].moq),
				"pack": flt(meta[ln.item_code].pack),
				"rate": priced.get(ln.item_code, {}).get("rate", 0),
				"breaks": priced.get(ln.item_code, {}).get("breaks", []),
			}
			for ln in kept
		],
		"problems": problems,
	}


def save(user: str, raw: object) -> dict:
	"""Replace the buyer's cart with `raw` ([{"item_code", "qty"}], [] to empty it) and answer the cart
	as `view` does. Malformed input (a quantity that is not a number above zero, more lines or a
	larger quantity than one order takes) raises CartRejected and changes nothing; an item not sold
	in the mall is left out with its reason."""
	customer = orders.customer_of(user)
	lines = parse_lines(raw, orders.limits().cart) if raw != [] else []
	sold = catalogue.sold_to(customer, [ln.item_code for ln in lines])
	kept = [ln for ln in lines if ln.item_code in sold]
	_write(user, customer, kept)
	return view(user, [_gone(ln.item_code) for ln in lines if ln.item_code not in sold])


def clear(user: str) -> None:
	"""Empty the buyer's cart: its order was placed (in the same transaction as the order)."""
	if frappe.db.exists(DOCTYPE, user):
		frappe.db.delete("Mall Cart Item", {"parenttype": DOCTYPE, "parent": user})
		frappe.db.set_value(DOCTYPE, user, "modified", frappe.utils.now(), update_modified=False)
