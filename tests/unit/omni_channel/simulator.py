"""A loopback platform simulator: Shopify, WooCommerce and TOP served from fixtures, in-process.

    with Simulator(shopify_orders=[…], woo_orders=[…], top_trades=[…]) as sim:
        client = ShopifyClient(sim.url, "tok", "shop1", sleep=fake_sleep)
        sim.fail_next(2, status=429, retry_after="1.0")      # misbehave on demand
        sim.move_after_page("woo", page=1, order_id=…)     # an order jumps from page 2 to page 1
        sim.slow(0.3, n=1)                                 # the next answer takes 0.3 s

It binds 127.0.0.1 on a port the OS picks, keeps what the clients pushed (stock, fulfillments,
notes, consignments) for assertions, and logs every request. `WebhookReceiver` is the other
direction: a loopback endpoint that hands each delivery's raw bytes and headers to a callback,
and `deliver` posts signed webhooks to it — repeated and shuffled when asked.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import requests

from omni_channel.channels.base import hmac_sha256_b64
from omni_channel.core.payload import SHANGHAI


@dataclass
class Fault:
	status: int = 429
	retry_after: str | None = None
	delay: float = 0.0
	path: str = ""  # only requests whose path contains this
	body: dict | None = None  # a 200 with this body (TOP error_response)


def reference_top_sign(params: dict, secret: str, method: str, body: bytes = b"") -> str:
	"""TOP's signature written out here, apart from the code under test (whose `top_sign` is never
	used by the simulator): names in byte order, each followed by its value, empty values and `sign`
	left out, the body appended; md5 wraps the text in the secret, hmac is HMAC-MD5 and
	hmac-sha256 HMAC-SHA256, both keyed with the secret; upper-case hex. Anchored to Taobao's own
	md5 example and to the RFC 2202 / RFC 4231 vectors in test_webhooks.py."""
	text = b""
	for name in sorted(params, key=lambda n: n.encode()):
		value = params[name]
		if name != "sign" and value is not None and str(value) != "":
			text += name.encode() + str(value).encode()
	text += body
	key = secret.encode()
	if method == "md5":
		return hashlib.md5(key + text + key).hexdigest().upper()
	algorithm = {"hmac": "md5", "hmac-sha256": "sha256"}[method]
	return hmac.digest(key, text, algorithm).hex().upper()


def _top_verify(params: dict, secret: str) -> bool:
	"""What the TOP gateway does with a request: sign it with the method the request names."""
	method = str(params.get("sign_method") or "md5").lower()
	if method not in ("md5", "hmac", "hmac-sha256") or not params.get("sign"):
		return False
	return hmac.compare_digest(reference_top_sign(params, secret, method), str(params["sign"]).upper())


class _Server(ThreadingHTTPServer):
	daemon_threads = True
	allow_reuse_address = True


class Simulator:
	def __init__(
		self,
		shopify_orders=(),
		woo_orders=(),
		top_trades=(),
		shopify_token="shpat_test",
		woo_key="ck_test",
		woo_secret="cs_test",
		top_app_key="12345678",
		top_secret="top-secret",
	):
		self.shopify_orders = [copy.deepcopy(o) for o in shopify_orders]
		self.woo_orders = [copy.deepcopy(o) for o in woo_orders]
		self.top_trades = [copy.deepcopy(t) for t in top_trades]
		self.shopify_token, self.woo_key, self.woo_secret = shopify_token, woo_key, woo_secret
		self.top_app_key, self.top_secret = top_app_key, top_secret
		self.faults: list[Fault] = []
		self.moves: list[tuple[str, int, str]] = []  # (platform, after page, order id)
		self.log: list[tuple[str, str, dict]] = []
		self.top_calls: list[dict] = []  # TOP's parameters travel in the POST body, not the query
		self.inventory: dict[tuple[int, int], int] = {}
		self.fulfillments: list[dict] = []
		self.woo_stock: dict[int, int] = {}
		self.woo_notes: list[tuple[str, dict]] = []
		self.woo_status: dict[str, str] = {}
		self.top_quantity: dict[tuple[str, str], int] = {}
		self.top_consignments: list[dict] = []
		self.lock = threading.Lock()
		self._server: _Server | None = None

	# ---- misbehaviour ---------------------------------------------------------------------------

	def fail_next(
		self, n: int = 1, status: int = 429, retry_after: str | None = None, path: str = ""
	) -> None:
		with self.lock:
			self.faults += [Fault(status, retry_after, 0.0, path) for _ in range(n)]

	def slow(self, seconds: float, n: int = 1, path: str = "") -> None:
		with self.lock:
			self.faults += [Fault(200, None, seconds, path) for _ in range(n)]

	def top_error(
		self,
		n: int = 1,
		code: int = 7,
		msg: str = "App Call Limited",
		sub_code: str = "accesscontrol.limited-by-app-access-count",
	) -> None:
		body = {"error_response": {"code": code, "msg": msg, "sub_code": sub_code, "request_id": "sim"}}
		with self.lock:
			self.faults += [Fault(200, None, 0.0, "/router/rest", body) for _ in range(n)]

	def move_after_page(self, platform: str, page: int, order_id: str) -> None:
		"""Once `page` has been served, move the order to the head of the listing (it was updated)."""
		self.moves.append((platform, page, str(order_id)))

	# ---- lifecycle ------------------------------------------------------------------------------

	def __enter__(self):
		self.start()
		return self

	def __exit__(self, *exc):
		self.stop()

	def start(self) -> None:
		sim = self

		class Handler(BaseHTTPRequestHandler):
			def log_message(self, *a):
				pass

			def do_GET(self):
				sim._handle(self, "GET")

			def do_POST(self):
				sim._handle(self, "POST")

			def do_PUT(self):
				sim._handle(self, "PUT")

		self._server = _Server(("127.0.0.1", 0), Handler)
		threading.Thread(target=self._server.serve_forever, daemon=True).start()

	def stop(self) -> None:
		if self._server:
			self._server.shutdown()
			self._server.server_close()
			self._server = None

	@property
	def url(self) -> str:
		host, port = self._server.server_address[:2]
		return f"http://{host}:{port}"

	# ---- dispatch -------------------------------------------------------------------------------

	def _take_fault(self, path: str) -> Fault | None:
		with self.lock:
			for i, f in enumerate(self.faults):
				if f.path in path:
					return self.faults.pop(i)
		return None

	def _handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
		parts = urlsplit(h.path)
		query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
		length = int(h.headers.get("Content-Length") or 0)
		raw = h.rfile.read(length) if length else b""
		with self.lock:
			self.log.append((method, parts.path, query))
		fault = self._take_fault(parts.path)
		if fault:
			if fault.delay:
				time.sleep(fault.delay)
			if fault.body is not None:
				return self._send(h, 200, fault.body)
			if fault.status != 200:
				headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
				return self._send(h, fault.status, {"errors": "simulated failure"}, headers)
		try:
			if parts.path.startswith("/admin/api/"):
				return self._shopify(h, method, parts.path, query, raw)
			if parts.path.startswith("/wp-json/wc/v3/"):
				return self._woo(h, method, parts.path[len("/wp-json/wc/v3/") :], query, raw)
			if parts.path == "/router/rest":
				return self._top(h, raw)
		except Exception as e:  # a simulator bug shows as a 500 with the reason
			return self._send(h, 500, {"errors": f"simulator: {type(e).__name__}: {e}"})
		return self._send(h, 404, {"errors": "Not Found"})

	def _send(self, h, status: int, body, headers: dict | None = None) -> None:
		data = json.dumps(body, ensure_ascii=False).encode()
		h.send_response(status)
		h.send_header("Content-Type", "application/json; charset=utf-8")
		h.send_header("Content-Length", str(len(data)))
		for k, v in (headers or {}).items():
			h.send_header(k, v)
		h.end_headers()
		h.wfile.write(data)

	def _apply_moves(self, platform: str, page: int, rows: list, id_key: str) -> None:
		for m in list(self.moves):
			if m[0] == platform and m[1] == page:
				self.moves.remove(m)
				idx = next(i for i, r in enumerate(rows) if str(r.get(id_key)) == m[2])
				rows.insert(0, rows.pop(idx))

	# ---- Shopify --------------------------------------------------------------------------------

	def _shopify(self, h, method, path, query, raw):
		if h.headers.get("X-Shopify-Access-Token") != self.shopify_token:
			return self._send(
				h,
				401,
				{"errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"},
			)
		prefix, _, rest = path.partition("/admin/api/")[2].partition("/")
		if rest == "orders.json" and method == "GET":
			limit = min(250, int(query.get("limit", 50)))
			if "page_info" in query:
				extra = set(query) - {"page_info", "limit", "fields"}
				if extra:
					return self._send(
						h, 400, {"errors": {"page_info": [f"cannot be passed with {sorted(extra)}"]}}
					)
				start = json.loads(base64.urlsafe_b64decode(query["page_info"]))["offset"]
			else:
				start = 0
			rows = sorted(self.shopify_orders, key=lambda o: (o.get("updated_at", ""), o.get("id", 0)))
			page = rows[start : start + limit]
			headers = {}
			if start + limit < len(rows):
				cursor = base64.urlsafe_b64encode(json.dumps({"offset": start + limit}).encode()).decode()
				nxt = f"{self.url}{path}?{urlencode({'limit': limit, 'page_info': cursor})}"
				headers["Link"] = f'<{nxt}>; rel="next"'
			return self._send(h, 200, {"orders": page}, headers)
		if rest == "inventory_levels/set.json" and method == "POST":
			b = json.loads(raw)
			with self.lock:
				self.inventory[(b["location_id"], b["inventory_item_id"])] = b["available"]
			return self._send(h, 200, {"inventory_level": {**b, "updated_at": datetime.now().isoformat()}})
		if rest.startswith("orders/") and rest.endswith("/fulfillment_orders.json"):
			oid = rest.split("/")[1]
			order = next((o for o in self.shopify_orders if str(o["id"]) == oid), None)
			if order is None:
				return self._send(h, 404, {"errors": "Not Found"})
			done = {}
			for f in self.fulfillments + order.get("fulfillments", []):
				if f.get("status", "success") == "success" and str(f.get("order_id")) == oid:
					for li in f["line_items"]:
						done[li["id"]] = done.get(li["id"], 0) + li["quantity"]
			items = [
				{
					"id": li["id"] + 1,
					"line_item_id": li["id"],
					"quantity": li["quantity"],
					"fulfillable_quantity": li["quantity"] - done.get(li["id"], 0),
				}
				for li in order["line_items"]
			]
			status = "open" if any(i["fulfillable_quantity"] for i in items) else "closed"
			return self._send(
				h,
				200,
				{
					"fulfillment_orders": [
						{"id": int(oid) * 10, "order_id": int(oid), "status": status, "line_items": items}
					]
				},
			)
		if rest == "fulfillments.json" and method == "POST":
			b = json.loads(raw)["fulfillment"]
			group = b["line_items_by_fulfillment_order"][0]
			oid = group["fulfillment_order_id"] // 10
			f = {
				"id": 4200000000 + len(self.fulfillments),
				"order_id": oid,
				"status": "success",
				"tracking_number": b["tracking_info"]["number"],
				"tracking_company": b["tracking_info"]["company"],
				"line_items": [
					{"id": li["id"] - 1, "quantity": li["quantity"]}
					for g in b["line_items_by_fulfillment_order"]
					for li in g["fulfillment_order_line_items"]
				],
			}
			with self.lock:
				self.fulfillments.append(f)
			return self._send(h, 201, {"fulfillment": f})
		return self._send(h, 404, {"errors": "Not Found"})

	# ---- WooCommerce ----------------------------------------------------------------------------

	def _woo_authorised(self, h, query) -> bool:
		auth = h.headers.get("Authorization", "")
		if auth.startswith("Basic "):
			return base64.b64decode(auth[6:]).decode() == f"{self.woo_key}:{self.woo_secret}"
		return query.get("consumer_key") == self.woo_key and query.get("consumer_secret") == self.woo_secret

	def _woo(self, h, method, path, query, raw):
		if not self._woo_authorised(h, query):
			return self._send(
				h,
				401,
				{
					"code": "woocommerce_rest_cannot_view",
					"message": "Sorry, you cannot list resources.",
					"data": {"status": 401},
				},
			)
		if path == "orders" and method == "GET":
			page, per_page = int(query.get("page", 1)), int(query.get("per_page", 10))
			if per_page > 100:
				return self._send(
					h, 400, {"code": "rest_invalid_param", "message": "Invalid parameter(s): per_page"}
				)
			rows = self.woo_orders
			if "modified_after" in query:
				rows = [o for o in rows if o.get("date_modified_gmt", "") > query["modified_after"]]
			total = len(rows)
			pages = max(1, -(-total // per_page))
			body = rows[(page - 1) * per_page : page * per_page]
			with self.lock:
				self._apply_moves("woo", page, self.woo_orders, "id")
			return self._send(h, 200, body, {"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)})
		if path == "products/batch" or (path.startswith("products/") and path.endswith("/variations/batch")):
			b = json.loads(raw)
			with self.lock:
				for u in b.get("update", []):
					self.woo_stock[u["id"]] = u["stock_quantity"]
			return self._send(h, 200, {"update": b.get("update", [])})
		if path.startswith("orders/") and path.endswith("/notes") and method == "POST":
			oid = path.split("/")[1]
			with self.lock:
				self.woo_notes.append((oid, json.loads(raw)))
			return self._send(h, 201, {"id": len(self.woo_notes), **json.loads(raw)})
		if path.startswith("orders/") and method == "PUT":
			oid = path.split("/")[1]
			with self.lock:
				self.woo_status[oid] = json.loads(raw)["status"]
			return self._send(h, 200, {"id": int(oid), "status": self.woo_status[oid]})
		return self._send(
			h,
			404,
			{"code": "rest_no_route", "message": "No route was found matching the URL and request method."},
		)

	# ---- TOP ------------------------------------------------------------------------------------

	def _top(self, h, raw):
		params = {k: v[-1] for k, v in parse_qs(raw.decode()).items()}
		with self.lock:
			self.top_calls.append(params)
		if params.get("app_key") != self.top_app_key or not _top_verify(params, self.top_secret):
			return self._send(
				h, 200, {"error_response": {"code": 25, "msg": "Invalid signature", "request_id": "sim"}}
			)
		m = params.get("method")
		if m == "taobao.trades.sold.increment.get":
			lo, hi = params["start_modified"], params["end_modified"]
			rows = [t for t in self.top_trades if lo <= t["modified"] <= hi]
			page, size = int(params.get("page_no", 1)), int(params.get("page_size", 40))
			body = rows[(page - 1) * size : page * size]
			with self.lock:
				self._apply_moves("top", page, self.top_trades, "tid_str")
			return self._send(
				h,
				200,
				{
					"trades_sold_increment_get_response": {
						"total_results": len(rows),
						"has_next": page * size < len(rows),
						"trades": {"trade": body},
					}
				},
			)
		if m == "taobao.trade.fullinfo.get":
			t = next(
				(t for t in self.top_trades if str(t.get("tid_str", t.get("tid"))) == params["tid"]), None
			)
			if t is None:
				return self._send(
					h,
					200,
					{
						"error_response": {
							"code": 15,
							"msg": "Remote service error",
							"sub_code": "isv.trade-not-exist",
						}
					},
				)
			return self._send(h, 200, {"trade_fullinfo_get_response": {"trade": t}})
		if m == "taobao.item.quantity.update":
			with self.lock:
				self.top_quantity[(params["num_iid"], params.get("sku_id", ""))] = int(params["quantity"])
			return self._send(
				h,
				200,
				{
					"item_quantity_update_response": {
						"item": {"num_iid": params["num_iid"], "num": int(params["quantity"])}
					}
				},
			)
		if m == "taobao.logistics.offline.send":
			with self.lock:
				self.top_consignments.append(params)
			return self._send(h, 200, {"logistics_offline_send_response": {"shipping": {"is_success": True}}})
		return self._send(h, 200, {"error_response": {"code": 22, "msg": "Invalid method"}})


def now_shanghai() -> str:
	return datetime.now(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")


# ---- webhooks: the platform's side of a delivery ------------------------------------------------


class WebhookReceiver:
	"""A loopback endpoint: every POST's raw body and headers go to `handler`, which returns a status."""

	def __init__(self, handler):
		self.handler = handler
		recv = self

		class Handler(BaseHTTPRequestHandler):
			def log_message(self, *a):
				pass

			def do_POST(self):
				raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
				status = recv.handler(raw, dict(self.headers.items()))
				self.send_response(status)
				self.send_header("Content-Length", "0")
				self.end_headers()

		self._server = _Server(("127.0.0.1", 0), Handler)

	def __enter__(self):
		threading.Thread(target=self._server.serve_forever, daemon=True).start()
		host, port = self._server.server_address[:2]
		self.url = f"http://{host}:{port}/webhook"
		return self

	def __exit__(self, *exc):
		self._server.shutdown()
		self._server.server_close()


