"""Webhook signatures and the delivery path: repeated, out-of-order deliveries land exactly once."""

import base64
import hmac
import json
import random
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from omni_channel.channels import parse_webhook, verify_webhook, webhook_key
from omni_channel.channels.base import hmac_sha256_b64
from omni_channel.channels.taobao.signing import top_sign
from omni_channel.core.errors import ChannelInputError
from omni_channel.core.exactly_once import OrderBook, Outbox, SeenWebhooks
from tests.unit.omni_channel.factories import T0, copy_of, fixture
from tests.unit.omni_channel.simulator import (
	WebhookReceiver,
	deliver,
	reference_top_sign,
	shopify_delivery,
	woo_delivery,
)
from tests.unit.omni_channel.test_exactly_once import FakeErp

SECRET = "whsec_😀_unicode_ok"


def test_shopify_signature_accepts_the_exact_bytes_and_refuses_any_change():
	body, headers = shopify_delivery(
		SECRET, fixture("shopify", "order_emoji_no_phone"), "orders/create", "w1"
	)
	verify_webhook("shopify", SECRET, body, headers)
	lower = {k.lower(): v for k, v in headers.items()}
	verify_webhook("shopify", SECRET, body, lower)  # header names are case-insensitive
	for bad_body, bad_headers, secret in [
		(body + b" ", headers, SECRET),
		(body, {**headers, "X-Shopify-Hmac-Sha256": hmac_sha256_b64("other", body)}, SECRET),
		(body, {k: v for k, v in headers.items() if k != "X-Shopify-Hmac-Sha256"}, SECRET),
	]:
		with pytest.raises(ChannelInputError) as e:
			verify_webhook("shopify", secret, bad_body, bad_headers)
		assert e.value.code == "bad_signature"


# RFC 4231 §4.3 (test case 2) and RFC 2202 §2 (test case 2): the published HMAC values for
# key "Jefe" and "what do ya want for nothing?". Shopify and WooCommerce sign a webhook body with
# base64 HMAC-SHA256 and publish no fixed example value, so the HMAC standard's own vector is used.
JEFE, WHAT = "Jefe", b"what do ya want for nothing?"
RFC4231_2 = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
RFC2202_MD5_2 = "750c783e6ab0b503eaa86e310a5db738"


@pytest.mark.parametrize(
	"platform, header", [("shopify", "X-Shopify-Hmac-Sha256"), ("woocommerce", "X-WC-Webhook-Signature")]
)
def test_webhook_hmac_matches_the_rfc_4231_vector(platform, header):
	published = base64.b64encode(bytes.fromhex(RFC4231_2)).decode()
	assert published == "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM="
	assert hmac_sha256_b64(JEFE, WHAT) == published
	verify_webhook(platform, JEFE, WHAT, {header: published})
	with pytest.raises(ChannelInputError):
		verify_webhook(
			platform, JEFE, WHAT, {header: base64.b64encode(bytes.fromhex(RFC2202_MD5_2)).decode()}
		)


@pytest.mark.parametrize(
	"platform, header", [("shopify", "X-Shopify-Hmac-Sha256"), ("woocommerce", "X-WC-Webhook-Signature")]
)
def test_a_shop_without_a_secret_refuses_a_body_signed_with_the_empty_key(platform, header):
	"""erp/orders.py passes `secret or ""`: a body signed with an empty key must not pass."""
	body = json.dumps(fixture("shopify", "order_emoji_no_phone")).encode()
	empty_key_sig = base64.b64encode(hmac.digest(b"", body, "sha256")).decode()
	with pytest.raises(ChannelInputError) as e:
		verify_webhook(platform, "", body, {header: empty_key_sig})
	assert e.value.code == "bad_signature" and "secret" in e.value.reason


def test_woocommerce_signature_and_ping():
	body, headers = woo_delivery(
		SECRET, fixture("woocommerce", "order_processing_guest"), "order.updated", "d1"
	)
	verify_webhook("woocommerce", SECRET, body, headers)
	with pytest.raises(ChannelInputError):
		verify_webhook("woocommerce", SECRET, body.replace(b"processing", b"completed"), headers)
	ping = b"webhook_id=17"
	verify_webhook("woocommerce", SECRET, ping, {"X-WC-Webhook-Signature": hmac_sha256_b64(SECRET, ping)})
	ev = parse_webhook("woocommerce", ping, {}, "uk")
	assert ev.kind == "ping" and ev.payload == {"webhook_id": "17"} and ev.order is None


TOP_NOW = datetime(2024, 6, 19, 2, 20, 31, tzinfo=timezone.utc)  # 10:20:31 in Beijing


def taobao_push(
	body: bytes,
	method: str = "md5",
	app_key: str = "123",
	ts: str = "2024-06-19 10:20:31",
	secret: str = "s3cret",
):
	"""A push as TOP signs it, by the simulator's reference signer (not the code under test)."""
	params = {"app_key": app_key, "timestamp": ts, "sign_method": method}
	return {**params, "sign": reference_top_sign(params, secret, method, body)}


