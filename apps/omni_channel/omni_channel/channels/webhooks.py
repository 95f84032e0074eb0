"""Inbound webhooks of every platform: verify the signature, then say what arrived.

The surface calls `verify_webhook` on the raw bytes *before* decoding anything, stores the
raw body under `webhook_key(shop, event.webhook_id)` and lets a job call `parse_webhook`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import parse_qs

from omni_channel.channels import base
from omni_channel.channels.taobao import signing as top
from omni_channel.core import payload as P
from omni_channel.core.errors import ChannelInputError
from omni_channel.core.order import CanonicalOrder, Refund, order_key

SHOPIFY_ORDER_TOPICS = {
	"orders/create",
	"orders/updated",
	"orders/paid",
	"orders/cancelled",
	"orders/fulfilled",
	"orders/partially_fulfilled",
	"orders/edited",
}
WOO_ORDER_TOPICS = {"order.created", "order.updated", "order.restored"}


@dataclass(frozen=True)
class WebhookEvent:
	platform: str
	shop: str
	webhook_id: str  # the platform's delivery id (same on redelivery), else a digest of the body
	topic: str
	kind: str  # order | refund | notice (fetch the order by id) | deleted | ping | other
	external_id: str = ""  # the order concerned, when known
	order: CanonicalOrder | None = None
	refund: Refund | None = None
	payload: dict = field(default_factory=dict, compare=False)


def webhook_key(shop: str, webhook_id: str) -> str:
	"""The dedupe name of a delivery: stable, Frappe-safe, ≤ 140 characters."""
	return order_key(shop, f"wh-{webhook_id}")


def _body(raw_body) -> bytes:
	if isinstance(raw_body, str):
		return raw_body.encode("utf-8")
	if isinstance(raw_body, (bytes, bytearray, memoryview)):
		return bytes(raw_body)
	raise ChannelInputError("malformed_json", "webhook body must be bytes")


def verify_webhook(
	platform: str,
	secret: str,
	raw_body: bytes,
	headers,
	*,
	app_key: str = "",
	sign_method: str = "md5",
	now: datetime | None = None,
) -> None:
	"""Raise `ChannelInputError('bad_signature' | 'too_large' …)` unless the delivery is genuine.

	Shopify: X-Shopify-Hmac-Sha256 = base64 HMAC-SHA256(secret, body).
	WooCommerce: X-WC-Webhook-Signature, same construction (the very first "ping" carries one too).
	Taobao (Qimen-style push): headers app_key, timestamp, sign_method, sign = TOP sign of those
	parameters with the body appended. `app_key` and `sign_method` are the shop's own settings:
	the header app_key must equal it, the shop's one method is used, and the timestamp must be
	within ±5 minutes of `now` (replays of an old signed push are refused).
	All comparisons are constant-time.
	"""
	body = _body(raw_body)
	if len(body) > P.MAX_BODY_BYTES:
		raise ChannelInputError("too_large", f"body is {len(body)} bytes, the limit is {P.MAX_BODY_BYTES}")
	if platform == "shopify":
		base.require_b64_hmac(
			secret, body, base.header(headers, "X-Shopify-Hmac-Sha256"), "X-Shopify-Hmac-Sha256"
		)
	elif platform == "woocommerce":
		base.require_b64_hmac(
			secret, body, base.header(headers, "X-WC-Webhook-Signature"), "X-WC-Webhook-Signature"
		)
	elif platform == "taobao":
		params = {k: base.header(headers, k) for k in ("app_key", "timestamp", "sign_method", "sign")}
		refused = top.verify_push(params, secret, body, app_key, (sign_method or "").lower(), now)
		if refused:
			raise ChannelInputError("bad_signature", refused)
	else:
		raise ChannelInputError("unknown_platform", f"no channel called {str(platform)[:40]!r}")


def parse_webhook(platform: str, raw_body: bytes, headers, shop: str) -> WebhookEvent:
	"""Decode a verified delivery into a `WebhookEvent` (orders already canonical)."""
	from omni_channel.channels import mapper_for

	body = _body(raw_body)
	digest = hashlib.sha256(body).hexdigest()[:40]
	if platform == "woocommerce":
		wid = base.header(headers, "X-WC-Webhook-Delivery-ID") or digest
		topic = base.header(headers, "X-WC-Webhook-Topic")
		if body[:11] == b"webhook_id=":  # WooCommerce pings a new webhook with a form body
			hook = parse_qs(body.decode("utf-8", "replace")).get("webhook_id", [""])[0]
			return WebhookEvent(platform, shop, wid, topic or "ping", "ping", payload={"webhook_id": hook})
		data = P.loads(body)
		if topic in WOO_ORDER_TOPICS:
			order = mapper_for(platform)(data, shop)
			return WebhookEvent(platform, shop, wid, topic, "order", order.external_id, order, payload=data)
		if topic == "order.deleted":
			return WebhookEvent(
				platform, shop, wid, topic, "deleted", P.ident(data, "id", "order"), payload=data
			)
		return WebhookEvent(platform, shop, wid, topic, "other", payload=data)
	if platform == "shopify":
		wid = base.header(headers, "X-Shopify-Webhook-Id") or digest
		topic = base.header(headers, "X-Shopify-Topic")
		data = P.loads(body)
		if topic in SHOPIFY_ORDER_TOPICS:
			order = mapper_for(platform)(data, shop)
			return WebhookEvent(platform, shop, wid, topic, "order", order.external_id, order, payload=data)
		if topic == "refunds/create":
			from omni_channel.channels.shopify.mapper import refund_from_webhook

			refund = refund_from_webhook(data)
			return WebhookEvent(
				platform,
				shop,
				wid,
				topic,
				"refund",
				P.ident(data, "order_id", "refund"),
				refund=refund,
				payload=data,
			)
		if topic == "orders/delete":
			return WebhookEvent(
				platform, shop, wid, topic, "deleted", P.ident(data, "id", "order"), payload=data
			)
		return WebhookEvent(platform, shop, wid, topic, "other", payload=data)
	if platform == "taobao":
		data = P.loads(body)
		wid = (
			base.header(headers, "x-top-message-id")
			or P.ident(data, "id", "message", required=False)
			or digest
		)
		topic = P.text(data, "topic", "message", max_len=200)
		if topic:  # a TMC-style notice: only the tid travels; fetch the trade
			content = data.get("content")
			if isinstance(content, str):
				content = P.loads(content.encode("utf-8"))
			if not isinstance(content, dict):
				raise ChannelInputError(
					"wrong_type", "message.content must be an object or a JSON string", "message.content"
				)
			tid = P.ident(content, "tid", "message.content")
			return WebhookEvent(platform, shop, wid, topic, "notice", tid, payload=data)
		order = mapper_for(platform)(data, shop)
		return WebhookEvent(platform, shop, wid, "trade", "order", order.external_id, order, payload=data)
	raise ChannelInputError("unknown_platform", f"no channel called {str(platform)[:40]!r}")
