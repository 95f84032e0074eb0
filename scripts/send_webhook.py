"""Send a signed Shopify-style order webhook to the demo shop, as the marketplace would.

    python3 scripts/send_webhook.py [--url http://trade.localhost:8000] [--sku TEA-001] [--qty 3] [--id 1001]

Signs the body with the demo shop's webhook secret (fixtures/demo/demo.json). Send the same
--id twice to see the replay answered "duplicate"; --cod marks it cash on delivery.
Standard library only, so it runs anywhere.
"""

import argparse
import base64
import hashlib
import hmac
import json
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

DEMO = json.loads((Path(__file__).resolve().parents[1] / "fixtures" / "demo" / "demo.json").read_text())


def order(order_id: int, sku: str, qty: int, price: str, cod: bool, updated_at: str) -> dict:
	now = updated_at
	gateway = "Cash on Delivery (COD)" if cod else "shopify_payments"
	return {
		"id": order_id,
		"name": f"#{order_id}",
		"email": "buyer@example.com",
		"currency": "CNY",
		"created_at": now,
		"updated_at": now,
		"financial_status": "pending" if cod else "paid",
		"gateway": gateway,
		"payment_gateway_names": [gateway],
		"total_price": f"{float(price) * qty:.2f}",
		"customer": {"id": 9001, "first_name": "美", "last_name": "王", "email": "buyer@example.com"},
		"shipping_address": {
			"name": "王美",
			"address1": "天河路 385 号",
			"city": "Guangzhou",
			"province": "Guangdong",
			"country_code": "CN",
			"zip": "510620",
			"phone": "13912345678",
			"latitude": 23.1322,
			"longitude": 113.3273,
		},
		"line_items": [{"id": order_id * 10 + 1, "sku": sku, "title": sku, "quantity": qty, "price": price}],
	}


def main() -> None:
	ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	ap.add_argument("--url", default="http://trade.localhost:8000")
	ap.add_argument("--sku", default="TEA-001")
	ap.add_argument("--qty", type=int, default=3)
	ap.add_argument("--price", default="69.00")
	ap.add_argument("--id", type=int, default=1001)
	ap.add_argument("--cod", action="store_true")
	ap.add_argument("--secret", default=DEMO["channel_shop"]["webhook_secret"])
	# the same order sent twice carries the same version (a platform's retry): answered `duplicate`;
	# a later --updated-at is a newer version of the order
	today = datetime.now(timezone(timedelta(hours=8))).replace(hour=9, minute=0, second=0, microsecond=0)
	ap.add_argument("--updated-at", default=today.isoformat(), help="the order's version (ISO time)")
	args = ap.parse_args()
	shop = DEMO["channel_shop"]["shop_name"]
	body = json.dumps(
		order(args.id, args.sku, args.qty, args.price, args.cod, args.updated_at), ensure_ascii=False
	).encode()
	signature = base64.b64encode(hmac.new(args.secret.encode(), body, hashlib.sha256).digest()).decode()
	request = urllib.request.Request(
		f"{args.url}/api/method/omni_channel.api.webhooks.receive?shop={shop}",
		data=body,
		method="POST",
		headers={
			"Content-Type": "application/json",
			"X-Shopify-Hmac-Sha256": signature,
			"X-Shopify-Topic": "orders/create",
			"X-Shopify-Webhook-Id": f"manual-{args.id}",
		},
	)
	try:
		with urllib.request.urlopen(request) as response:
			print(response.status, response.read().decode())
	except urllib.error.HTTPError as e:
		print(e.code, e.read().decode())


if __name__ == "__main__":
	main()
