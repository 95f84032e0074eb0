"""Taobao/Tmall TOP trade JSON (trade.fullinfo / trades.sold.*) → canonical order.

Quirks handled:
- `tid` is a 64-bit number that loses precision in JavaScript; `tid_str`/`oid_str` win when present;
- amounts are yuan strings ("98.00"), currency is always CNY;
- times are "yyyy-MM-dd HH:mm:ss" in Asia/Shanghai with no offset;
- the merchant's SKU is `outer_sku_id` (falls back to `outer_iid` for items without variants);
- `receiver_mobile` may be empty while `receiver_phone` (a landline) is set, or both masked;
- `buyer_nick` is masked ("t**1") since 2022 — `buyer_open_uid` is the stable identity;
- partial shipping is `SELLER_CONSIGNED_PART` with per-order `consign_time`;
- refunds live per line (`refund_status` = SUCCESS, `refund_fee`/`payment`), not as separate records;
- presale: `type` "step" (deposit + balance) or an `estimate_con_time` on the line;
- a trade may arrive bare or wrapped in `{"trade_fullinfo_get_response": {"trade": …}}`.
"""

from __future__ import annotations

from decimal import Decimal

from omni_channel.core import payload as P
from omni_channel.core.errors import ChannelInputError
from omni_channel.core.order import Address, Buyer, CanonicalOrder, OrderLine, Refund, RefundLine

SH = P.SHANGHAI

TRADE_STATUS = {
	"TRADE_NO_CREATE_PAY": "pending",
	"WAIT_BUYER_PAY": "pending",
	"PAY_PENDING": "pending",
	"WAIT_PRE_AUTH_CONFIRM": "pending",
	"WAIT_SELLER_SEND_GOODS": "paid",
	"PAID_FORBID_CONSIGN": "paid",
	"SELLER_CONSIGNED_PART": "partially_shipped",
	"WAIT_BUYER_CONFIRM_GOODS": "shipped",
	"TRADE_BUYER_SIGNED": "shipped",
	"TRADE_FINISHED": "completed",
	"TRADE_CLOSED": "cancelled",
	"TRADE_CLOSED_BY_TAOBAO": "cancelled",
}
SHIPPED_LINE = {"WAIT_BUYER_CONFIRM_GOODS", "TRADE_BUYER_SIGNED", "TRADE_FINISHED"}


def unwrap(data: dict) -> dict:
	if "tid" in data or "tid_str" in data:
		return data
	for k, v in data.items():
		if isinstance(v, dict) and k.endswith("_response"):
			data = v
			break
	trade = data.get("trade")
	if isinstance(trade, dict):
		return trade
	raise ChannelInputError(
		"missing_field", "no Taobao trade found (expected tid or a trade object)", "trade"
	)


