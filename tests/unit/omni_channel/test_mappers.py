"""Each platform's real payload shape becomes the right canonical order; bad input gets a reason."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest

from omni_channel.channels import to_canonical
from omni_channel.core.errors import ChannelInputError
from omni_channel.core.payload import loads
from tests.unit.omni_channel.factories import all_fixtures, copy_of, fixture


@pytest.mark.parametrize(
	"platform,name,payload", list(all_fixtures()), ids=lambda x: x if isinstance(x, str) else ""
)
def test_every_order_fixture_maps_with_aware_times_and_consistent_quantities(platform, name, payload):
	if name.startswith("webhook_"):
		pytest.skip("not an order")
	o = to_canonical(platform, payload, "shop1")
	assert o.created_at.tzinfo is not None and o.updated_at.tzinfo is not None
	assert o.updated_at >= o.created_at
	for ln in o.lines:
		assert 0 <= ln.shipped_qty <= ln.quantity and 0 <= ln.refunded_qty <= ln.quantity
	assert o.key.startswith("shop1:")


class TestShopify:
	def test_emoji_names_survive_and_missing_phone_stays_empty(self):
		o = to_canonical("shopify", fixture("shopify", "order_emoji_no_phone"), "eu")
		assert o.buyer.name == "Zoë 🌸 Müller" and o.ship_to.name == "Zoë 🌸 Müller"
		assert o.ship_to.phone == "" and o.buyer.phone == ""
		assert "🔔" in o.buyer_note
		assert o.lines[0].title.startswith("Teekanne 🍵")

	def test_discount_allocations_reduce_the_line_even_when_total_discount_is_zero(self):
		o = to_canonical("shopify", fixture("shopify", "order_emoji_no_phone"), "eu")
		pot = o.lines[0]
		assert pot.discount == Decimal("5.00") and pot.amount == Decimal("34.90")

	def test_phone_falls_back_to_billing_when_shipping_phone_is_blank(self):
		o = to_canonical("shopify", fixture("shopify", "order_refund_inside"), "us")
		assert o.ship_to.phone == "+1 217 555 0100"

	def test_partial_fulfillment_counts_only_successful_fulfillments_per_line(self):
		o = to_canonical("shopify", fixture("shopify", "order_partially_fulfilled"), "cn")
		assert o.status == "partially_shipped"
		by_sku = {ln.sku: ln for ln in o.lines}
		assert by_sku["RV-R7"].shipped_qty == 1 and by_sku["RV-R7"].open_qty == 0
		assert (
			by_sku["RV-FILTER-3"].shipped_qty == 1 and by_sku["RV-FILTER-3"].open_qty == 2
		)  # the cancelled one does not count

	def test_refund_inside_the_order_reduces_open_quantity_and_carries_shipping_refund(self):
		o = to_canonical("shopify", fixture("shopify", "order_refund_inside"), "us")
		(r,) = o.refunds
		assert (
			r.amount == Decimal("15.00")
			and r.shipping_amount == Decimal("5.00")
			and r.reason == "Arrived chipped"
		)
		mug = next(ln for ln in o.lines if ln.sku == "MUG-BLU")
		assert mug.refunded_qty == 1 and mug.open_qty == 3
		assert o.status == "paid"

	def test_line_without_sku_is_kept(self):
		o = to_canonical("shopify", fixture("shopify", "order_refund_inside"), "us")
		assert [ln.sku for ln in o.lines] == ["MUG-BLU", ""]

	def test_guest_pos_order_without_customer_or_address_and_authorized_is_not_paid(self):
		o = to_canonical("shopify", fixture("shopify", "order_guest_digital"), "jp")
		assert o.buyer.external_id == "" and o.ship_to.line1 == ""
		assert o.status == "pending" and o.currency == "JPY" and o.grand_total == Decimal(3000)
		assert o.created_at.utcoffset() == timedelta(hours=9)

	def test_cancelled_at_makes_it_cancelled(self):
		p = copy_of(fixture("shopify", "order_emoji_no_phone"))
		p["cancelled_at"] = "2024-03-14T10:00:00-04:00"
		assert to_canonical("shopify", p, "eu").status == "cancelled"

	def test_wrapped_single_order_response_is_accepted(self):
		p = {"order": fixture("shopify", "order_emoji_no_phone")}
		assert to_canonical("shopify", p, "eu").external_id == "5551234567890"


class TestWooCommerce:
	def test_gmt_dates_without_offset_are_utc_and_price_may_be_a_number(self):
		o = to_canonical("woocommerce", fixture("woocommerce", "order_processing_guest"), "uk")
		assert o.updated_at.isoformat() == "2024-03-22T15:34:12+00:00"
		hoodie = o.lines[0]
		assert (
			hoodie.unit_price == Decimal(16)
			and hoodie.discount == Decimal(4)
			and hoodie.amount == Decimal(28)
		)

	def test_guest_customer_id_zero_is_no_customer_and_emoji_kept(self):
		o = to_canonical("woocommerce", fixture("woocommerce", "order_processing_guest"), "uk")
		assert o.buyer.external_id == "" and o.buyer.email == "sian@example.co.uk"
		assert o.buyer.name == "Siân Ó Briain 🐉" and o.status == "paid" and o.ship_to.phone == ""

	def test_negative_refund_totals_become_positive_refunds(self):
		o = to_canonical("woocommerce", fixture("woocommerce", "order_refunded_partly"), "nl")
		assert o.refunded_total == Decimal("13.33") and o.status == "completed"

	def test_shipping_phone_missing_falls_back_to_billing_phone(self):
		o = to_canonical("woocommerce", fixture("woocommerce", "order_refunded_partly"), "nl")
		assert o.ship_to.phone == "+31 20 123 4567"

	def test_plugin_partial_shipped_status(self):
		o = to_canonical("woocommerce", fixture("woocommerce", "order_partial_shipped_plugin"), "us")
		assert o.status == "partially_shipped" and o.name == "WC-740"


class TestTaobao:
	def test_big_tid_keeps_every_digit_and_times_are_shanghai(self):
		o = to_canonical("taobao", fixture("taobao", "trade_partial_consigned"), "tmall")
		assert o.external_id == "3712345678901234567"
		assert o.updated_at.utcoffset() == timedelta(hours=8) and o.updated_at.hour == 10
		assert o.currency == "CNY" and o.grand_total == Decimal("327.00")

	def test_partially_consigned_trade_ships_only_consigned_lines(self):
		o = to_canonical("taobao", fixture("taobao", "trade_partial_consigned"), "tmall")
		assert o.status == "partially_shipped"
		tea, cups = o.lines
		assert (tea.sku, tea.shipped_qty, tea.discount) == ("TEA-LONGJING-250G", 1, Decimal("30.00"))
		assert (cups.sku, cups.shipped_qty) == ("CUP-GLASS", 0)  # outer_iid when there is no outer_sku_id

	def test_masked_nick_open_uid_identity_and_buyer_message(self):
		o = to_canonical("taobao", fixture("taobao", "trade_partial_consigned"), "tmall")
		assert o.buyer.nick == "t**1" and o.buyer.identity == "AAHm5d-EAAeGwJedwSHpg8bT"
		assert "😊" in o.buyer_note and o.ship_to.province == "浙江省" and o.ship_to.country_code == "CN"

	def test_line_refund_landline_and_presale(self):
		o = to_canonical("taobao", fixture("taobao", "trade_refund_landline_presale"), "tmall")
		assert o.ship_to.phone == "0755-8888****"
		coat, scarf = o.lines
		assert coat.presale and scarf.refunded_qty == 1 and scarf.open_qty == 0
		assert o.refunded_total == Decimal("39.00") and o.refunds[0].external_id == "150000000000001"


def mutate(platform, name, **changes):
	p = copy_of(fixture(platform, name))
	t = p.get("trade_fullinfo_get_response", {}).get("trade", p)
	for k, v in changes.items():
		if v is ...:
			t.pop(k, None)
		else:
			t[k] = v
	return p


@pytest.mark.parametrize(
	"platform,name,changes,code",
	[
		("shopify", "order_emoji_no_phone", {"id": ...}, "missing_field"),
		("shopify", "order_emoji_no_phone", {"currency": "XXY"}, "unknown_currency"),
		("shopify", "order_emoji_no_phone", {"line_items": "nope"}, "wrong_type"),
		("shopify", "order_emoji_no_phone", {"created_at": "yesterday-ish"}, "bad_value"),
		("shopify", "order_emoji_no_phone", {"total_price": True}, "wrong_type"),
		("shopify", "order_emoji_no_phone", {"line_items": []}, "missing_field"),
		("woocommerce", "order_processing_guest", {"status": "teleported"}, "bad_value"),
		("woocommerce", "order_processing_guest", {"total": "NaN"}, "bad_value"),
		("woocommerce", "order_processing_guest", {"currency": None}, "missing_field"),
		(
			"taobao",
			"trade_partial_consigned",
			{"orders": {"order": [{"oid": 1, "num": -2, "price": "1.00"}]}},
			"negative_quantity",
		),
		("taobao", "trade_partial_consigned", {"payment": ["1"]}, "wrong_type"),
		("taobao", "trade_partial_consigned", {"orders": ...}, "missing_field"),
	],
)
def test_bad_payloads_give_the_cores_error_with_a_reason(platform, name, changes, code):
	with pytest.raises(ChannelInputError) as e:
		to_canonical(platform, mutate(platform, name, **changes), "s")
	assert e.value.code == code and e.value.reason


def test_negative_quantity_in_shopify_line():
	p = copy_of(fixture("shopify", "order_emoji_no_phone"))
	p["line_items"][1]["quantity"] = -1
	with pytest.raises(ChannelInputError) as e:
		to_canonical("shopify", p, "s")
	assert e.value.code == "negative_quantity" and "line_items[1].quantity" in e.value.path


def test_malformed_oversized_and_non_object_bodies():
	for raw, code in [
		(b"{nope", "malformed_json"),
		(b"[1,2]", "malformed_json"),
		(b" " * 3_000_000, "too_large"),
		(b"\xff\xfe", "malformed_json"),
	]:
		with pytest.raises(ChannelInputError) as e:
			loads(raw)
		assert e.value.code == code


def test_unknown_platform_and_missing_shop():
	with pytest.raises(ChannelInputError) as e:
		to_canonical("ebay", {}, "s")
	assert e.value.code == "unknown_platform"
	with pytest.raises(ChannelInputError) as e:
		to_canonical("shopify", fixture("shopify", "order_emoji_no_phone"), " ")
	assert e.value.code == "missing_field"


def test_payload_survives_a_json_round_trip_with_emoji_bytes():
	raw = json.dumps(fixture("woocommerce", "order_processing_guest"), ensure_ascii=False).encode()
	assert to_canonical("woocommerce", loads(raw), "uk").buyer_note.endswith("🙏")
