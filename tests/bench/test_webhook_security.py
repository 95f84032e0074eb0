"""The webhook endpoint as an attacker meets it: the length is checked before the body is read, every
refusal of who-is-calling looks the same, the rate is per shop from the query string, and a Taobao
push is bound to the shop's app key, signing method and a five-minute clock."""

import base64
import hashlib
import hmac
import io
import json
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import frappe
import pytest
from frappe.utils import random_string
from werkzeug.test import EnvironBuilder

from tests.bench.test_order_path import SECRET, SHOP, shopify_order

TAOBAO_TRADE = (
	Path(__file__).resolve().parents[2]
	/ "apps/omni_channel/omni_channel/channels/taobao/fixtures/trade_partial_consigned.json"
)


def shopify_headers(raw: bytes, secret: str = SECRET, webhook_id: str = "wh-sec") -> dict:
	sig = base64.b64encode(hmac.new(secret.encode(), raw, hashlib.sha256).digest()).decode()
	return {
		"Content-Type": "application/json",
		"X-Shopify-Hmac-Sha256": sig,
		"X-Shopify-Topic": "orders/create",
		"X-Shopify-Webhook-Id": webhook_id,
	}


def call(raw: bytes, headers: dict, shop: str | None = SHOP, environ: dict | None = None):
	"""The real guest endpoint, in this transaction: (status, body dict, response)."""
	from omni_channel.api.webhooks import receive

	builder = EnvironBuilder(
		method="POST",
		path="/api/method/omni_channel.api.webhooks.receive",
		query_string={"shop": shop} if shop is not None else None,
		data=raw,
		headers=headers,
	)
	env = builder.get_environ()
	for k, v in (environ or {}).items():
		if v is None:
			env.pop(k, None)
		else:
			env[k] = v
	from werkzeug.wrappers import Request

	frappe.local.request = Request(env)
	frappe.local.request_ip = "127.0.0.1"
	body = frappe.request.get_data(cache=True) if not environ else b""
	# what Frappe hands the method: the JSON body as keyword arguments
	kwargs = json.loads(body) if body[:1] == b"{" else {}
	frappe.local.form_dict = frappe._dict(kwargs, cmd="omni_channel.api.webhooks.receive")
	frappe.set_user("Guest")
	try:
		response = receive(**frappe.local.form_dict)
	finally:
		frappe.set_user("Administrator")
	return response.status_code, json.loads(response.get_data()), response


def new_shop(platform: str = "Shopify", secret: str | None = "s3cret-" + "x" * 8, **values) -> str:
	demo = frappe.get_doc("Channel Shop", SHOP)
	doc = frappe.get_doc(
		{
			"doctype": "Channel Shop",
			"shop_name": f"sec-{platform.lower()}-{random_string(6).lower()}",
			"platform": platform,
			"company": demo.company,
			"customer": demo.customer,
			"warehouse": demo.warehouse,
			"webhook_secret": secret,
			**values,
		}
	)
	doc.insert(ignore_permissions=True)
	return doc.name


def fresh_window():
	"""Start a test on a fresh rate window: never straddle a 60-second boundary."""
	from omni_channel.api.webhooks import RATE_WINDOW

	if time.time() % RATE_WINDOW > RATE_WINDOW - 10:
		time.sleep(RATE_WINDOW - time.time() % RATE_WINDOW + 0.1)


def test_unknown_shop_shop_without_secret_and_bad_signature_get_the_same_401():
	raw = json.dumps(shopify_order(890001, "SKU-X", 1, "5.00", "2026-11-23T10:00:00+08:00")).encode()
	no_secret = new_shop(secret=None)
	disabled = new_shop(enabled=0)
	answers = [
		call(raw, shopify_headers(raw), shop="no-such-shop-" + random_string(6)),
		call(raw, shopify_headers(raw), shop=no_secret),
		call(raw, shopify_headers(raw), shop=disabled),
		call(raw, shopify_headers(raw, secret="wrong-secret")),
		call(raw, {k: v for k, v in shopify_headers(raw).items() if "Hmac" not in k}),
	]
	assert {(status, json.dumps(body, sort_keys=True)) for status, body, _r in answers} == {
		(401, json.dumps({"error": "unauthorized", "reason": "the delivery is not signed for this shop"}))
	}
	assert not frappe.db.exists("Channel Order Log", {"external_id": "890001"}), "nothing stored"
	# and the genuine delivery still goes through
	assert call(raw, shopify_headers(raw))[0] == 200


