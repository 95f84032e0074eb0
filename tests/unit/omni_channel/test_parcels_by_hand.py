"""Parcels and warehouses worked out by hand: why two orders cannot merge (every reason, in
order), which orders group, presale and weight splits, and warehouse routing with its reasons."""

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from omni_channel.core.merge_split import Part, merge_groups, split_by_weight, split_presale, why_not_merge
from omni_channel.core.order import Address, Buyer, OrderLine, status_from_lines
from omni_channel.core.routing import RegionTable, route
from tests.unit.omni_channel.factories import AddressFactory, CanonicalOrderFactory

HOME = AddressFactory(line1="文一西路1号")


def make(name, **kw):
	kw.setdefault("buyer", Buyer(external_id="B1"))
	kw.setdefault("ship_to", HOME)
	return CanonicalOrderFactory(name=name, **kw)


def line(lid, qty=1, grams=0, presale=False, shipped=0, refunded=0):
	return OrderLine(
		lid,
		f"SKU-{lid}",
		"t",
		qty,
		Decimal(1),
		weight_grams=grams,
		presale=presale,
		shipped_qty=shipped,
		refunded_qty=refunded,
	)


# ---- merging ----


def test_two_orders_of_one_buyer_to_one_address_merge():
	assert why_not_merge(make("#1"), make("#2")) == []
	# the same address spelt differently is the same address
	other = replace(HOME, line1=" 文一西路 1-号 ", postcode="310 012", country_code="cn")
	assert why_not_merge(make("#1"), make("#2", ship_to=other)) == []


def test_every_reason_not_to_merge_is_given_in_order():
	a = make("#1", shop="acme", status="pending")
	b = make(
		"#2",
		shop="other",
		buyer=Buyer(external_id="B2"),
		ship_to=AddressFactory(line1="elsewhere 9"),
		status="shipped",
	)
	assert why_not_merge(a, b, sealed=frozenset({a.key, b.key})) == [
		"#1 and #2 come from different shops",
		"#1 and #2 have different buyers",
		"#1 and #2 go to different addresses",
		"#1 is not paid",
		"#1 is sealed (picking started or locked by a person)",
		"#2 has already shipped something",
		"#2 is sealed (picking started or locked by a person)",
	]
	assert why_not_merge(make("#3", status="cancelled"), make("#4")) == ["#3 is not paid", "#3 is cancelled"]


def test_two_anonymous_buyers_are_not_the_same_buyer():
	nobody = Buyer()
	assert why_not_merge(make("#1", buyer=nobody), make("#2", buyer=nobody)) == [
		"#1 and #2 have different buyers"
	]


def test_a_line_already_shipped_blocks_a_merge_of_a_paid_order():
	shipped = make("#1", lines=(line("L1", qty=2, shipped=1),))
	assert why_not_merge(shipped, make("#2")) == ["#1 has already shipped something"]


def test_merge_groups_keep_mergeable_orders_together_oldest_first():
	t = make("#0").created_at
	first = make("#A", created_at=t + timedelta(hours=2))
	second = make("#B", created_at=t)
	third = make("#C", created_at=t + timedelta(hours=1))
	alone = make("#D", buyer=Buyer(external_id="B9"))
	unpaid = make("#E", status="pending")
	shipped = make("#F", status="shipped")
	cancelled = make("#G", status="cancelled")
	anonymous = [make("#H", buyer=Buyer()), make("#I", buyer=Buyer())]
	sealed = make("#J")
	groups = merge_groups(
		[first, second, third, alone, unpaid, shipped, cancelled, *anonymous, sealed],
		sealed=frozenset({sealed.key}),
	)
	assert [[o.name for o in g] for g in groups] == [["#B", "#C", "#A"]]


# ---- splitting ----


def test_presale_lines_ship_apart_from_the_spot_goods():
	order = make("#1", lines=(line("S1", 2), line("P1", 1, presale=True), line("S2", 3, shipped=3)))
	assert split_presale(order) == [
		Part((("S1", 2),), "in stock now"),
		Part((("P1", 1),), "presale: ships when the goods arrive"),
	]
	assert split_presale(make("#2", lines=(line("S1", 2),))) == [Part((("S1", 2),), "whole order")]
	assert split_presale(make("#3", lines=(line("P1", 1, presale=True),))) == [
		Part((("P1", 1),), "whole order")
	]


def test_split_by_weight_first_fit_decreasing():
	# units 700, 700, 400, 300, 300 into 1000 g parcels: 700+300, 700+300, 400
	lines = [line("A", 2, grams=700), line("B", 1, grams=400), line("C", 2, grams=300)]
	assert split_by_weight(lines, 1000) == [
		Part((("A", 1), ("C", 1)), "parcel of 1000 g (limit 1000 g)", 1000),
		Part((("A", 1), ("C", 1)), "parcel of 1000 g (limit 1000 g)", 1000),
		Part((("B", 1),), "parcel of 400 g (limit 1000 g)", 400),
	]


