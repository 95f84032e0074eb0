"""The Alipay provider against the real RSA2 scheme: a hand-computed signing string, keys generated
here, and a loopback simulator of the platform (its own implementation of the scheme) that takes our
cashier request and sends us its signed notification."""

import base64
import datetime
import json
import threading
import urllib.error
import urllib.request
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from cryptography.hazmat.primitives import serialization

from b2b_mall.core.gateways import alipay
from b2b_mall.core.payment_gateway import (
	Action,
	GatewayOrder,
	Notification,
	Rejected,
	State,
	Status,
	decide,
	gateway_class,
	money,
)
from tests.unit.b2b_mall.alipay_simulator import Simulator, bare_private, bare_public, new_key

APP_ID = "2021000122600001"


@pytest.fixture(scope="module")
def app_key():
	return new_key()


@pytest.fixture(scope="module")
def platform_key():
	return new_key()


@pytest.fixture
def sim(app_key, platform_key):
	with Simulator(APP_ID, app_key, platform_key=platform_key) as s:
		yield s


def gateway(app_key, sim, **kw) -> alipay.Gateway:
	return alipay.Gateway(
		alipay.Config(
			app_id=kw.pop("app_id", APP_ID),
			private_key=bare_private(app_key),
			platform_public_key=bare_public(sim.platform_key),
			gateway_url=sim.gateway_url,
			**kw,
		)
	)


def order(**kw) -> GatewayOrder:
	values = dict(
		trade_no="MOP-2026-00001",
		amount=Decimal("1288.50"),
		currency="CNY",
		subject="订单 SAL-ORD-2026-00001",
		notify_url="http://shop.example/api/method/b2b_mall.api.payments.notify",
		return_url="http://shop.example/mall-pay?payment=MOP-2026-00001",
		expires_at=datetime.datetime(2026, 12, 1, 10, 30),
	)
	values.update(kw)
	return GatewayOrder(**values)


NOW = datetime.datetime(2026, 12, 1, 10, 0, 5)


# ------------------------------------------------------------ the string that is signed


def test_signing_string_matches_the_hand_computed_example():
	params = {
		"version": "1.0",
		"timestamp": "2026-12-01 10:00:05",
		"sign_type": "RSA2",
		"sign": "SHOULD-NOT-APPEAR",
		"method": "alipay.trade.page.pay",
		"charset": "utf-8",
		"biz_content": '{"out_trade_no":"MOP-1","total_amount":"88.80","subject":"茶 & 杯"}',
		"app_id": "2021000122600001",
		"notify_url": "",  # empty: left out
		"return_url": None,  # none: left out
		"a_b": "x",  # '_' sorts before 'p' (byte order)
	}
	expected = (
		"a_b=x&app_id=2021000122600001"
		'&biz_content={"out_trade_no":"MOP-1","total_amount":"88.80","subject":"茶 & 杯"}'
		"&charset=utf-8&method=alipay.trade.page.pay&sign_type=RSA2"
		"&timestamp=2026-12-01 10:00:05&version=1.0"
	)
	assert alipay.signing_string(params) == expected
	# a notification is verified without sign_type as well
	assert alipay.signing_string(params, exclude=("sign", "sign_type")) == expected.replace(
		"&sign_type=RSA2", ""
	)


def test_request_signature_is_sha256_with_rsa_over_that_string(app_key, sim):
	from cryptography.hazmat.primitives import hashes
	from cryptography.hazmat.primitives.asymmetric import padding

	params = gateway(app_key, sim).request_params(order(), NOW)
	assert params["sign_type"] == "RSA2" and params["method"] == "alipay.trade.page.pay"
	biz = json.loads(params["biz_content"])
	assert biz == {
		"out_trade_no": "MOP-2026-00001",
		"total_amount": "1288.50",
		"subject": "订单 SAL-ORD-2026-00001",
		"time_expire": "2026-12-01 10:30:00",
		"product_code": "FAST_INSTANT_TRADE_PAY",
	}
	message = alipay.signing_string({k: v for k, v in params.items() if k != "sign"}).encode()
	app_key.public_key().verify(
		base64.b64decode(params["sign"]), message, padding.PKCS1v15(), hashes.SHA256()
	)  # raises if wrong


# ------------------------------------------------------------ the cashier request at the simulator


def fetch(url: str) -> tuple[int, str]:
	try:
		with urllib.request.urlopen(url, timeout=10) as r:
			return r.status, r.read().decode()
	except urllib.error.HTTPError as e:
		return e.code, e.read().decode()


