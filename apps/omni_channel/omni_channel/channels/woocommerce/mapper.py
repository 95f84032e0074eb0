"""WooCommerce REST v3 order JSON → canonical order.

Quirks handled:
- totals are strings but `line_items[].price` is a JSON number (float);
- a line's discount is `subtotal − total` (coupons are spread over lines);
- `*_gmt` timestamps carry no offset (they are UTC); the plain ones are the site's local time;
- `date_paid` is null for unpaid orders and for some gateways; `status` decides;
- refunds inside the order are `refunds[]` with a *negative* `total` and no line detail;
- guest checkout has `customer_id` 0; `shipping.phone` exists only since WC 5.6 — fall back to billing;
- no native partial shipping: plugins add statuses such as `partial-shipped`;
- `customer_note` is the buyer's note.
"""

from __future__ import annotations

import html
from decimal import Decimal

from omni_channel.core import payload as P
from omni_channel.core.errors import ChannelInputError
from omni_channel.core.order import Address, Buyer, CanonicalOrder, Fee, OrderLine, Refund, currency

STATUS = {
	"pending": "pending",  # awaiting payment
	"on-hold": "pending",  # awaiting a manual payment (bank transfer)
	"failed": "pending",  # payment failed; the buyer may retry
	"checkout-draft": "pending",
	"processing": "paid",
	"partial-shipped": "partially_shipped",
	"partially-shipped": "partially_shipped",
	"shipped": "shipped",
	"completed": "completed",
	"cancelled": "cancelled",
	"refunded": "cancelled",
	"trash": "cancelled",
}


def _address(d: dict, path: str, fallback_phone: str) -> Address:
	return Address(
		name=" ".join(x for x in (P.text(d, "first_name", path), P.text(d, "last_name", path)) if x),
		phone=P.text(d, "phone", path, max_len=40) or fallback_phone,
		country_code=P.text(d, "country", path, max_len=2).upper(),
		province=P.text(d, "state", path),
		city=P.text(d, "city", path),
		line1=P.text(d, "address_1", path),
		line2=P.text(d, "address_2", path),
		postcode=P.text(d, "postcode", path, max_len=20),
	)


def _payment_state(raw_status: str, status: str, refunds: list) -> str:
	"""WooCommerce has no partial payment: paid once the order leaves pending/on-hold/failed."""
	if raw_status == "refunded":
		return "refunded"
	if status in ("pending", "cancelled"):
		return "unpaid"
	return "partially_refunded" if refunds else "paid"


def to_canonical(data: dict, shop: str) -> CanonicalOrder:
	if not isinstance(data, dict):
		raise ChannelInputError("malformed_json", "a WooCommerce order must be a JSON object")
	path = "order"
	external_id = P.ident(data, "id", path)
	raw_status = P.text(data, "status", path, required=True, max_len=40)
	if raw_status not in STATUS:
		raise ChannelInputError("bad_value", f"unknown order status {raw_status!r}", "order.status")
	status = STATUS[raw_status]
	cur = currency(P.text(data, "currency", path, required=True, max_len=8))
	created = P.when(data, "date_created_gmt", path) or P.when(data, "date_created", path, required=True)
	updated = P.when(data, "date_modified_gmt", path) or P.when(data, "date_modified", path) or created

	shipped_all = status in ("shipped", "completed")
	lines = []
	for i, li in P.each_obj(P.arr(data, "line_items", path, required=True), "order.line_items"):
		lp = f"order.line_items[{i}]"
		qty = P.quantity(li, "quantity", lp)
		has_subtotal = li.get("subtotal") not in (None, "")
		subtotal = P.money(li, "subtotal", lp)
		total = P.money(li, "total", lp, required=True)
		# the exact unit price (a Decimal: 10.00 / 3 stays 3.333…; the Sales Order rounds it and
		# books the difference); no subtotal and no price is refused, never taken as free
		unit = (subtotal / qty) if qty and has_subtotal else P.money(li, "price", lp, required=True)
		variation = P.ident(li, "variation_id", lp, required=False)
		lines.append(
			OrderLine(
				external_line_id=P.ident(li, "id", lp),
				sku=P.text(li, "sku", lp, max_len=140),
				title=html.unescape(P.text(li, "name", lp)),
				quantity=qty,
				unit_price=unit,
				discount=max(Decimal(0), (subtotal if has_subtotal else unit * qty) - total),
				shipped_qty=qty if shipped_all else 0,
				product_id=P.ident(li, "product_id", lp, required=False),
				variant_id="" if variation == "0" else variation,
			)
		)
	if not lines:
		raise ChannelInputError("missing_field", "order.line_items is empty", "order.line_items")

	billing = P.obj(data, "billing", path, required=False)
	shipping = P.obj(data, "shipping", path, required=False)
	bill_phone = P.text(billing, "phone", "order.billing", max_len=40)
	address = _address(shipping, "order.shipping", bill_phone) if shipping else Address()
	if not address.line1 and billing:  # virtual products leave shipping blank
		address = _address(billing, "order.billing", bill_phone)
	customer_id = P.ident(data, "customer_id", path, required=False)
	buyer = Buyer(
		external_id="" if customer_id == "0" else customer_id,
		name=" ".join(
			x
			for x in (
				P.text(billing, "first_name", "order.billing"),
				P.text(billing, "last_name", "order.billing"),
			)
			if x
		),
		email=P.text(billing, "email", "order.billing"),
		phone=address.phone,
	)

	fees = []
	for i, f in P.each_obj(P.arr(data, "fee_lines", path), "order.fee_lines"):
		fp = f"order.fee_lines[{i}]"
		fees.append(Fee(kind=P.text(f, "name", fp) or "fee", amount=P.money(f, "total", fp)))

	refunds = []
	for i, r in P.each_obj(P.arr(data, "refunds", path), "order.refunds"):
		rp = f"order.refunds[{i}]"
		refunds.append(
			Refund(
				external_id=P.ident(r, "id", rp),
				created_at=None,
				amount=abs(P.money(r, "total", rp)),
				reason=P.text(r, "reason", rp),
			)
		)

	return CanonicalOrder(
		platform="woocommerce",
		shop=shop,
		external_id=external_id,
		name=P.text(data, "number", path) or external_id,
		status=status,
		currency=cur,
		buyer=buyer,
		ship_to=address,
		lines=tuple(lines),
		created_at=created,
		updated_at=updated,
		paid_at=P.when(data, "date_paid_gmt", path) or P.when(data, "date_paid", path),
		shipping_amount=P.money(data, "shipping_total", path),
		discount_total=P.money(data, "discount_total", path),
		tax_total=P.money(data, "total_tax", path),
		grand_total=P.money(data, "total", path, required=True),
		fees=tuple(fees),
		refunds=tuple(refunds),
		payment_state=_payment_state(raw_status, status, refunds),
		buyer_note=P.text(data, "customer_note", path, max_len=5000),
		raw_status=raw_status,
		cash_on_delivery="cod" in P.gateway_names(data, "payment_method"),
	)
