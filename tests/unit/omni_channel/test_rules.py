"""Review, SKU mapping, merge, split, routing and gift rules — each on its own."""

from datetime import datetime, timedelta, timezone
from decimal import Decimal

from omni_channel.core.gifts import GiftRule, apply_gifts
from omni_channel.core.merge_split import merge_groups, split_by_weight, split_presale, why_not_merge
from omni_channel.core.review import (
	ReviewConfig,
	amount_over_limit,
	blacklisted_buyer,
	buyer_note,
	incomplete_address,
	invalid_mobile,
	mainland_mobile,
	make_blacklist,
	price_under_floor,
	region_not_served,
	review,
	unmapped_sku,
)
from omni_channel.core.routing import RegionTable, route
from omni_channel.core.skus import DictLookup, map_skus
from tests.unit.omni_channel.factories import (
	AddressFactory,
	BuyerFactory,
	CanonicalOrderFactory,
	OrderLineFactory,
)

CFG = ReviewConfig()


class TestReview:
	def test_amount_over_limit_only_above(self):
		cfg = ReviewConfig(amount_limit=Decimal("100"))
		assert amount_over_limit(CanonicalOrderFactory(grand_total=Decimal("100.00")), cfg, None) is None
		r = amount_over_limit(CanonicalOrderFactory(grand_total=Decimal("100.01")), cfg, None)
		assert r.rule == "amount_over_limit" and "100.01" in r.message

	def test_buyer_note(self):
		assert buyer_note(CanonicalOrderFactory(buyer_note="   "), CFG, None) is None
		assert "周末" in buyer_note(CanonicalOrderFactory(buyer_note="周末不在家"), CFG, None).message

	def test_incomplete_address_names_the_missing_parts(self):
		r = incomplete_address(
			CanonicalOrderFactory(ship_to=AddressFactory(province="", line1="")), CFG, None
		)
		assert "street" in r.message and "province" in r.message
		assert incomplete_address(CanonicalOrderFactory(), CFG, None) is None

	def test_mainland_mobile_forms(self):
		for ok in ("13812345678", "+86 138-1234-5678", "008613812345678", "8613812345678", "(138) 1234 5678"):
			assert mainland_mobile(ok) == "13812345678", ok
		for bad in ("12812345678", "1381234567", "138****5678", "0755-88881234", "+1 217 555 0100", ""):
			assert mainland_mobile(bad) is None, bad

	def test_invalid_mobile_only_for_mainland_addresses(self):
		assert (
			invalid_mobile(CanonicalOrderFactory(ship_to=AddressFactory(phone="138****5678")), CFG, None).rule
			== "invalid_mobile"
		)
		assert (
			"no phone"
			in invalid_mobile(CanonicalOrderFactory(ship_to=AddressFactory(phone="")), CFG, None).message
		)
		assert (
			invalid_mobile(
				CanonicalOrderFactory(ship_to=AddressFactory(phone="", country_code="DE")), CFG, None
			)
			is None
		)

	def test_blacklist_matches_normalised_phone_and_email(self):
		cfg = ReviewConfig(blacklist=make_blacklist(["138-1234-5678", "Bad@Example.com"]))
		assert blacklisted_buyer(CanonicalOrderFactory(), cfg, None).rule == "blacklisted_buyer"
		o = CanonicalOrderFactory(
			buyer=BuyerFactory(email="bad@example.com"), ship_to=AddressFactory(phone="13900000000")
		)
		assert "email" in blacklisted_buyer(o, cfg, None).message
		o = CanonicalOrderFactory(
			buyer=BuyerFactory(email="ok@example.com"), ship_to=AddressFactory(phone="13900000000")
		)
		assert blacklisted_buyer(o, cfg, None) is None

	def test_unmapped_sku_holds_and_lists_the_lines(self):
		o = CanonicalOrderFactory(
			lines=(OrderLineFactory(sku="A"), OrderLineFactory(sku="B", title="Mystery"))
		)
		m = map_skus(o, DictLookup({"A": "ITEM-A"}))
		r = unmapped_sku(o, CFG, m)
		assert "B" in r.message and "Mystery" in r.message

	def test_price_floor_uses_the_net_unit_price(self):
		cfg = ReviewConfig(price_floors={"TEA": Decimal("9.00")})
		ok = CanonicalOrderFactory(
			lines=(OrderLineFactory(sku="TEA", quantity=2, unit_price=Decimal(10), discount=Decimal(2)),)
		)
		low = CanonicalOrderFactory(
			lines=(OrderLineFactory(sku="TEA", quantity=2, unit_price=Decimal(10), discount=Decimal("2.02")),)
		)
		assert price_under_floor(ok, cfg, None) is None
		assert "8.99" in price_under_floor(low, cfg, None).message

	def test_region_by_country_or_province(self):
		cfg = ReviewConfig(served_regions=frozenset({"DE", "CN/浙江省"}))
		assert region_not_served(CanonicalOrderFactory(), cfg, None) is None
		r = region_not_served(CanonicalOrderFactory(ship_to=AddressFactory(province="西藏自治区")), cfg, None)
		assert "西藏自治区" in r.message

	def test_review_collects_every_reason_and_respects_disabled(self):
		o = CanonicalOrderFactory(buyer_note="call me", ship_to=AddressFactory(phone="123"))
		assert [r.rule for r in review(o, CFG)] == ["buyer_note", "invalid_mobile"]
		assert [r.rule for r in review(o, ReviewConfig(disabled=frozenset({"buyer_note"})))] == [
			"invalid_mobile"
		]
		assert review(CanonicalOrderFactory(), CFG) == []