def shopify_delivery(
	secret: str, payload: dict, topic: str, webhook_id: str, shop_domain: str = "acme.myshopify.com"
):
	body = json.dumps(payload, ensure_ascii=False).encode()
	return body, {
		"Content-Type": "application/json",
		"X-Shopify-Topic": topic,
		"X-Shopify-Hmac-Sha256": hmac_sha256_b64(secret, body),
		"X-Shopify-Shop-Domain": shop_domain,
		"X-Shopify-Webhook-Id": webhook_id,
		"X-Shopify-API-Version": "2024-01",
	}


def woo_delivery(secret: str, payload: dict, topic: str, delivery_id: str):
	body = json.dumps(payload, ensure_ascii=False).encode()
	return body, {
		"Content-Type": "application/json",
		"X-WC-Webhook-Topic": topic,
		"X-WC-Webhook-Signature": hmac_sha256_b64(secret, body),
		"X-WC-Webhook-Delivery-ID": delivery_id,
		"X-WC-Webhook-Source": "https://shop.example.com/",
	}


def deliver(
	url: str, deliveries: list[tuple[bytes, dict]], repeat: int = 1, order: list[int] | None = None
) -> list[int]:
	"""POST each delivery `repeat` times, in `order` (indexes into the repeated list) if given."""
	sends = [d for d in deliveries for _ in range(repeat)]
	if order is not None:
		sends = [sends[i] for i in order]
	return [requests.post(url, data=body, headers=headers, timeout=5).status_code for body, headers in sends]
