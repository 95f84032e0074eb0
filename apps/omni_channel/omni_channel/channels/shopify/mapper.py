"""Shopify Admin REST order JSON → canonical order.

Quirks handled (all seen in real stores):
- phone may sit on the shipping address, the order, the customer or the billing address — or nowhere;
- `customer` is absent for guest/POS orders, and redacted fields come as null;
- `shipping_address` is absent for digital goods;
- line discounts live in `discount_allocations` (`total_discount` is often "0.00" beside them);
- refunds are inside the order (`refunds[].refund_line_items`, `transactions`, `order_adjustments`);
- partial shipping shows only in `fulfillments[].line_items` (status "success"), per line;
- amounts are strings, ids are 64-bit integers, timestamps carry the shop's UTC offset;
- `financial_status` "authorized" is not money in hand; "voided" and `cancelled_at` mean cancelled.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from omni_channel.core import payload as P
from omni_channel.core.errors import ChannelInputError
from omni_channel.core.order import (
	Address,
	Buyer,
	CanonicalOrder,
	OrderLine,
	Refund,
	RefundLine,
	currency,
	status_from_lines,
)

PAID = {"paid", "partially_refunded", "refunded"}
KNOWN_FINANCIAL = PAID | {"partially_paid", "pending", "authorized", "voided", "expired", ""}
PAYMENT_STATE = {
	"paid": "paid",
	"partially_refunded": "partially_refunded",
	"refunded": "refunded",
	"partially_paid": "partially_paid",
}


def _name(d: dict, path: str) -> str:
	full = P.text(d, "name", path)
	if full:
		return full
	return " ".join(x for x in (P.text(d, "first_name", path), P.text(d, "last_name", path)) if x)


def _address(d: dict, path: str) -> Address:
	return Address(
		name=_name(d, path),
		phone=P.text(d, "phone", path, max_len=40),
		country_code=P.text(d, "country_code", path, max_len=2).upper(),
		province=P.text(d, "province", path),
		city=P.text(d, "city", path),
		district="",
		line1=P.text(d, "address1", path),
		line2=P.text(d, "address2", path),
		postcode=P.text(d, "zip", path, max_len=20),
		latitude=P.coordinate(d, "latitude", 90),
		longitude=P.coordinate(d, "longitude", 180),
	)


def _refunds(data: dict) -> tuple[tuple[Refund, ...], dict[str, int]]:
	refunds = []
	refunded_qty: dict[str, int] = {}
	for i, r in P.each_obj(P.arr(data, "refunds", "order"), "order.refunds"):
		path = f"order.refunds[{i}]"
		lines = []
		for j, rl in P.each_obj(P.arr(r, "refund_line_items", path), f"{path}.refund_line_items"):
			lp = f"{path}.refund_line_items[{j}]"
			line_id = P.ident(rl, "line_item_id", lp)
			qty = P.quantity(rl, "quantity", lp)
			refunded_qty[line_id] = refunded_qty.get(line_id, 0) + qty
			kind = P.text(rl, "restock_type", lp)
			# the older API: no restock_type, a refund-wide `restock: true`
			restock = kind not in ("no_restock", "") or (not kind and r.get("restock") is True)
			amount = P.money(rl, "subtotal", lp) + P.money(rl, "total_tax", lp)
			lines.append(RefundLine(line_id, qty, amount, restock))
		paid_back = Decimal(0)
		for j, t in P.each_obj(P.arr(r, "transactions", path), f"{path}.transactions"):
			tp = f"{path}.transactions[{j}]"
			if P.text(t, "kind", tp) == "refund" and P.text(t, "status", tp) in ("success", ""):
				paid_back += P.money(t, "amount", tp)
		shipping_back = Decimal(0)
		for j, a in P.each_obj(P.arr(r, "order_adjustments", path), f"{path}.order_adjustments"):
			ap = f"{path}.order_adjustments[{j}]"
			if P.text(a, "kind", ap) == "shipping_refund":
				shipping_back += -P.money(a, "amount", ap)  # Shopify writes it negative
		if not paid_back:
			paid_back = sum((ln.amount for ln in lines), Decimal(0)) + shipping_back
		refunds.append(
			Refund(
				external_id=P.ident(r, "id", path),
				created_at=P.when(r, "created_at", path),
				amount=paid_back,
				lines=tuple(lines),
				reason=P.text(r, "note", path),
				shipping_amount=shipping_back,
			)
		)
	return tuple(refunds), refunded_qty


def _shipped(data: dict) -> dict[str, int]:
	shipped: dict[str, int] = {}
	for i, f in P.each_obj(P.arr(data, "fulfillments", "order"), "order.fulfillments"):
		path = f"order.fulfillments[{i}]"
		if P.text(f, "status", path) not in ("success", ""):
			continue  # cancelled, error, failure
		for j, li in P.each_obj(P.arr(f, "line_items", path), f"{path}.line_items"):
			lp = f"{path}.line_items[{j}]"
			lid = P.ident(li, "id", lp)
			shipped[lid] = shipped.get(lid, 0) + P.quantity(li, "quantity", lp)
	return shipped


def to_canonical(data: dict, shop: str) -> CanonicalOrder:
	if not isinstance(data, dict):
		raise ChannelInputError("malformed_json", "a Shopify order must be a JSON object")
	notice = ""
	if "order" in data and isinstance(data["order"], dict) and "id" not in data:
		# GET /orders/{id}.json wraps it; so does POST /orders/{id}/cancel.json, whose only word of
		# the cancellation may be its `notice` ("Order has been cancelled")
		notice = data.get("notice") if isinstance(data.get("notice"), str) else ""
		data = data["order"]
	path = "order"
	external_id = P.ident(data, "id", path)
	cur = currency(P.text(data, "currency", path, required=True, max_len=8))
	created = P.when(data, "created_at", path, required=True)
	updated = P.when(data, "updated_at", path) or created

	refunds, refunded_qty = _refunds(data)
	shipped = _shipped(data)

	lines = []
	allocated = False
	for i, li in P.each_obj(P.arr(data, "line_items", path, required=True), "order.line_items"):
		lp = f"order.line_items[{i}]"
		lid = P.ident(li, "id", lp)
		qty = P.quantity(li, "quantity", lp)
		allocations = P.arr(li, "discount_allocations", lp)
		if allocations:
			allocated = True
			discount = sum(
				(
					P.money(a, "amount", f"{lp}.discount_allocations[{k}]")
					for k, a in P.each_obj(allocations, f"{lp}.discount_allocations")
				),
				Decimal(0),
			)
		else:
			discount = P.money(li, "total_discount", lp)
		title = P.text(li, "name", lp) or P.text(li, "title", lp)
		lines.append(
			OrderLine(
				external_line_id=lid,
				sku=P.text(li, "sku", lp, max_len=140),
				title=title,
				quantity=qty,
				unit_price=P.money(li, "price", lp, required=True),
				discount=discount,
				shipped_qty=min(qty, shipped.get(lid, 0)),
				refunded_qty=min(qty, refunded_qty.get(lid, 0)),
				weight_grams=P.quantity(li, "grams", lp, required=False),
				product_id=P.ident(li, "product_id", lp, required=False),
				variant_id=P.ident(li, "variant_id", lp, required=False),
			)
		)
	if not lines:
		raise ChannelInputError("missing_field", "order.line_items is empty", "order.line_items")
	lines = tuple(lines)

	customer = P.obj(data, "customer", path, required=False)
	ship = P.obj(data, "shipping_address", path, required=False)
	bill = P.obj(data, "billing_address", path, required=False)
	address = _address(ship, "order.shipping_address") if ship else Address()
	phone = (
		address.phone
		or P.text(data, "phone", path, max_len=40)
		or P.text(customer, "phone", "order.customer", max_len=40)
		or P.text(bill, "phone", "order.billing_address", max_len=40)
	)
	if phone != address.phone:
		address = replace(address, phone=phone)
	buyer = Buyer(
		external_id=P.ident(customer, "id", "order.customer", required=False),
		name=_name(customer, "order.customer") if customer else _name(bill, "order.billing_address"),
		email=P.text(data, "email", path) or P.text(customer, "email", "order.customer"),
		phone=phone,
	)

	financial = P.text(data, "financial_status", path)
	if financial not in KNOWN_FINANCIAL:
		raise ChannelInputError(
			"bad_value", f"unknown financial_status {financial[:30]!r}", "order.financial_status"
		)
	cancelled = (
		bool(P.when(data, "cancelled_at", path))
		or financial == "voided"
		or bool(P.text(data, "cancel_reason", path, max_len=60))
		or "cancel" in notice.casefold()
	)
	# paid only when Shopify says so and nothing is outstanding (`total_outstanding`, where sent)
	outstanding = max(Decimal(0), P.money(data, "total_outstanding", path))
	paid = financial in PAID and not outstanding
	payment_state = PAYMENT_STATE.get(financial, "unpaid")
	if financial in PAID and outstanding:
		payment_state = "partially_paid"
	status = status_from_lines(paid, cancelled, lines)
	if financial == "refunded" and status == "paid":
		status = "cancelled"  # refunded in full before anything shipped

	shipping = Decimal(0)
	for i, s in P.each_obj(P.arr(data, "shipping_lines", path), "order.shipping_lines"):
		sp = f"order.shipping_lines[{i}]"
		shipping += (
			P.money(s, "discounted_price", sp)
			if s.get("discounted_price") not in (None, "")
			else P.money(s, "price", sp)
		)

	tags = P.text(data, "tags", path, max_len=5000)
	return CanonicalOrder(
		platform="shopify",
		shop=shop,
		external_id=external_id,
		name=P.text(data, "name", path) or external_id,
		status=status,
		currency=cur,
		buyer=buyer,
		ship_to=address,
		lines=lines,
		created_at=created,
		updated_at=updated,
		paid_at=P.when(data, "processed_at", path) if paid else None,
		shipping_amount=shipping,
		discount_total=P.money(data, "total_discounts", path),
		tax_total=P.money(data, "total_tax", path),
		grand_total=P.money(data, "total_price", path, required=True),
		fees=(),
		refunds=refunds,
		payment_state=payment_state,
		outstanding=outstanding,
		taxes_included=data.get("taxes_included") is True,
		# total_discounts beside lines without discount_allocations (older payloads): not in the lines
		order_discount=Decimal(0)
		if allocated
		else max(
			Decimal(0),
			P.money(data, "total_discounts", path) - sum((ln.discount for ln in lines), Decimal(0)),
		),
		buyer_note=P.text(data, "note", path, max_len=5000),
		tags=tuple(t.strip() for t in tags.split(",") if t.strip()),
		raw_status=f"{financial or '-'}/{P.text(data, 'fulfillment_status', path) or 'unfulfilled'}",
		cash_on_delivery=any(
			"cash on delivery" in g or g == "cod"
			for g in P.gateway_names(data, "payment_gateway_names", "gateway")
		),
	)


def refund_from_webhook(data: dict) -> Refund:
	"""A `refunds/create` webhook body is a bare refund object."""
	refunds, _ = _refunds({"refunds": [data]})
	return refunds[0]