# Taobao's own worked example (open.taobao.com, API 调用方法详解, 签名算法): secret "helloworld".
TAOBAO_DOC_PARAMS = {
	"method": "taobao.item.seller.get",
	"app_key": "12345678",
	"session": "test",
	"timestamp": "2016-01-01 12:00:00",
	"format": "json",
	"v": "2.0",
	"sign_method": "md5",
	"fields": "num_iid,title,nick,price,num",
	"num_iid": "11223344",
}


@pytest.mark.parametrize("sign", [top_sign, reference_top_sign], ids=["code", "simulator"])
@pytest.mark.parametrize(
	"params, secret, method, body, published",
	[
		# Taobao publishes a value for md5 only
		(TAOBAO_DOC_PARAMS, "helloworld", "md5", b"", "66987CB115214E59E6EC978214934FB8"),
		# hmac = HMAC-MD5 and hmac-sha256 = HMAC-SHA256 over the joined text, keyed by the secret:
		# the parameters are chosen so that the joined text is the RFC's message ("Hi" + " There").
		({"Hi": " There"}, "\x0b" * 16, "hmac", b"", "9294727A3638BB1C13F48EF8158BFC9D"),  # RFC 2202 1
		({"what": " do ya want for nothing?"}, JEFE, "hmac", b"", RFC2202_MD5_2.upper()),  # RFC 2202 2
		(
			{"Hi": " There"},
			"\x0b" * 20,
			"hmac-sha256",
			b"",
			"B0344C61D8DB38535CA8AFCEAF0BF12B881DC200C9833DA726E9376C2E32CFF7",  # RFC 4231 1
		),
		# a push: the body goes after the parameters ("what" + " do ya want" + body)
		({"what": " do ya want"}, JEFE, "hmac-sha256", b" for nothing?", RFC4231_2.upper()),
		(
			{"what": " do ya want", "sign": "X", "empty": ""},
			JEFE,
			"hmac",
			b" for nothing?",
			RFC2202_MD5_2.upper(),
		),
	],
)
def test_taobao_signature_matches_the_published_value_for_every_method(
	sign, params, secret, method, body, published
):
	assert sign(params, secret, method, body) == published


def test_taobao_push_signed_with_an_empty_secret_is_refused():
	body = b'{"tid": 1}'
	for method in ("md5", "hmac", "hmac-sha256"):
		headers = taobao_push(body, method, secret="")
		with pytest.raises(ChannelInputError) as e:
			verify_webhook("taobao", "", body, headers, app_key="123", sign_method=method, now=TOP_NOW)
		assert "secret" in e.value.reason


def test_taobao_push_signature_with_the_shops_own_method():
	body = json.dumps(fixture("taobao", "trade_partial_consigned"), ensure_ascii=False).encode()
	for method in ("md5", "hmac", "hmac-sha256"):
		headers = taobao_push(body, method)
		verify_webhook("taobao", "s3cret", body, headers, app_key="123", sign_method=method, now=TOP_NOW)
		with pytest.raises(ChannelInputError):
			verify_webhook(
				"taobao", "s3cret", body + b"x", headers, app_key="123", sign_method=method, now=TOP_NOW
			)
	ev = parse_webhook("taobao", body, {"x-top-message-id": "m1"}, "tmall")
	assert ev.kind == "order" and ev.order.external_id == "3712345678901234567"


def _refused(body, headers, **kw) -> str:
	kw = {"app_key": "123", "sign_method": "md5", "now": TOP_NOW, **kw}
	with pytest.raises(ChannelInputError) as e:
		verify_webhook("taobao", "s3cret", body, headers, **kw)
	assert e.value.code == "bad_signature"
	return e.value.reason


def test_taobao_push_refuses_a_stale_timestamp_another_app_key_and_a_method_the_caller_picks():
	body = b'{"tid": 1}'
	good = taobao_push(body)
	verify_webhook("taobao", "s3cret", body, good, app_key="123", sign_method="md5", now=TOP_NOW)
	# within ±5 minutes either way is fine, beyond is a replay
	for minutes in (-5, 5):
		verify_webhook(
			"taobao", "s3cret", body, good, app_key="123", now=TOP_NOW + timedelta(minutes=minutes)
		)
	for minutes in (-6, 6, 60 * 24 * 365):
		assert "timestamp" in _refused(body, good, now=TOP_NOW + timedelta(minutes=minutes))
	assert "timestamp" in _refused(body, taobao_push(body, ts="yesterday"))
	assert "timestamp" in _refused(body, {k: v for k, v in good.items() if k != "timestamp"})
	# a correctly signed push for another app (the caller knows its own secret only if it is ours)
	assert "app_key" in _refused(body, taobao_push(body, app_key="999"))
	assert "app key" in _refused(body, good, app_key="")
	# the shop signs with hmac-sha256: an md5 push (even correctly signed) is refused
	assert "sign_method" in _refused(body, good, sign_method="hmac-sha256")
	# a missing sign_method header means the shop's method, never md5 by default
	strong = taobao_push(body, "hmac-sha256")
	no_method = {k: v for k, v in strong.items() if k != "sign_method"}
	assert "sign does not match" in _refused(body, no_method, sign_method="hmac-sha256")
	assert "secret" in _refused(body, good, sign_method="sha1")
	with pytest.raises(ChannelInputError):
		verify_webhook("taobao", "", body, good, app_key="123", now=TOP_NOW)


