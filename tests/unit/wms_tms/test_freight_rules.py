"""Freight templates, trip cost and its split over orders, against values worked out by hand."""

from decimal import Decimal as D

import pytest

from wms_tms.core.errors import WmsInputError
from wms_tms.core.freight import (
	FreightTemplate,
	RegionRate,
	allocate,
	charge_for_weight,
	quote,
	region_key,
	trip_cost,
	volume_weight,
)

GD = RegionRate(("广东", "广西"), D(1), D(8), D(2))
ELSEWHERE = RegionRate(("*",), D(1), D(12), D(5))
TEMPLATE = FreightTemplate((GD, ELSEWHERE), divisor=D(6000), free_above=D(99))


def test_first_weight_then_each_started_kilogram():
	assert charge_for_weight(GD, D("0.4")) == D("8.00")
	assert charge_for_weight(GD, D("1.000")) == D("8.00")  # exactly the first weight: no step
	assert charge_for_weight(GD, D("1.001")) == D("10.00")  # a started kilogram is charged
	assert charge_for_weight(GD, D("2.3")) == D("12.00")  # 8 + 2 × 2
	assert charge_for_weight(GD, D("3")) == D("12.00")


def test_half_kilogram_steps():
	rate = RegionRate(("*",), D(1), D(10), D(3), step_weight=D("0.5"))
	assert charge_for_weight(rate, D("2.2")) == D("19.00")  # 1.2 kg more = 3 half-kilos: 10 + 9
	assert charge_for_weight(rate, D("1.5")) == D("13.00")


def test_region_row_or_the_default_row():
	assert quote(TEMPLATE, "广东省", "2.3").carrier_charge == D("12.00")
	assert quote(TEMPLATE, " 广西壮族自治区", "2.3").carrier_charge == D("12.00")
	assert quote(TEMPLATE, "新疆维吾尔自治区", "0.8").carrier_charge == D("12.00")
	assert quote(TEMPLATE, "新疆", "2.3").carrier_charge == D("22.00")  # 12 + 2 × 5
	assert quote(TEMPLATE, None, "1").carrier_charge == D("12.00")
	only_gd = FreightTemplate((GD,))
	with pytest.raises(WmsInputError, match="no rate for this region"):
		quote(only_gd, "新疆", 1)


def test_volume_weight_wins_when_the_parcel_is_light_and_big():
	assert volume_weight(40, 30, 20, 6000) == D("4.000")
	assert volume_weight(10, 10, 10, 0) == D(0)
	q = quote(TEMPLATE, "广东", "2.3", volume_cm3=40 * 30 * 20)
	assert (q.volume_weight, q.chargeable_weight, q.carrier_charge) == (D("4.000"), D("4.000"), D("14.00"))
	heavy = quote(TEMPLATE, "广东", "5", volume_cm3=40 * 30 * 20)  # 5 kg real beats 4 kg volume
	assert (heavy.chargeable_weight, heavy.carrier_charge) == (D("5.000"), D("16.00"))
	no_divisor = FreightTemplate((GD,))
	assert quote(no_divisor, "广东", "1", volume_cm3=10**6).carrier_charge == D("8.00")


def test_free_shipping_from_the_amount_on():
	at = quote(TEMPLATE, "广东", 1, order_value="99.00")
	below = quote(TEMPLATE, "广东", 1, order_value="98.99")
	assert (at.free, at.customer_charge, at.carrier_charge) == (True, D("0.00"), D("8.00"))
	assert (below.free, below.customer_charge) == (False, D("8.00"))
	never = FreightTemplate((GD,), free_above=D(0))
	assert not quote(never, "广东", 1, order_value=10**6).free


def test_templates_that_cannot_work_are_refused():
	with pytest.raises(WmsInputError, match="rows 1 and 2"):
		FreightTemplate((GD, RegionRate(("广东省",), D(1), D(9), D(2))))
	with pytest.raises(WmsInputError, match="only one row"):
		FreightTemplate((ELSEWHERE, RegionRate((), D(1), D(9), D(2))))
	with pytest.raises(WmsInputError, match="first weight"):
		RegionRate(("*",), D(0), D(9), D(2))
	with pytest.raises(WmsInputError, match="negative"):
		RegionRate(("*",), D(1), D(-1), D(2))
	with pytest.raises(WmsInputError, match="not a number"):
		quote(TEMPLATE, "广东", "abc")
	with pytest.raises(WmsInputError, match="negative"):
		quote(TEMPLATE, "广东", -1)


def test_region_names_meet_however_written():
	assert region_key("广东省") == region_key("广东") == "广东"
	assert region_key("上海市") == "上海"
	assert region_key(" Guangdong Province ") == "guangdong"
	assert region_key("省") == "省"  # a suffix alone is kept, not emptied


def test_trip_cost_is_distance_times_rate_plus_driver_time():
	assert trip_cost("42.5", "1.80", "3.5", "30") == D("181.50")  # 76.50 + 105.00
	assert trip_cost(0, 2, 0, 30) == D("0.00")
	with pytest.raises(WmsInputError, match="distance"):
		trip_cost(-1, 2, 1, 1)


def test_a_trip_cost_is_shared_to_the_cent():
	assert allocate("100.00", [1, 1, 1]) == [D("33.34"), D("33.33"), D("33.33")]
	assert allocate("10.00", [2, 1]) == [D("6.67"), D("3.33")]
	assert allocate("181.50", [12.5, 0, 37.5]) == [D("45.38"), D("0.00"), D("136.12")]
	assert allocate("0.01", [0, 0]) == [D("0.01"), D("0.00")]  # no weights: evenly, first gets the cent
	assert allocate("5", []) == []
	parts = allocate("999.99", [3, 7, 11, 13])
	assert sum(parts) == D("999.99")
