"""Stock alerts per bin and per warehouse: safety stock, slow movers, overstock, and the quantity a
replenishment suggestion orders."""

from datetime import date, timedelta

import pytest

from wms_tms.core.errors import WmsInputError
from wms_tms.core.stock_alerts import (
	BELOW_SAFETY,
	OVERSTOCK,
	SLOW_MOVING,
	LocationStock,
	location_alerts,
	replenishment,
	store_levels,
)

TODAY = date(2026, 12, 1)


def kinds(alerts):
	return {(a.item, a.location, a.kind) for a in alerts}


def test_below_safety_orders_up_to_safety_plus_cover_and_at_least_the_reorder_qty():
	s = LocationStock("TEA", "A1", "bin", on_hand=4, issued_per_year=365, last_issue=TODAY, safety_stock=10)
	(a,) = location_alerts([s], TODAY, cover_days=30)
	assert (a.kind, a.suggested_qty) == (BELOW_SAFETY, 36)  # 10 + 30 × 1 − 4
	assert a.days_of_cover == pytest.approx(4) and a.days_since_issue == 0
	bigger = LocationStock("TEA", "A1", "bin", 4, 365, TODAY, safety_stock=10, reorder_qty=50)
	assert location_alerts([bigger], TODAY)[0].suggested_qty == 50
	at_safety = LocationStock("TEA", "A1", "bin", 10, 365, TODAY, safety_stock=10)
	assert location_alerts([at_safety], TODAY) == []


def test_slow_movers_and_overstock():
	never = LocationStock("CUP", "A2", "bin", on_hand=5)
	old = LocationStock(
		"POT", "A3", "bin", on_hand=5, issued_per_year=1, last_issue=TODAY - timedelta(days=90)
	)
	recent = LocationStock(
		"POT", "A4", "bin", on_hand=5, issued_per_year=1, last_issue=TODAY - timedelta(days=89)
	)
	heaps = LocationStock("TRAY", "A1", "bin", on_hand=1000, issued_per_year=365, last_issue=TODAY)
	just = LocationStock("TRAY", "A2", "bin", on_hand=180, issued_per_year=365, last_issue=TODAY)
	empty_never = LocationStock("GIFT", "A2", "bin", on_hand=0)
	got = location_alerts([never, old, recent, heaps, just, empty_never], TODAY)
	assert kinds(got) == {
		("CUP", "A2", SLOW_MOVING),
		("POT", "A3", SLOW_MOVING),
		("POT", "A4", OVERSTOCK),  # 5 covers 1825 days
		("POT", "A3", OVERSTOCK),
		("TRAY", "A1", OVERSTOCK),
	}
	by = {(a.item, a.location, a.kind): a for a in got}
	assert by[("CUP", "A2", SLOW_MOVING)].days_since_issue is None
	assert by[("CUP", "A2", SLOW_MOVING)].days_of_cover is None
	assert by[("POT", "A3", SLOW_MOVING)].days_since_issue == 90
	assert all(a.suggested_qty == 0 for a in got)


def test_a_store_sums_its_bins_and_keeps_its_own_safety_stock():
	bins = [
		LocationStock("TEA", "A1", "bin", 3, 100, TODAY - timedelta(days=5)),
		LocationStock("TEA", "A2", "bin", 4, 265, TODAY - timedelta(days=2)),
		LocationStock("TEA", "X9", "bin", 50, 0, None),  # a bin of another store
		LocationStock("CUP", "A1", "bin", 8, 0, None),
	]
	stores = store_levels(
		bins, {"A1": "S", "A2": "S", "X9": "T"}, {("S", "TEA"): (20, 5), ("S", "GIFT"): (2, 0)}
	)
	by = {(s.location, s.item): s for s in stores}
	tea = by[("S", "TEA")]
	assert (tea.level, tea.on_hand, tea.issued_per_year, tea.last_issue) == (
		"warehouse",
		7,
		365,
		TODAY - timedelta(days=2),
	)
	assert (tea.safety_stock, tea.reorder_qty) == (20, 5)
	assert by[("T", "TEA")].on_hand == 50 and by[("T", "TEA")].safety_stock == 0
	assert by[("S", "GIFT")].on_hand == 0, "a safety stock with no stock at all still counts"
	alerts = location_alerts(stores, TODAY)
	assert (("TEA", "S", BELOW_SAFETY) in kinds(alerts)) and (("GIFT", "S", BELOW_SAFETY) in kinds(alerts))
	assert ("TEA", "A1", BELOW_SAFETY) not in kinds(alerts), "bins have no safety stock of their own here"
	with pytest.raises(WmsInputError):
		store_levels(stores, {"S": "S"}, {})


def test_replenishment_is_one_line_per_item_and_location():
	alerts = location_alerts(
		[
			LocationStock("TEA", "A1", "bin", 0, 0, None, safety_stock=6),
			LocationStock("TEA", "A1", "bin", 2, 0, None, safety_stock=6),
			LocationStock("TEA", "S", "warehouse", 0, 0, None, safety_stock=10),
			LocationStock("CUP", "A1", "bin", 5, 0, None),
		],
		TODAY,
	)
	assert [(r.item, r.warehouse, r.qty) for r in replenishment(alerts)] == [
		("TEA", "A1", 6),
		("TEA", "S", 10),
	]


def test_bad_settings_and_levels_are_refused():
	with pytest.raises(WmsInputError):
		location_alerts([], TODAY, slow_days=0)
	with pytest.raises(WmsInputError):
		location_alerts([], TODAY, cover_days=-1)
	with pytest.raises(WmsInputError):
		location_alerts([], TODAY, overstock_days=0)
	with pytest.raises(WmsInputError, match="level"):
		location_alerts([LocationStock("A", "B", "shelf", 1)], TODAY)
	with pytest.raises(WmsInputError, match="reorder"):
		location_alerts([LocationStock("A", "B", "bin", 1, reorder_qty=-1)], TODAY)
	with pytest.raises(WmsInputError):
		location_alerts([LocationStock("A", "B", "bin", -1)], TODAY)
