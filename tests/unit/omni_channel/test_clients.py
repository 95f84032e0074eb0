"""The three clients against the loopback simulator — paging, back-off, signing, pushes."""

from datetime import datetime, timedelta, timezone

import pytest
import requests

from omni_channel.channels.base import ChannelError, RetryPolicy, Shipment, StockUpdate, retry_after_seconds
from omni_channel.channels.shopify.client import ShopifyClient
from omni_channel.channels.taobao.client import TopClient
from omni_channel.channels.taobao.signing import top_sign
from omni_channel.channels.woocommerce.client import WooClient
from omni_channel.core.payload import SHANGHAI
from tests.unit.omni_channel.factories import copy_of, fixture
from tests.unit.omni_channel.simulator import Simulator


def shopify_orders(n):
	base = fixture("shopify", "order_emoji_no_phone")
	out = []
	for i in range(n):
		o = copy_of(base)
		o["id"] = 6000000000000 + i
		o["name"] = f"#{2000 + i}"
		o["updated_at"] = f"2024-03-13T16:{i // 60:02d}:{i % 60:02d}-04:00"
		out.append(o)
	return out


def woo_orders(n):
	base = fixture("woocommerce", "order_processing_guest")
	out = []
	for i in range(n):
		o = copy_of(base)
		o["id"] = 900 + i
		o["date_modified_gmt"] = f"2024-03-22T15:{i // 60:02d}:{i % 60:02d}"
		out.append(o)
	return out


def top_trades(n, day="2024-06-19"):
	base = fixture("taobao", "trade_partial_consigned")["trade_fullinfo_get_response"]["trade"]
	out = []
	for i in range(n):
		t = copy_of(base)
		t["tid"] = 4000000000000000000 + i
		t["tid_str"] = str(t["tid"])
		t["modified"] = f"{day} 10:{i // 60:02d}:{i % 60:02d}"
		out.append(t)
	return out


FAST = RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=5)


class TestShopify:
	def test_follows_link_cursors_and_waits_as_retry_after_says(self):
		slept = []
		with Simulator(shopify_orders=shopify_orders(7)) as sim:
			c = ShopifyClient(sim.url, sim.shopify_token, "acme", retry=FAST, sleep=slept.append)
			sim.fail_next(2, status=429, retry_after="2.0", path="orders.json")
			res = c.fetch_orders(limit=3)
		assert sorted(o.name for o in res.orders) == [f"#{2000 + i}" for i in range(7)]
		assert res.requests == 3 and slept == [2.0, 2.0]
		cursor_requests = [q for m, p, q in sim.log if p.endswith("orders.json") and "page_info" in q]
		assert cursor_requests and all(set(q) == {"limit", "page_info"} for q in cursor_requests)

	def test_gives_up_after_the_policy_and_says_so(self):
		with Simulator(shopify_orders=shopify_orders(1)) as sim:
			c = ShopifyClient(sim.url, sim.shopify_token, "acme", retry=FAST, sleep=lambda s: None)
			sim.fail_next(10, status=503)
			with pytest.raises(ChannelError) as e:
				c.fetch_orders()
		assert e.value.status == 503 and e.value.retryable and len(sim.log) == FAST.max_attempts

	def test_wrong_token_is_a_final_error(self):
		with Simulator() as sim:
			c = ShopifyClient(sim.url, "wrong", "acme", retry=FAST, sleep=lambda s: None)
			with pytest.raises(ChannelError) as e:
				c.fetch_orders()
		assert e.value.status == 401 and not e.value.retryable and len(sim.log) == 1

	def test_slow_answer_times_out_and_is_retried(self):
		with Simulator(shopify_orders=shopify_orders(2)) as sim:
			c = ShopifyClient(
				sim.url, sim.shopify_token, "acme", retry=FAST, sleep=lambda s: None, timeout=(1, 0.2)
			)
			sim.slow(0.6, n=1)
			res = c.fetch_orders()
		assert len(res.orders) == 2 and len([x for x in sim.log if x[1].endswith("orders.json")]) == 2

	def test_inventory_and_partial_fulfillment_with_tracking(self):
		with Simulator(shopify_orders=[fixture("shopify", "order_partially_fulfilled")]) as sim:
			c = ShopifyClient(sim.url, sim.shopify_token, "acme", retry=FAST, sleep=lambda s: None)
			c.set_inventory([StockUpdate("RV-R7", 5, product_id="808950810", location_id="655441491")])
			f = c.fulfill(Shipment("5551234500001", "SF999", "SF Express", line_ids=("13500000000102",)))
			assert sim.inventory == {(655441491, 808950810): 5}
			assert f["tracking_number"] == "SF999" and f["line_items"] == [
				{"id": 13500000000102, "quantity": 2}
			]
			with pytest.raises(ChannelError):
				c.fulfill(Shipment("5551234500001", "SF1000", "SF Express"))  # nothing left

	def test_post_is_not_retried_on_a_500(self):
		with Simulator(shopify_orders=[fixture("shopify", "order_partially_fulfilled")]) as sim:
			c = ShopifyClient(sim.url, sim.shopify_token, "acme", retry=FAST, sleep=lambda s: None)
			sim.fail_next(1, status=500, path="fulfillments.json")
			with pytest.raises(ChannelError):
				c.fulfill(Shipment("5551234500001", "SF999", "SF Express"))
		assert (
			len([x for x in sim.log if x[1].endswith("/fulfillments.json")]) == 1 and sim.fulfillments == []
		)


