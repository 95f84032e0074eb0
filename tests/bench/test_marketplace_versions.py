"""Two deliveries of one order with the same `updated_at` but other content (issue 11, finding 2).

Signed Shopify webhooks through the real guest endpoint: whichever of the pair arrives first, the
order log ends on the same version (status rank, then content digest), the other is answered
`duplicate` or `updated` accordingly, and the very same content replayed is a duplicate.
"""

import json

import frappe

from omni_channel.channels.shopify.mapper import to_canonical
from omni_channel.core.order import compare_order_versions, version_of
from omni_channel.erp.orders import process
from tests.bench import builders
from tests.bench.test_order_path import SHOP, post_webhook, shopify_order

AT = "2026-11-20T10:05:00+08:00"


def pair(sku: str) -> tuple[dict, dict]:
	"""The same order, the same second: one with a buyer's note added by the shop, one without."""
	plain = shopify_order(853101, sku, 2, "12.00", AT, cod=False)
	noted = {**plain, "note": "gift wrap, please"}
	return plain, noted


def winner(a: dict, b: dict) -> dict:
	va, vb = version_of(to_canonical(a, SHOP)), version_of(to_canonical(b, SHOP))
	assert va.updated_at == vb.updated_at and va.digest != vb.digest
	return a if compare_order_versions(va, vb) == "newer" else b


def arrive(first: dict, second: dict) -> tuple[str, str, str, dict]:
	"""Post the pair in this order; the answers and the payload the log ends with."""
	s1, b1 = post_webhook(first, webhook_id="wh-v1")
	s2, b2 = post_webhook(second, webhook_id="wh-v2")
	s3, b3 = post_webhook(second, webhook_id="wh-v3")  # the same content again
	assert (s1, s2, s3) == (200, 200, 200)
	key = b1["order"]
	return (
		b1["status"],
		b2["status"],
		b3["status"],
		json.loads(frappe.db.get_value("Channel Order Log", key, "payload")),
	)


def test_a_same_second_pair_with_other_content_ends_on_the_same_version_whichever_arrives_first():
	item = builders.item_with_stock(10, bin_name="A2-03-L", price=12)
	plain, noted = pair(item)
	win = winner(plain, noted)
	ends = []
	frappe.db.savepoint("same_second_pair")
	for first, second in ((plain, noted), (noted, plain)):
		a1, a2, a3, stored = arrive(first, second)
		assert a1 == "created"
		assert a2 == ("updated" if second is win else "duplicate")
		assert a3 == "duplicate", "the same content replayed is a duplicate"
		assert stored == win
		ends.append(stored.get("note"))
		frappe.db.rollback(save_point="same_second_pair")  # the other arrival order, from scratch
	assert ends[0] == ends[1]


def test_the_same_second_winner_is_what_erpnext_keeps_after_processing():
	item = builders.item_with_stock(10, bin_name="A2-03-L", price=12)
	plain, noted = pair(item)
	win = winner(plain, noted)
	lose = noted if win is plain else plain
	status, body = post_webhook(lose, webhook_id="wh-v4")
	key = body["order"]
	process(key)
	assert post_webhook(win, webhook_id="wh-v5")[1]["status"] == "updated"
	process(key)
	assert post_webhook(lose, webhook_id="wh-v6")[1]["status"] == "duplicate"
	assert json.loads(frappe.db.get_value("Channel Order Log", key, "payload")) == win