def test_a_unit_heavier_than_a_parcel_travels_alone():
	parts = split_by_weight([line("SOFA", 1, grams=30_000), line("CUP", 2, grams=200)], 20_000)
	assert parts == [
		Part((("SOFA", 1),), "over the parcel weight limit on its own", 30_000),
		Part((("CUP", 2),), "parcel of 400 g (limit 20000 g)", 400),
	]


def test_only_open_units_are_weighed_and_the_limit_must_be_positive():
	assert split_by_weight([line("A", 3, grams=100, shipped=1, refunded=1)], 1000) == [
		Part((("A", 1),), "parcel of 100 g (limit 1000 g)", 100)
	]
	for bad in (0, -5):
		with pytest.raises(ValueError) as e:
			split_by_weight([], bad)
		assert str(e.value) == "max_grams must be positive"


def test_status_from_lines():
	assert status_from_lines(True, True, ()) == "cancelled"
	assert status_from_lines(False, False, (line("A", 1),)) == "pending"
	assert status_from_lines(True, False, (line("A", 2),)) == "paid"
	assert status_from_lines(True, False, (line("A", 2, shipped=1),)) == "partially_shipped"
	assert status_from_lines(True, False, (line("A", 2, shipped=2),)) == "shipped"
	# a refunded unit need not ship: one of two shipped, the other refunded, is shipped
	assert status_from_lines(True, False, (line("A", 2, shipped=1, refunded=1),)) == "shipped"
	assert status_from_lines(True, False, (line("A", 2, refunded=2),)) == "paid"


# ---- warehouses ----


def test_the_region_table_prefers_province_then_country_then_the_default():
	table = RegionTable({"CN/浙江省": ("HZ",), "CN": ("SH", "BJ")}, default=("HK",))
	assert table.warehouses_for(Address(country_code="CN", province="浙江省")) == ("HZ",)
	assert table.warehouses_for(Address(country_code="CN", province="广东省")) == ("SH", "BJ")
	assert table.warehouses_for(Address(country_code="US", province="CA")) == ("HK",)


def test_the_whole_order_comes_from_the_first_warehouse_that_has_all_of_it():
	stock = {"A": {"tea": 5, "cup": 1}, "B": {"tea": 5, "cup": 5}}
	r = route({"tea": 5, "cup": 2, "none": 0}, stock, ("A", "B"))
	assert (r.allocations, r.backorder, r.reasons, r.split) == (
		{"B": {"tea": 5, "cup": 2}},
		{},
		("whole order from B",),
		False,
	)
	r = route({"tea": 5, "cup": 1}, stock, ("A", "B"))
	assert r.allocations == {"A": {"tea": 5, "cup": 1}}


def test_a_split_takes_what_each_warehouse_has_in_priority_order_and_backorders_the_rest():
	stock = {"A": {"tea": 3, "cup": -2}, "B": {"tea": 1.5, "cup": 2}, "C": {"tea": 9}}
	r = route({"tea": 4, "cup": 3}, stock, ("A", "B"))
	assert r.allocations == {"A": {"tea": 3}, "B": {"tea": 1, "cup": 2}}
	assert r.backorder == {"cup": 1} and r.split
	assert r.reasons == ("no single warehouse holds everything; split over A, B", "short: 1 × cup")
	# once everything is allocated, later warehouses are not touched
	r = route(
		{"tea": 4, "cup": 2}, {"A": {"tea": 3}, "B": {"tea": 1, "cup": 2}, "C": {"tea": 9}}, ("A", "B", "C")
	)
	assert r.allocations == {"A": {"tea": 3}, "B": {"tea": 1, "cup": 2}} and r.backorder == {}
	assert r.reasons == ("no single warehouse holds everything; split over A, B",)


def test_nothing_to_ship_nowhere_to_ship_from_and_nobody_has_it():
	assert route({"tea": 0}, {}, ("A",)).reasons == ("nothing to ship",)
	r = route({"tea": 2}, {}, ())
	assert (r.allocations, r.backorder, r.reasons) == ({}, {"tea": 2}, ("no warehouse serves this region",))
	r = route({"tea": 2, "cup": 1}, {"A": {}}, ("A",))
	assert r.allocations == {} and r.backorder == {"cup": 1, "tea": 2}
	assert r.reasons == ("no single warehouse holds everything; split over none", "short: 1 × cup, 2 × tea")