def test_the_platform_takes_our_signed_cashier_request(app_key, sim):
	status, page = fetch(gateway(app_key, sim).checkout_url(order(), NOW))
	assert status == 200 and "1288.50" in page and 'id="sim-pay"' in page.replace("'", '"')
	assert sim.trades["MOP-2026-00001"]["amount"] == "1288.50"


@pytest.mark.parametrize(
	"change",
	[
		{"biz_content": '{"out_trade_no":"MOP-2026-00001","total_amount":"1.00","subject":"x"}'},
		{"notify_url": "http://attacker.example/notify"},
		{"app_id": "2021000000000009"},
	],
)
def test_a_request_changed_after_signing_is_refused_by_the_platform(app_key, sim, change):
	url = gateway(app_key, sim).checkout_url(order(), NOW)
	base, query = url.split("?", 1)
	params = dict(parse_qsl(query, keep_blank_values=True))
	params.update(change)
	status, page = fetch(base + "?" + urlencode(params))
	assert status == 400 and "invalid-signature" in page
	assert not sim.trades


def test_a_request_signed_with_another_key_is_refused(app_key, sim):
	other = alipay.Gateway(
		alipay.Config(APP_ID, bare_private(new_key()), bare_public(sim.platform_key), sim.gateway_url)
	)
	status, page = fetch(other.checkout_url(order(), NOW))
	assert status == 400 and "invalid-signature" in page


def test_only_cny_and_sane_amounts_are_sent(app_key, sim):
	g = gateway(app_key, sim)
	with pytest.raises(Rejected) as e:
		g.checkout_url(order(currency="USD"), NOW)
	assert e.value.reason == "currency"
	with pytest.raises(Rejected):
		g.checkout_url(order(amount=Decimal("0")), NOW)


def test_precreate_is_signed_the_same_way_without_the_page_product(app_key, sim):
	g = gateway(app_key, sim, method=alipay.PRECREATE)
	params = g.request_params(order(), NOW)
	assert params["method"] == "alipay.trade.precreate" and "product_code" not in params["biz_content"]
	assert fetch(g.checkout_url(order(), NOW))[0] == 200


# ------------------------------------------------------------ the notification


def test_the_platform_notification_verifies_and_parses(app_key, sim):
	fields = sim.notify_fields("MOP-2026-00001", "1288.50")
	n = gateway(app_key, sim).parse_notification(sim.body(fields), "application/x-www-form-urlencoded")
	assert n == Notification(
		"MOP-2026-00001", fields["trade_no"], Decimal("1288.50"), Status.PAID, "TRADE_SUCCESS"
	)


@pytest.mark.parametrize(
	"field,value",
	[
		("total_amount", "1.00"),
		("out_trade_no", "MOP-2026-00002"),
		("trade_status", "TRADE_SUCCESS "),
		("subject", "changed"),
		("sign", base64.b64encode(b"x" * 256).decode()),
		("sign", "not base64!"),
	],
)
def test_a_tampered_notification_is_rejected(app_key, sim, field, value):
	fields = sim.notify_fields("MOP-2026-00001", "1288.50")
	fields[field] = value
	with pytest.raises(Rejected) as e:
		gateway(app_key, sim).parse_notification(sim.body(fields))
	assert e.value.reason == "signature"


def test_a_notification_signed_by_someone_else_is_rejected(app_key, sim, monkeypatch):
	forger = new_key()
	monkeypatch.setattr(sim, "platform_key", forger)
	fields = sim.notify_fields("MOP-2026-00001", "1288.50")
	g = alipay.Gateway(alipay.Config(APP_ID, bare_private(app_key), bare_public(new_key()), sim.gateway_url))
	with pytest.raises(Rejected) as e:
		g.parse_notification(sim.body(fields))
	assert e.value.reason == "signature"


def test_a_genuine_notification_for_another_app_is_rejected(app_key, sim):
	fields = sim.notify_fields("MOP-2026-00001", "1288.50", app_id="2021000199999999")
	with pytest.raises(Rejected) as e:
		gateway(app_key, sim).parse_notification(sim.body(fields))
	assert e.value.reason == "app_id"