class TestSkuMapping:
	def test_exact_then_barcode_then_sku_as_barcode_then_held(self):
		o = CanonicalOrderFactory(
			lines=(
				OrderLineFactory(sku="A"),
				OrderLineFactory(sku="", barcode="690123"),
				OrderLineFactory(sku="4006381333931"),
				OrderLineFactory(sku="GHOST"),
				OrderLineFactory(sku=""),
			)
		)
		m = map_skus(o, DictLookup({"A": "I-A"}, {"690123": "I-B", "4006381333931": "I-C"}))
		assert [(x.item_code, x.via) for x in m.mapped] == [
			("I-A", "sku"),
			("I-B", "barcode"),
			("I-C", "sku_as_barcode"),
		]
		assert [ln.sku for ln in m.unmapped] == ["GHOST", ""] and not m.complete
		assert len(m.mapped) + len(m.unmapped) == len(o.lines)  # never dropped


class TestMerge:
	def test_same_buyer_and_address_paid_unshipped_merge(self):
		b, a = BuyerFactory(), AddressFactory()
		o1 = CanonicalOrderFactory(buyer=b, ship_to=a)
		o2 = CanonicalOrderFactory(buyer=b, ship_to=AddressFactory(line1=a.line1.upper() + " ", name=a.name))
		other = CanonicalOrderFactory()
		assert why_not_merge(o1, o2) == []
		assert [[o.key for o in g] for g in merge_groups([o1, o2, other])] == [[o1.key, o2.key]]

	def test_each_blocking_condition_is_named(self):
		b, a = BuyerFactory(), AddressFactory()
		o1 = CanonicalOrderFactory(buyer=b, ship_to=a)
		assert any(
			"not paid" in w
			for w in why_not_merge(o1, CanonicalOrderFactory(buyer=b, ship_to=a, status="pending"))
		)
		assert any(
			"shipped" in w
			for w in why_not_merge(o1, CanonicalOrderFactory(buyer=b, ship_to=a, status="partially_shipped"))
		)
		o3 = CanonicalOrderFactory(buyer=b, ship_to=a)
		assert any("sealed" in w for w in why_not_merge(o1, o3, sealed=frozenset({o3.key})))
		assert merge_groups([o1, o3], sealed=frozenset({o3.key})) == []
		assert any(
			"different shops" in w
			for w in why_not_merge(o1, CanonicalOrderFactory(buyer=b, ship_to=a, shop="other"))
		)


class TestSplit:
	def test_presale_lines_ship_separately(self):
		o = CanonicalOrderFactory(
			lines=(
				OrderLineFactory(external_line_id="a"),
				OrderLineFactory(external_line_id="b", presale=True, quantity=2),
			)
		)
		spot, pre = split_presale(o)
		assert spot.lines == (("a", 1),) and pre.lines == (("b", 2),) and "presale" in pre.reason
		assert len(split_presale(CanonicalOrderFactory())) == 1

	def test_weight_split_never_exceeds_the_limit_and_keeps_every_unit(self):
		lines = (
			OrderLineFactory(external_line_id="pot", weight_grams=1400, quantity=3),
			OrderLineFactory(external_line_id="tea", weight_grams=300, quantity=5),
		)
		parts = split_by_weight(lines, 2000)
		assert all(p.weight_grams <= 2000 for p in parts)
		assert (
			sum(q for p in parts for lid, q in p.lines if lid == "pot") == 3
			and sum(q for p in parts for lid, q in p.lines if lid == "tea") == 5
		)
		assert len(parts) == 3
		(alone,) = split_by_weight((OrderLineFactory(weight_grams=5000),), 2000)
		assert "on its own" in alone.reason


