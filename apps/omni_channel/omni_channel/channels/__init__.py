"""Marketplace channels: one package per platform, one small surface for the ERPNext adapter.

    verify_webhook(platform, secret, raw_body, headers)            → None, or ChannelInputError("bad_signature")
    parse_webhook(platform, raw_body, headers, shop)               → WebhookEvent
    to_canonical(platform, payload_dict, shop)                     → CanonicalOrder
    webhook_key(shop, webhook_id)                                  → Frappe-safe dedupe name

Everything a caller can do wrong with input ends in `ChannelInputError` (code + reason).
"""

from __future__ import annotations

from omni_channel.channels.webhooks import WebhookEvent, parse_webhook, verify_webhook, webhook_key
from omni_channel.core.errors import ChannelInputError

PLATFORMS = ("shopify", "taobao", "woocommerce")


def mapper_for(platform: str):
	if platform == "shopify":
		from omni_channel.channels.shopify.mapper import to_canonical as f
	elif platform == "taobao":
		from omni_channel.channels.taobao.mapper import to_canonical as f
	elif platform == "woocommerce":
		from omni_channel.channels.woocommerce.mapper import to_canonical as f
	else:
		raise ChannelInputError(
			"unknown_platform", f"no channel called {str(platform)[:40]!r}; known: {', '.join(PLATFORMS)}"
		)
	return f


def to_canonical(platform: str, payload: dict, shop: str):
	"""The platform's order JSON (already decoded) → `CanonicalOrder`, or `ChannelInputError`."""
	if not isinstance(payload, dict):
		raise ChannelInputError(
			"malformed_json", f"an order payload must be a JSON object, not {type(payload).__name__}"
		)
	if not isinstance(shop, str) or not shop.strip():
		raise ChannelInputError("missing_field", "shop is required", "shop")
	from omni_channel.core.totals import refuse_negative

	return refuse_negative(mapper_for(platform)(payload, shop.strip()))


__all__ = [
	"PLATFORMS",
	"WebhookEvent",
	"mapper_for",
	"parse_webhook",
	"to_canonical",
	"verify_webhook",
	"webhook_key",
]
