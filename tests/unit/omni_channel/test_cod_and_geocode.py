"""Cash on delivery and the ship-to geocode reach the canonical order (the delivery side needs both)."""

import copy
import json
from pathlib import Path

import pytest

from omni_channel.channels import to_canonical

FIXTURES = Path(__file__).resolve().parents[3] / "apps" / "omni_channel" / "omni_channel" / "channels"


def fixture(platform: str, name: str) -> dict:
	return json.loads((FIXTURES / platform / "fixtures" / name).read_text())


def test_shopify_cod_gateway_marks_cash_on_delivery():
	data = fixture("shopify", "order_emoji_no_phone.json")
	assert to_canonical("shopify", data, "s").cash_on_delivery is False
	cod = copy.deepcopy(data)
	cod["payment_gateway_names"] = ["Cash on Delivery (COD)"]
	cod["gateway"] = "Cash on Delivery (COD)"
	assert to_canonical("shopify", cod, "s").cash_on_delivery is True


def test_shopify_geocode_is_kept_and_a_bad_one_dropped():
	data = fixture("shopify", "order_emoji_no_phone.json")
	data["shipping_address"]["latitude"] = 23.1322
	data["shipping_address"]["longitude"] = "113.3273"
	addr = to_canonical("shopify", data, "s").ship_to
	assert (addr.latitude, addr.longitude) == (23.1322, 113.3273)
	for lat in (91, "north", float("nan"), True, None):
		data["shipping_address"]["latitude"] = lat
		assert to_canonical("shopify", data, "s").ship_to.latitude is None


@pytest.mark.parametrize("method, cod", [("cod", True), ("stripe", False), (None, False), (["cod"], True)])
def test_woocommerce_cod_payment_method(method, cod):
	data = fixture("woocommerce", "order_processing_guest.json")
	data["payment_method"] = method
	assert to_canonical("woocommerce", data, "w").cash_on_delivery is cod


def test_taobao_cod_trade_type():
	data = fixture("taobao", "trade_partial_consigned.json")
	trade = data["trade_fullinfo_get_response"]["trade"]
	assert to_canonical("taobao", data, "t").cash_on_delivery is False
	trade["type"] = "cod"
	assert to_canonical("taobao", data, "t").cash_on_delivery is True