class TestWoo:
	def test_order_moving_from_page_2_to_page_1_is_not_lost(self):
		orders = woo_orders(10)
		with Simulator(woo_orders=orders) as sim:
			c = WooClient(sim.url, sim.woo_key, sim.woo_secret, "uk", retry=FAST, sleep=lambda s: None)
			sim.move_after_page("woo", page=1, order_id="906")  # on page 2 of 4-per-page, jumps to the top
			res = c.fetch_orders(per_page=4)
		assert sorted(int(o.external_id) for o in res.orders) == list(range(900, 910))
		assert res.passes == 2

	def test_without_the_move_one_pass_suffices_and_429_is_survived(self):
		with Simulator(woo_orders=woo_orders(5)) as sim:
			c = WooClient(
				sim.url,
				sim.woo_key,
				sim.woo_secret,
				"uk",
				query_string_auth=True,
				retry=FAST,
				sleep=lambda s: None,
			)
			sim.fail_next(1, status=429)
			res = c.fetch_orders(per_page=2)
		assert len(res.orders) == 5 and res.passes == 1 and res.requests == 3

	def test_stock_batches_and_completion_note(self):
		with Simulator() as sim:
			c = WooClient(sim.url, sim.woo_key, sim.woo_secret, "uk", retry=FAST, sleep=lambda s: None)
			ups = [StockUpdate(f"S{i}", i, product_id=str(1000 + i)) for i in range(150)] + [
				StockUpdate("V", 3, product_id="93", variant_id="117")
			]
			assert c.push_stock(ups) == 151
			c.ship(Shipment("727", "RM123GB", "Royal Mail"))
		batches = [p for m, p, q in sim.log if p.endswith("/batch")]
		assert len(batches) == 3 and sim.woo_stock[1149] == 149 and sim.woo_stock[117] == 3
		assert sim.woo_status == {"727": "completed"} and "RM123GB" in sim.woo_notes[0][1]["note"]

	def test_bad_keys(self):
		with Simulator() as sim:
			c = WooClient(sim.url, "ck_x", "cs_y", "uk", retry=FAST, sleep=lambda s: None)
			with pytest.raises(ChannelError) as e:
				c.fetch_orders()
		assert e.value.status == 401