def test_missing_sign_type_duplicate_fields_and_unknown_status_are_rejected(app_key, sim):
	g = gateway(app_key, sim)
	fields = sim.notify_fields("MOP-2026-00001", "1288.50")
	no_type = {k: v for k, v in fields.items() if k != "sign_type"}
	with pytest.raises(Rejected) as e:
		g.parse_notification(sim.body(no_type))
	assert e.value.reason == "sign_type"
	with pytest.raises(Rejected) as e:
		g.parse_notification(sim.body(fields) + b"&total_amount=1.00")
	assert e.value.reason == "malformed"
	with pytest.raises(Rejected) as e:
		g.parse_notification(
			sim.body(sim.notify_fields("MOP-2026-00001", "1288.50", trade_status="PAID_MAYBE"))
		)
	assert e.value.reason == "trade_status"
	with pytest.raises(Rejected) as e:
		g.parse_notification(b'{"out_trade_no": "x"}', "application/json")
	assert e.value.reason == "malformed"


def test_keys_load_as_the_platform_tools_and_pem_give_them(app_key, sim):
	pkcs8 = bare_private(app_key, serialization.PrivateFormat.PKCS8)
	pem = app_key.private_bytes(
		serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
	).decode()
	for private in (bare_private(app_key), pkcs8, pem):
		g = alipay.Gateway(alipay.Config(APP_ID, private, bare_public(sim.platform_key), sim.gateway_url))
		assert fetch(g.checkout_url(order(trade_no=f"MOP-{len(private)}"), NOW))[0] == 200
	with pytest.raises(ValueError):
		alipay.Gateway(alipay.Config(APP_ID, "not a key", bare_public(sim.platform_key)))
	with pytest.raises(ValueError):
		alipay.Gateway(alipay.Config(APP_ID, pkcs8, "bm90IGEga2V5"))


def test_the_whole_loop_cashier_pay_notify_ack(app_key, sim):
	"""The simulator's buyer pays: it POSTs the notification to our (loopback) notify URL, which
	verifies it and answers `success`; a tampered copy of the same notification gets a 400."""
	g = gateway(app_key, sim)
	got = []

	class Merchant(BaseHTTPRequestHandler):
		def log_message(self, *a):
			pass

		def do_POST(self):
			body = self.rfile.read(int(self.headers["Content-Length"]))
			try:
				got.append(g.parse_notification(body, self.headers["Content-Type"]))
				status, answer = 200, g.ack
			except Rejected as e:
				status, answer = 400, e.reason
			self.send_response(status)
			self.end_headers()
			self.wfile.write(answer.encode())

	server = ThreadingHTTPServer(("127.0.0.1", 0), Merchant)
	threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
	try:
		notify_url = f"http://127.0.0.1:{server.server_address[1]}/notify"
		fetch(g.checkout_url(order(notify_url=notify_url), NOW))
		back = sim.pay("MOP-2026-00001")
		assert sim.notified == [(200, "success")]
		assert got[0].status is Status.PAID and got[0].amount == Decimal("1288.50")
		assert urlsplit(back).path == "/mall-pay" and "out_trade_no=MOP-2026-00001" in back
		forged = sim.notify_fields("MOP-2026-00001", "1288.50")
		forged["total_amount"] = "0.01"
		assert sim.post(notify_url, sim.body(forged)) == (400, "signature")
	finally:
		server.shutdown()
		server.server_close()


# ------------------------------------------------------------ what a verified notification may do


def note(amount="100.00", status=Status.PAID, gateway_trade_no="2026120122001") -> Notification:
	return Notification("MOP-1", gateway_trade_no, money(amount), status, "x")


def test_a_paid_notice_for_a_pending_payment_posts_once_and_a_replay_does_not():
	assert decide(note(), State.PENDING, 100) is Action.POST
	assert decide(note(), State.PAID, 100, paid_trade="2026120122001") is Action.ALREADY


def test_a_wrong_amount_is_rejected_whatever_the_state():
	for state in State:
		with pytest.raises(Rejected) as e:
			decide(note("99.99"), state, Decimal("100.00"))
		assert e.value.reason == "amount"


def test_money_after_expiry_or_a_second_trade_is_flagged_for_refund_never_posted():
	assert decide(note(), State.EXPIRED, 100) is Action.REFUND
	assert (
		decide(note(gateway_trade_no="other"), State.PAID, 100, paid_trade="2026120122001") is Action.REFUND
	)
	assert decide(note(), State.REFUND_NEEDED, 100) is Action.ALREADY


def test_waiting_and_closed_notices_post_nothing():
	assert decide(note(status=Status.WAITING), State.PENDING, 100) is Action.WAIT
	assert decide(note(status=Status.CLOSED), State.PENDING, 100) is Action.WAIT


def test_the_registry_names_the_alipay_module():
	assert gateway_class("Alipay") is alipay.Gateway
	with pytest.raises(Rejected):
		gateway_class("Nowhere")