class TestRouting:
	STOCK = {"HZ": {"A": 5, "B": 1}, "SH": {"A": 10, "B": 10}, "GZ": {"A": 1}}
	TABLE = RegionTable({"CN/浙江省": ("HZ", "SH"), "CN": ("SH", "GZ")}, default=("GZ",))

	def test_whole_order_from_the_first_warehouse_that_can(self):
		r = route({"A": 2, "B": 2}, self.STOCK, self.TABLE.warehouses_for(AddressFactory()))
		assert r.allocations == {"SH": {"A": 2, "B": 2}} and not r.split  # HZ lacks B, so SH, not a split

	def test_region_priority_table(self):
		assert self.TABLE.warehouses_for(AddressFactory(province="广东省")) == ("SH", "GZ")
		assert self.TABLE.warehouses_for(AddressFactory(country_code="US")) == ("GZ",)

	def test_split_in_priority_order_and_backorder_with_reason(self):
		r = route({"A": 14, "B": 2}, self.STOCK, ("HZ", "SH", "GZ"))
		assert (
			r.allocations == {"HZ": {"A": 5, "B": 1}, "SH": {"A": 9, "B": 1}}
			and r.split
			and r.backorder == {}
		)
		r = route({"A": 20}, self.STOCK, ("HZ", "SH", "GZ"))
		assert r.backorder == {"A": 4} and "short: 4 × A" in r.reasons[-1]
		assert route({"A": 1}, self.STOCK, ()).backorder == {"A": 1}


class TestGifts:
	AT = datetime(2024, 11, 11, 0, 30, tzinfo=timezone.utc)
	SPEND = GiftRule(
		"spend-200",
		"GIFT-MUG",
		spend_over=Decimal(200),
		starts=datetime(2024, 11, 11, tzinfo=timezone.utc),
		ends=datetime(2024, 11, 12, tzinfo=timezone.utc),
		per_buyer_limit=1,
	)
	B2G1 = GiftRule("buy2get1", "TEA-SAMPLE", buy_item="TEA", buy_qty=2, repeat=True)

	def test_spend_over_is_strict_and_dated(self):
		out = apply_gifts({}, Decimal("200.01"), self.AT, "b1", [self.SPEND], {}, {"GIFT-MUG": 5})
		assert [(g.item_code, g.qty) for g in out.gifts] == [("GIFT-MUG", 1)]
		assert apply_gifts({}, Decimal(200), self.AT, "b1", [self.SPEND], {}, {"GIFT-MUG": 5}).gifts == ()
		assert (
			apply_gifts(
				{}, Decimal(900), self.AT + timedelta(days=1), "b1", [self.SPEND], {}, {"GIFT-MUG": 5}
			).gifts
			== ()
		)

	def test_per_buyer_limit_and_stock_give_reasons(self):
		out = apply_gifts(
			{}, Decimal(300), self.AT, "b1", [self.SPEND], {("spend-200", "b1"): 1}, {"GIFT-MUG": 5}
		)
		assert out.gifts == () and "already had 1" in out.skipped[0]
		out = apply_gifts({}, Decimal(300), self.AT, "b2", [self.SPEND], {}, {"GIFT-MUG": 0})
		assert out.gifts == () and "out of stock" in out.skipped[0]

	def test_buy_x_get_y_repeats_only_while_stock_lasts(self):
		out = apply_gifts({"TEA": 5}, Decimal(0), self.AT, "b", [self.B2G1], {}, {"TEA-SAMPLE": 10})
		assert out.gifts[0].qty == 2
		out = apply_gifts({"TEA": 6}, Decimal(0), self.AT, "b", [self.B2G1], {}, {"TEA-SAMPLE": 1})
		assert out.gifts[0].qty == 1
		assert (
			apply_gifts({"TEA": 1}, Decimal(0), self.AT, "b", [self.B2G1], {}, {"TEA-SAMPLE": 9}).gifts == ()
		)
