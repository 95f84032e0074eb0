"""Shopify Admin REST client: orders with cursor paging, inventory levels, fulfillments."""

from __future__ import annotations

from datetime import datetime

from omni_channel.channels.base import ChannelError, HttpClient, Shipment, StockUpdate, SyncResult
from omni_channel.channels.shopify.mapper import to_canonical
from omni_channel.core.errors import ChannelInputError

API_VERSION = "2024-01"


class ShopifyClient(HttpClient):
	def __init__(self, shop_url: str, access_token: str, shop: str, api_version: str = API_VERSION, **kw):
		super().__init__(shop_url, **kw)
		self.shop = shop
		self.prefix = f"/admin/api/{api_version}"
		self.session.headers.update({"X-Shopify-Access-Token": access_token, "Accept": "application/json"})

	def order_pages(self, updated_at_min: datetime | None = None, limit: int = 250):
		"""Yield lists of raw orders, following `Link: <…>; rel="next"` cursors.

		With a `page_info` cursor Shopify accepts no other filter: the next URL is used as given.
		"""
		params = {"status": "any", "limit": min(250, limit), "order": "updated_at asc"}
		if updated_at_min:
			params["updated_at_min"] = updated_at_min.isoformat()
		url, p = f"{self.prefix}/orders.json", params
		while url:
			resp = self.request("GET", url, params=p)
			data = self.json(resp)
			orders = data.get("orders") if isinstance(data, dict) else None
			if not isinstance(orders, list):
				raise ChannelError("orders.json answered without an orders list", resp.status_code, resp.text)
			yield orders
			url, p = (resp.links.get("next") or {}).get("url"), None

	def fetch_orders(self, updated_at_min: datetime | None = None, limit: int = 250) -> SyncResult:
		res = SyncResult(passes=1)
		for page in self.order_pages(updated_at_min, limit):
			res.requests += 1
			for raw in page:
				res.raws.append(raw)
				try:
					res.orders.append(to_canonical(raw, self.shop))
				except ChannelInputError as e:
					res.failures.append((str(raw.get("id", "?")) if isinstance(raw, dict) else "?", e))
		return res

	def payout_with_transactions(self, payout_id: int | str, limit: int = 250) -> dict:
		"""A Shopify Payments payout and all its balance transactions, as
		`{"payout": {...}, "transactions": [...]}` (what `core.settlement_files.parse_shopify` reads).

		Transactions are paged like orders, by the `Link: <…>; rel="next"` cursor.
		"""
		resp = self.request("GET", f"{self.prefix}/shopify_payments/payouts/{int(payout_id)}.json")
		data = self.json(resp)
		payout = data.get("payout") if isinstance(data, dict) else None
		if not isinstance(payout, dict):
			raise ChannelError(f"payout {payout_id} answered without a payout", resp.status_code, resp.text)
		transactions: list = []
		url = f"{self.prefix}/shopify_payments/balance/transactions.json"
		p = {"payout_id": int(payout_id), "limit": min(250, limit)}
		while url:
			resp = self.request("GET", url, params=p)
			data = self.json(resp)
			page = data.get("transactions") if isinstance(data, dict) else None
			if not isinstance(page, list):
				raise ChannelError(
					"transactions.json answered without a transactions list", resp.status_code, resp.text
				)
			transactions += page
			url, p = (resp.links.get("next") or {}).get("url"), None
		return {"payout": payout, "transactions": transactions}

	def set_inventory(self, updates: list[StockUpdate]) -> int:
		"""POST inventory_levels/set.json per (location, inventory item); returns how many were set."""
		n = 0
		for u in updates:
			if not (u.location_id and u.product_id):
				raise ValueError(f"{u.sku}: Shopify needs the location id and the inventory item id")
			body = {
				"location_id": int(u.location_id),
				"inventory_item_id": int(u.product_id),
				"available": int(u.quantity),
			}
			self.request("POST", f"{self.prefix}/inventory_levels/set.json", json=body, idempotent=True)
			n += 1
		return n

	def fulfill(self, shipment: Shipment, notify_customer: bool = True) -> dict:
		"""Create a fulfillment with tracking for the open fulfillment orders of an order.

		`shipment.line_ids` limits it to those order line ids (a partial shipment).
		"""
		resp = self.request(
			"GET", f"{self.prefix}/orders/{shipment.external_order_id}/fulfillment_orders.json"
		)
		fos = self.json(resp).get("fulfillment_orders") or []
		groups = []
		for fo in fos:
			if fo.get("status") not in ("open", "in_progress"):
				continue
			items = [
				{"id": li["id"], "quantity": li["fulfillable_quantity"]}
				for li in fo.get("line_items", [])
				if li.get("fulfillable_quantity")
				and (not shipment.line_ids or str(li.get("line_item_id")) in shipment.line_ids)
			]
			if items:
				groups.append({"fulfillment_order_id": fo["id"], "fulfillment_order_line_items": items})
		if not groups:
			raise ChannelError(f"order {shipment.external_order_id} has nothing left to fulfil")
		body = {
			"fulfillment": {
				"line_items_by_fulfillment_order": groups,
				"tracking_info": {
					"number": shipment.tracking_number,
					"company": shipment.carrier,
					"url": shipment.tracking_url or None,
				},
				"notify_customer": notify_customer,
			}
		}
		resp = self.request("POST", f"{self.prefix}/fulfillments.json", json=body)
		return self.json(resp).get("fulfillment") or {}