def test_taobao_tmc_notice_carries_only_the_tid():
	msg = {
		"id": 99,
		"topic": "taobao_trade_TradeSellerShip",
		"content": json.dumps({"tid": 3712345678901234567, "status": "WAIT_BUYER_CONFIRM_GOODS"}),
	}
	ev = parse_webhook("taobao", json.dumps(msg).encode(), {}, "tmall")
	assert ev.kind == "notice" and ev.external_id == "3712345678901234567" and ev.webhook_id == "99"


def test_shopify_refund_topic_and_oversized_body():
	body = json.dumps(fixture("shopify", "webhook_refund_create")).encode()
	ev = parse_webhook(
		"shopify", body, {"X-Shopify-Topic": "refunds/create", "X-Shopify-Webhook-Id": "r1"}, "cn"
	)
	assert ev.kind == "refund" and ev.external_id == "5551234500001" and ev.refund.lines[0].quantity == 2
	with pytest.raises(ChannelInputError) as e:
		verify_webhook("shopify", SECRET, b"{" + b" " * (3 * 1024 * 1024) + b"}", {})
	assert e.value.code == "too_large"


def test_webhook_key_is_per_shop_and_safe():
	assert (
		webhook_key("acme", "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043")
		== "acme:wh-b54557e4-bdd9-4b37-8a5f-bf7d70bcd043"
	)
	assert webhook_key("a", "x") != webhook_key("b", "x")


def test_repeated_out_of_order_deliveries_create_once_and_end_at_the_latest_version():
	"""Three versions of one order, each delivered three times, shuffled, over real HTTP."""
	seen, book, outbox, erp = SeenWebhooks(), OrderBook(), Outbox(), FakeErp(fail=2)
	statuses = []

	def endpoint(raw, headers):
		try:
			verify_webhook("shopify", SECRET, raw, headers)
		except ChannelInputError:
			return 401
		ev = parse_webhook("shopify", raw, headers, "acme")
		if not seen.first_time("acme", ev.webhook_id):
			return 200  # already have it: acknowledge, do nothing
		if book.accept(ev.order) != "ignore":
			outbox.put(ev.order)
		statuses.append(ev.order.status)
		return 200

	base = fixture("shopify", "order_partially_fulfilled")
	versions = []
	for i, (_fs, upd) in enumerate(
		[
			(None, "2024-04-02T09:16:00+08:00"),
			("partial", "2024-04-03T14:22:31+08:00"),
			("fulfilled", "2024-04-04T08:00:00+08:00"),
		]
	):
		p = copy_of(base)
		p["updated_at"] = upd
		if i == 0:
			p["fulfillments"] = []
		if i == 2:
			p["fulfillments"][0]["line_items"][1]["quantity"] = 3
		versions.append(shopify_delivery(SECRET, p, "orders/updated", f"wh-{i}"))
	tampered = (versions[0][0].replace(b"999.00", b"1.00"), versions[0][1])
	order = list(range(9))
	random.Random(7).shuffle(order)
	with WebhookReceiver(endpoint) as rx:
		codes = deliver(rx.url, versions, repeat=3, order=order)
		assert deliver(rx.url, [tampered]) == [401]
	assert codes == [200] * 9
	assert len(statuses) == 3  # each delivery id processed once
	now = T0
	for _ in range(5):
		outbox.run(erp, now)
		now += timedelta(hours=1)
	(name, version, written) = erp.docs["acme:5551234500001"]
	assert written.status == "shipped" and version.updated_at.isoformat() == "2024-04-04T08:00:00+08:00"
	assert len(erp.docs) == 1 and erp.writes <= 3


def test_late_older_version_after_write_does_not_roll_back():
	book, outbox, erp = OrderBook(), Outbox(), FakeErp()
	from omni_channel.channels import to_canonical

	new = to_canonical("shopify", fixture("shopify", "order_partially_fulfilled"), "acme")
	old = replace(new, updated_at=new.updated_at - timedelta(days=1), status="paid")
	for o in (new, old):
		if book.accept(o) != "ignore":
			outbox.put(o)
		outbox.run(erp, T0)
	assert erp.docs[new.key][2].status == "partially_shipped" and erp.writes == 1
