"""factory-boy factories for the canonical order, and fixture loaders."""

import copy
import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import factory

from omni_channel.core.order import Address, Buyer, CanonicalOrder, OrderLine

CHANNELS = Path(__file__).resolve().parents[3] / "apps" / "omni_channel" / "omni_channel" / "channels"
T0 = datetime(2024, 6, 1, 12, 0, tzinfo=timezone.utc)


def fixture(platform: str, name: str) -> dict:
	return json.loads((CHANNELS / platform / "fixtures" / f"{name}.json").read_text(encoding="utf-8"))


def all_fixtures():
	for platform in ("shopify", "taobao", "woocommerce"):
		for p in sorted((CHANNELS / platform / "fixtures").glob("*.json")):
			yield platform, p.stem, json.loads(p.read_text(encoding="utf-8"))


def copy_of(d):
	return copy.deepcopy(d)


class AddressFactory(factory.Factory):
	class Meta:
		model = Address

	name = "张伟"
	phone = "13812345678"
	country_code = "CN"
	province = "浙江省"
	city = "杭州市"
	district = "西湖区"
	line1 = factory.Sequence(lambda n: f"文一西路{n}号")
	postcode = "310012"


class BuyerFactory(factory.Factory):
	class Meta:
		model = Buyer

	external_id = factory.Sequence(lambda n: f"buyer-{n}")
	name = "Zhang Wei"
	email = factory.LazyAttribute(lambda o: f"{o.external_id}@example.com")


class OrderLineFactory(factory.Factory):
	class Meta:
		model = OrderLine

	external_line_id = factory.Sequence(lambda n: f"L{n}")
	sku = factory.Sequence(lambda n: f"SKU-{n:04d}")
	title = "Teapot"
	quantity = 1
	unit_price = Decimal("10.00")
	weight_grams = 500


class CanonicalOrderFactory(factory.Factory):
	class Meta:
		model = CanonicalOrder

	platform = "shopify"
	shop = "acme"
	external_id = factory.Sequence(lambda n: str(1000 + n))
	name = factory.LazyAttribute(lambda o: f"#{o.external_id}")
	status = "paid"
	currency = "CNY"
	buyer = factory.SubFactory(BuyerFactory)
	ship_to = factory.SubFactory(AddressFactory)
	lines = factory.LazyFunction(lambda: (OrderLineFactory(),))
	created_at = T0
	updated_at = factory.LazyAttribute(lambda o: o.created_at + timedelta(minutes=1))
	grand_total = factory.LazyAttribute(lambda o: sum((ln.amount for ln in o.lines), Decimal(0)))