def to_canonical(data: dict, shop: str) -> CanonicalOrder:
	if not isinstance(data, dict):
		raise ChannelInputError("malformed_json", "a Taobao trade must be a JSON object")
	t = unwrap(data)
	path = "trade"
	external_id = P.ident(t, "tid_str", path, required=False) or P.ident(t, "tid", path)
	raw_status = P.text(t, "status", path, required=True, max_len=40)
	if raw_status not in TRADE_STATUS:
		raise ChannelInputError("bad_value", f"unknown trade status {raw_status!r}", "trade.status")
	status = TRADE_STATUS[raw_status]
	step = P.text(t, "type", path) == "step"

	orders = P.obj(t, "orders", path, required=True)
	lines = []
	refunds = []
	for i, o in P.each_obj(P.arr(orders, "order", "trade.orders", required=True), "trade.orders.order"):
		op = f"trade.orders.order[{i}]"
		qty = P.quantity(o, "num", op)
		price = P.money(o, "price", op, required=True)
		paid = P.money(o, "payment", op) if o.get("payment") not in (None, "") else price * qty
		discount = max(Decimal(0), price * qty - paid)
		line_status = P.text(o, "status", op, max_len=40)
		shipped = (
			status in ("shipped", "completed")
			or line_status in SHIPPED_LINE
			or bool(P.when(o, "consign_time", op, SH))
		)
		oid = P.ident(o, "oid_str", op, required=False) or P.ident(o, "oid", op)
		refunded = P.text(o, "refund_status", op, max_len=60) == "SUCCESS"
		if refunded:
			amount = P.money(o, "refund_fee", op) or paid
			refunds.append(
				Refund(
					external_id=P.ident(o, "refund_id", op, required=False) or f"refund-{oid}",
					created_at=None,
					amount=amount,
					lines=(RefundLine(oid, qty, amount, restock=shipped),),
				)
			)
		lines.append(
			OrderLine(
				external_line_id=oid,
				sku=P.text(o, "outer_sku_id", op, max_len=140) or P.text(o, "outer_iid", op, max_len=140),
				title=" ".join(
					x for x in (P.text(o, "title", op), P.text(o, "sku_properties_name", op)) if x
				),
				quantity=qty,
				unit_price=price,
				discount=discount,
				shipped_qty=qty if shipped else 0,
				refunded_qty=qty if refunded else 0,
				presale=step or bool(P.text(o, "estimate_con_time", op)),
				product_id=P.ident(o, "num_iid", op, required=False),
				variant_id=P.ident(o, "sku_id", op, required=False),
			)
		)
	if not lines:
		raise ChannelInputError("missing_field", "trade.orders.order is empty", "trade.orders.order")
	if status == "paid" and any(ln.shipped_qty for ln in lines):
		status = "partially_shipped"

	mobile = P.text(t, "receiver_mobile", path, max_len=40)
	phone = mobile or P.text(t, "receiver_phone", path, max_len=40)
	address = Address(
		name=P.text(t, "receiver_name", path),
		phone=phone,
		country_code=(P.text(t, "receiver_country", path, max_len=2) or "CN").upper(),
		province=P.text(t, "receiver_state", path),
		city=P.text(t, "receiver_city", path),
		district=" ".join(
			x for x in (P.text(t, "receiver_district", path), P.text(t, "receiver_town", path)) if x
		),
		line1=P.text(t, "receiver_address", path),
		postcode=P.text(t, "receiver_zip", path, max_len=20),
	)
	nick = P.text(t, "buyer_nick", path)
	buyer = Buyer(
		external_id=P.text(t, "buyer_open_uid", path, max_len=64), nick=nick, name=nick, phone=phone
	)
	created = P.when(t, "created", path, SH, required=True)
	grand_total = P.money(t, "payment", path, required=True)
	# presale (定金 + 尾款): with only the deposit paid the balance is outstanding, not paid
	outstanding = Decimal(0)
	if step and P.text(t, "step_trade_status", path) == "FRONT_PAID_FINAL_NOPAID":
		outstanding = max(Decimal(0), grand_total - P.money(t, "step_paid_fee", path))
	if outstanding and status == "paid":
		status = "pending"
	if status == "pending":
		payment_state = "partially_paid" if outstanding else "unpaid"
	elif status == "cancelled":
		payment_state = "refunded" if refunds else "unpaid"
	else:
		payment_state = "partially_refunded" if refunds else "paid"
	return CanonicalOrder(
		platform="taobao",
		shop=shop,
		external_id=external_id,
		name=external_id,
		status=status,
		currency="CNY",
		buyer=buyer,
		ship_to=address,
		lines=tuple(lines),
		created_at=created,
		updated_at=P.when(t, "modified", path, SH) or created,
		paid_at=P.when(t, "pay_time", path, SH),
		shipping_amount=P.money(t, "post_fee", path),
		discount_total=P.money(t, "discount_fee", path),
		grand_total=grand_total,
		refunds=tuple(refunds),
		payment_state=payment_state,
		outstanding=outstanding,
		# `payment` counts only what the buyer keeps paying for: lines refunded in full are out of it
		total_net_of_refunds=True,
		buyer_note=P.text(t, "buyer_message", path, max_len=5000),
		seller_note=P.text(t, "seller_memo", path, max_len=5000),
		raw_status=raw_status,
		cash_on_delivery=P.text(t, "type", path) == "cod",
		extra={"step_trade_status": P.text(t, "step_trade_status", path)} if step else {},
	)
