"""Taobao/Tmall TOP client: signed calls, trades by modified time with page numbers,
stock by SKU, logistics send-back.

TOP answers HTTP 200 even when it refuses: the body then holds `error_response`. Code 7
(App Call Limited) and the `isp.*` / code 15 remote errors are temporary and backed off;
others are final. `trades.sold.increment.get` accepts windows of at most one day.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from omni_channel.channels.base import ChannelError, HttpClient, Shipment, StockUpdate, SyncResult, sweep
from omni_channel.channels.taobao.mapper import to_canonical
from omni_channel.channels.taobao.signing import top_sign
from omni_channel.core.errors import ChannelInputError
from omni_channel.core.payload import SHANGHAI

TRADE_FIELDS = (
	"tid,tid_str,type,status,step_trade_status,buyer_nick,buyer_open_uid,buyer_message,seller_memo,created,modified,"
	"pay_time,consign_time,payment,post_fee,discount_fee,receiver_name,receiver_state,receiver_city,receiver_district,"
	"receiver_town,receiver_address,receiver_zip,receiver_mobile,receiver_phone,receiver_country,orders"
)
TEMPORARY_CODES = {"7", "15", "520"}
MAX_WINDOW = timedelta(days=1)


def _fmt(t: datetime) -> str:
	return t.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")


class TopClient(HttpClient):
	def __init__(
		self,
		gateway_url: str,
		app_key: str,
		app_secret: str,
		session_key: str,
		shop: str,
		sign_method: str = "md5",
		clock=None,
		**kw,
	):
		super().__init__(gateway_url, **kw)
		self.app_key, self.app_secret, self.session_key = app_key, app_secret, session_key
		self.shop = shop
		self.sign_method = sign_method
		self.clock = clock or (lambda: datetime.now(SHANGHAI))
		self.calls = 0

	def call(self, method: str, **params) -> dict:
		"""One signed TOP call; returns the `<method>_response` object."""
		for attempt in range(1, self.retry.max_attempts + 1):
			p = {
				"method": method,
				"app_key": self.app_key,
				"session": self.session_key,
				"timestamp": _fmt(self.clock()),
				"format": "json",
				"v": "2.0",
				"sign_method": self.sign_method,
				**{k: v for k, v in params.items() if v is not None},
			}
			p["sign"] = top_sign(p, self.app_secret, self.sign_method)
			self.calls += 1
			resp = self.request(
				"POST", "", data=p, idempotent=method.endswith(".get") or "quantity.update" in method
			)
			body = self.json(resp)
			if not isinstance(body, dict):
				raise ChannelError(
					"TOP answered with something that is not an object", resp.status_code, resp.text
				)
			err = body.get("error_response")
			if err:
				code = str(err.get("code", ""))
				sub = str(err.get("sub_code", ""))
				msg = f"TOP {method}: {code} {err.get('msg', '')} {sub} {err.get('sub_msg', '')}".strip()
				temporary = code in TEMPORARY_CODES or sub.startswith("isp.")
				if temporary and attempt < self.retry.max_attempts:
					self._wait(self.backoff(attempt))
					continue
				raise ChannelError(msg, resp.status_code, resp.text, retryable=temporary)
			key = method.removeprefix("taobao.").replace(".", "_") + "_response"
			out = body.get(key)
			if not isinstance(out, dict):
				raise ChannelError(f"TOP {method}: no {key} in the answer", resp.status_code, resp.text)
			return out
		raise ChannelError(
			f"TOP {method}: still limited after {self.retry.max_attempts} attempts", retryable=True
		)  # pragma: no cover

	def _read_window(self, start: datetime, end: datetime, page_size: int):
		rows, page, total = [], 1, 0
		while True:
			out = self.call(
				"taobao.trades.sold.increment.get",
				start_modified=_fmt(start),
				end_modified=_fmt(end),
				page_no=page,
				page_size=page_size,
				use_has_next="true",
				fields=TRADE_FIELDS,
			)
			trades = (out.get("trades") or {}).get("trade") or []
			rows += trades
			total = int(out.get("total_results") or len(rows))
			if not out.get("has_next") or not trades:
				return rows, total
			page += 1

	def fetch_trades(self, start: datetime, end: datetime, page_size: int = 100) -> SyncResult:
		"""Every trade modified in [start, end], one-day windows, re-swept when the listing moved."""
		res = SyncResult()
		before = self.calls
		t = start
		while t < end:
			w_end = min(end, t + MAX_WINDOW)
			raws, passes = sweep(
				lambda a=t, b=w_end: self._read_window(a, b, page_size),
				lambda r: str(r.get("tid_str") or r.get("tid")),
			)
			res.passes += passes
			for raw in raws:
				res.raws.append(raw)
				try:
					res.orders.append(to_canonical(raw, self.shop))
				except ChannelInputError as e:
					res.failures.append((str(raw.get("tid", "?")), e))
			t = w_end
		res.requests = self.calls - before
		return res

	def fetch_trade(self, tid: str) -> dict:
		"""The full trade for a TMC notice (which carries only the tid)."""
		return self.call("taobao.trade.fullinfo.get", tid=tid, fields=TRADE_FIELDS).get("trade") or {}

	def push_stock(self, updates: list[StockUpdate]) -> int:
		"""Full-quantity update per SKU (`type=1`), item-level when the item has no SKUs."""
		for u in updates:
			self.call(
				"taobao.item.quantity.update",
				num_iid=u.product_id,
				sku_id=u.variant_id or None,
				quantity=u.quantity,
				type=1,
			)
		return len(updates)

	def send_logistics(self, shipment: Shipment) -> dict:
		"""Offline consignment with a tracking number; a subset of lines is a split shipment."""
		params = {
			"tid": shipment.external_order_id,
			"out_sid": shipment.tracking_number,
			"company_code": shipment.carrier,
		}
		if shipment.line_ids:
			params.update(is_split=1, sub_tid=",".join(shipment.line_ids))
		return self.call("taobao.logistics.offline.send", **params)