class TestTop:
	def test_sign_matches_the_documented_construction(self):
		import hashlib

		p = {
			"method": "taobao.item.get",
			"app_key": "12345678",
			"timestamp": "2024-06-19 10:00:00",
			"v": "2.0",
			"sign_method": "md5",
			"fields": "num_iid,title",
			"num_iid": "11223344",
			"empty": "",
		}
		joined = "app_key12345678fieldsnum_iid,titlemethodtaobao.item.getnum_iid11223344sign_methodmd5timestamp2024-06-19 10:00:00v2.0"
		assert (
			top_sign(p, "helloworld")
			== hashlib.md5(f"helloworld{joined}helloworld".encode()).hexdigest().upper()
		)

	def client(self, sim, **kw):
		clock = lambda: datetime(2024, 6, 20, 9, 0, tzinfo=SHANGHAI)  # noqa: E731
		return TopClient(
			sim.url + "/router/rest",
			sim.top_app_key,
			sim.top_secret,
			"sess",
			"tmall",
			clock=clock,
			retry=FAST,
			sleep=lambda s: None,
			**kw,
		)

	def test_pages_by_number_survives_a_move_and_the_app_call_limit(self):
		trades = top_trades(9)
		with Simulator(top_trades=trades) as sim:
			c = self.client(sim, sign_method="hmac")
			sim.top_error(2)  # code 7 App Call Limited inside an HTTP 200
			sim.move_after_page("top", page=1, order_id=trades[5]["tid_str"])
			res = c.fetch_trades(
				datetime(2024, 6, 19, 0, 0, tzinfo=SHANGHAI),
				datetime(2024, 6, 19, 23, 59, 59, tzinfo=SHANGHAI),
				page_size=4,
			)
		assert sorted(o.external_id for o in res.orders) == sorted(t["tid_str"] for t in trades)
		assert res.passes == 2 and len(c.waits) == 2

	def test_windows_longer_than_a_day_are_split(self):
		trades = top_trades(2, "2024-06-18") + top_trades(1, "2024-06-20")
		trades[-1]["tid_str"] = "5000"
		with Simulator(top_trades=trades) as sim:
			c = self.client(sim)
			res = c.fetch_trades(
				datetime(2024, 6, 18, tzinfo=SHANGHAI), datetime(2024, 6, 21, tzinfo=SHANGHAI)
			)
		windows = [
			(q["start_modified"], q["end_modified"], q["page_no"])
			for q in sim.top_calls
			if q["method"] == "taobao.trades.sold.increment.get"
		]
		# three days, one window each, written in Shanghai time as TOP expects; no overlap, no gap
		assert windows == [
			("2024-06-18 00:00:00", "2024-06-19 00:00:00", "1"),
			("2024-06-19 00:00:00", "2024-06-20 00:00:00", "1"),
			("2024-06-20 00:00:00", "2024-06-21 00:00:00", "1"),
		]
		assert sorted(o.external_id for o in res.orders) == sorted(
			[trades[0]["tid_str"], trades[1]["tid_str"], "5000"]
		)

	def test_wrong_secret_is_final(self):
		with Simulator(top_trades=top_trades(1)) as sim:
			c = TopClient(
				sim.url + "/router/rest",
				sim.top_app_key,
				"nope",
				"sess",
				"tmall",
				retry=FAST,
				sleep=lambda s: None,
			)
			with pytest.raises(ChannelError) as e:
				c.fetch_trade("1")
		assert "Invalid signature" in str(e.value) and not e.value.retryable

	def test_stock_and_split_consignment_and_full_trade(self):
		trades = top_trades(1)
		with Simulator(top_trades=trades) as sim:
			c = self.client(sim)
			c.push_stock(
				[
					StockUpdate("TEA", 7, product_id="612345678901", variant_id="4567890123456"),
					StockUpdate("CUP", 0, product_id="612345678902"),
				]
			)
			c.send_logistics(Shipment(trades[0]["tid_str"], "SF1", "SF", line_ids=("3712345678901234569",)))
			assert c.fetch_trade(trades[0]["tid_str"])["tid_str"] == trades[0]["tid_str"]
		assert sim.top_quantity == {("612345678901", "4567890123456"): 7, ("612345678902", ""): 0}
		(cons,) = sim.top_consignments
		assert (
			cons["is_split"] == "1" and cons["sub_tid"] == "3712345678901234569" and cons["out_sid"] == "SF1"
		)


def test_retry_after_forms():
	assert retry_after_seconds("2.0") == 2.0  # Shopify's REST form
	assert retry_after_seconds("") is None and retry_after_seconds(None) is None
	assert retry_after_seconds("soon") is None and retry_after_seconds("nan") is None


@pytest.mark.parametrize(
	"now",
	[
		datetime(1999, 12, 31, 23, 57, 59, tzinfo=timezone.utc),
		# the same instant on a Shanghai clock: the wait must not depend on the zone
		datetime(2000, 1, 1, 7, 57, 59, tzinfo=timezone(timedelta(hours=8))),
	],
)
def test_retry_after_as_an_http_date_is_the_seconds_until_then(now):
	"""The two forms RFC 9110 §10.2.3 gives as examples: an HTTP-date and delay-seconds."""
	assert retry_after_seconds("Fri, 31 Dec 1999 23:59:59 GMT", now=now) == 120.0
	assert retry_after_seconds("120", now=now) == 120.0
	assert retry_after_seconds("Fri, 31 Dec 1999 23:56:59 GMT", now=now) == 0.0  # already past


def test_refused_connection_is_a_retryable_channel_error():
	s = requests.Session()
	from omni_channel.channels.base import HttpClient

	c = HttpClient("http://127.0.0.1:9", session=s, retry=FAST, sleep=lambda x: None)
	with pytest.raises(ChannelError) as e:
		c.request("POST", "x")
	assert e.value.retryable and len(c.waits) == FAST.max_attempts - 1