def test_content_length_is_checked_before_the_body_is_read():
	from omni_channel.core.payload import MAX_BODY_BYTES

	class Unreadable(io.RawIOBase):
		def read(self, *a):
			raise AssertionError("the body was read before its length was checked")

		readinto = read

	too_big = {"CONTENT_LENGTH": str(MAX_BODY_BYTES + 1), "wsgi.input": Unreadable()}
	status, body, _r = call(b"", shopify_headers(b""), environ=too_big)
	assert (status, body["error"]) == (413, "too_large")
	chunked = {"CONTENT_LENGTH": None, "HTTP_TRANSFER_ENCODING": "chunked", "wsgi.input": Unreadable()}
	status, body, _r = call(b"", {"Content-Type": "application/json"}, environ=chunked)
	assert (status, body["error"]) == (411, "length_required")


def test_the_shop_comes_from_the_query_string_not_the_body():
	payload = shopify_order(890002, "SKU-X", 1, "5.00", "2026-11-23T10:00:00+08:00")
	payload["shop"] = "no-such-shop"  # Frappe passes JSON keys as arguments; they must not pick the shop
	raw = json.dumps(payload).encode()
	status, body, _r = call(raw, shopify_headers(raw))
	assert status == 200 and body["order"] == f"{SHOP}:890002"


def test_rate_is_limited_per_shop_from_the_query_string(monkeypatch):
	fresh_window()
	monkeypatch.setitem(frappe.local.conf, "omni_webhook_rate_limit", 3)
	a, b = new_shop(), new_shop()
	raw = b'{"id": 1}'
	for _ in range(3):  # refused as unsigned (401), but counted
		assert call(raw, shopify_headers(raw, secret="nope"), shop=a)[0] == 401
	status, body, response = call(raw, shopify_headers(raw, secret="nope"), shop=a)
	assert (status, body["error"], response.headers["Retry-After"]) == (429, "rate_limited", "60")
	assert call(raw, shopify_headers(raw, secret="nope"), shop=b)[0] == 401, "another shop has its own rate"
	# names that are no enabled shop share one bucket: spraying made-up names does not multiply it
	statuses = [call(raw, {}, shop=f"made-up-{i}-{random_string(6)}")[0] for i in range(6)]
	assert 429 in statuses


def test_the_rate_admits_a_flash_sale_of_30000_deliveries_a_minute_per_shop():
	from omni_channel.api import webhooks

	assert webhooks.RATE_LIMIT == 30000 and webhooks.RATE_WINDOW == 60
	bucket, other = f"flash-{random_string(8)}", f"flash-{random_string(8)}"
	at = (time.time() // 60) * 60 + 1  # one fixed window
	assert webhooks.within_rate(bucket, now=at)
	# the minute's count so far, as if 29,989 more deliveries had come in
	key = frappe.cache.make_key(f"omni_channel:webhook_rate:{bucket}:{int(at // 60)}")
	frappe.cache.incrby(key, 29989)
	admitted = sum(webhooks.within_rate(bucket, now=at) for _ in range(15))
	assert admitted == 10, "deliveries 29,991 to 30,000 pass, the 30,001st and later are refused"
	assert webhooks.within_rate(other, now=at), "other shops are not affected"
	assert webhooks.within_rate(bucket, now=at + 60), "the next minute starts afresh"


def taobao_push(raw: bytes, secret: str, app_key: str, method: str, at: datetime) -> dict:
	from omni_channel.channels.taobao.signing import top_sign

	params = {
		"app_key": app_key,
		"timestamp": at.astimezone(timezone(timedelta(hours=8))).strftime("%Y-%m-%d %H:%M:%S"),
		"sign_method": method,
	}
	return {"Content-Type": "application/json", **params, "sign": top_sign(params, secret, method, raw)}


def test_taobao_push_needs_the_shops_app_key_its_one_method_and_a_fresh_timestamp():
	secret = "top-secret-" + random_string(6)
	shop = new_shop("Taobao", secret=secret, api_key="app-777", sign_method="hmac-sha256")
	raw = TAOBAO_TRADE.read_bytes()
	now = datetime.now(timezone.utc)
	refused = [
		taobao_push(raw, secret, "app-777", "hmac-sha256", now - timedelta(minutes=6)),
		taobao_push(raw, secret, "app-777", "hmac-sha256", now + timedelta(minutes=6)),
		taobao_push(raw, secret, "app-other", "hmac-sha256", now),
		taobao_push(raw, secret, "app-777", "md5", now),  # correctly signed, but not this shop's method
		taobao_push(raw, secret, "app-777", "hmac", now),
	]
	for headers in refused:
		status, body, _r = call(raw, headers, shop=shop)
		assert (status, body["error"]) == (401, "unauthorized"), headers
	status, body, _r = call(raw, taobao_push(raw, secret, "app-777", "hmac-sha256", now), shop=shop)
	assert status == 200 and body["status"] == "created"


@pytest.fixture(autouse=True)
def _no_jobs(monkeypatch):
	"""Deliveries here are only stored: keep them out of the running worker's queue."""
	monkeypatch.setattr(frappe, "enqueue", lambda *a, **kw: None)
