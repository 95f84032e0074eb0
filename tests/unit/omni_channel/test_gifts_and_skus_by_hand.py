"""Gift rules and SKU mapping worked out by hand: every reason a rule gives or skips, the limits,
stock shared between rules, and the order in which a SKU is looked up."""

from datetime import datetime
from decimal import Decimal

import pytest

from omni_channel.core.gifts import Gift, GiftRule, apply_gifts, sets_earned
from omni_channel.core.order import OrderLine
from omni_channel.core.skus import DictLookup, map_line, map_skus
from tests.unit.omni_channel.factories import CanonicalOrderFactory

AT = datetime(2026, 11, 11, 12)
START, END = datetime(2026, 11, 11), datetime(2026, 11, 12)


@pytest.mark.parametrize(
	"rule, items, spent, at, earned",
	[
		(GiftRule("R", "G", starts=START), {}, 0, datetime(2026, 11, 10, 23, 59), (0, "R: not started yet")),
		(GiftRule("R", "G", starts=START), {}, 0, START, (1, "R: spent 0")),
		(GiftRule("R", "G", ends=END), {}, 0, END, (0, "R: ended")),
		(GiftRule("R", "G", ends=END), {}, 0, datetime(2026, 11, 11, 23, 59), (1, "R: spent 0")),
		(
			GiftRule("R", "G", spend_over=Decimal(100)),
			{},
			Decimal(100),
			AT,
			(0, "R: spend 100 is not over 100"),
		),
		(GiftRule("R", "G", spend_over=Decimal(100)), {}, Decimal("100.01"), AT, (1, "R: spent 100.01")),
		(
			GiftRule("R", "G", buy_item="TEA", buy_qty=2),
			{"TEA": 1},
			0,
			AT,
			(0, "R: needs 2 × TEA, order has 1"),
		),
		(GiftRule("R", "G", buy_item="TEA", buy_qty=2), {}, 0, AT, (0, "R: needs 2 × TEA, order has 0")),
		(
			GiftRule("R", "G", buy_item="TEA", buy_qty=0),
			{"TEA": 5},
			0,
			AT,
			(0, "R: needs 0 × TEA, order has 5"),
		),
		(GiftRule("R", "G", buy_item="TEA", buy_qty=2), {"TEA": 5}, 0, AT, (1, "R: bought 5 × TEA")),
		(
			GiftRule("R", "G", buy_item="TEA", buy_qty=2, repeat=True),
			{"TEA": 5},
			0,
			AT,
			(2, "R: bought 5 × TEA"),
		),
		(
			GiftRule("R", "G", buy_item="TEA", buy_qty=2, repeat=True),
			{"TEA": 2},
			0,
			AT,
			(1, "R: bought 2 × TEA"),
		),
	],
)
def test_sets_earned(rule, items, spent, at, earned):
	assert sets_earned(rule, items, spent, at) == earned


def test_limits_and_stock_and_the_reasons_for_skipping():
	rules = [
		GiftRule("BUY2", "CUP", gift_qty=1, buy_item="TEA", buy_qty=2, repeat=True, per_buyer_limit=3),
		GiftRule("BIG", "CUP", gift_qty=2, spend_over=Decimal(50)),
		GiftRule("ONCE", "BAG", per_buyer_limit=1),
		GiftRule("NONE", "PEN"),
		GiftRule("ZERO", "PEN", gift_qty=0),
		GiftRule("LATE", "PEN", starts=END),
	]
	out = apply_gifts(
		{"TEA": 8},
		Decimal(80),
		AT,
		"ann",
		rules,
		given={("BUY2", "ann"): 1, ("ONCE", "ann"): 1, ("BUY2", "bob"): 3},
		gift_stock={"CUP": 3, "PEN": 5},
	)
	# BUY2 earns 8 // 2 = 4 sets, the limit leaves 3 - 1 = 2: two cups, one cup left;
	# BIG wants sets of 2 cups: none; ONCE: ann had hers; NONE: one pen; ZERO: a set of no pens is
	# never given; LATE has not started (no reason: it did not match)
	assert out.gifts == (
		Gift("BUY2", "CUP", 2, "BUY2: bought 8 × TEA"),
		Gift("NONE", "PEN", 1, "NONE: spent 80"),
	)
	assert out.skipped == (
		"BIG: CUP is out of stock",
		"ONCE: ann already had 1 gift(s)",
		"ZERO: PEN is out of stock",
	)


def test_stock_is_shared_in_rule_order_and_a_set_never_splits():
	rules = [GiftRule("A", "CUP", gift_qty=2), GiftRule("B", "CUP", gift_qty=2), GiftRule("C", "CUP")]
	out = apply_gifts({}, Decimal(10), AT, "ann", rules, given={}, gift_stock={"CUP": 5})
	assert out.gifts == (
		Gift("A", "CUP", 2, "A: spent 10"),
		Gift("B", "CUP", 2, "B: spent 10"),
		Gift("C", "CUP", 1, "C: spent 10"),
	)
	assert out.skipped == ()
	# a buyer under the limit gets what is left of it; the limit counts per buyer
	rule = GiftRule("R", "CUP", buy_item="TEA", buy_qty=1, repeat=True, per_buyer_limit=2)
	out = apply_gifts({"TEA": 5}, 0, AT, "bob", [rule], given={("R", "ann"): 2}, gift_stock={"CUP": 9})
	assert out.gifts == (Gift("R", "CUP", 2, "R: bought 5 × TEA"),)


# ---- SKUs ----


def ln(sku="", barcode=""):
	return OrderLine("L1", sku, "Teapot", 1, Decimal(1), barcode=barcode)


def test_a_sku_is_looked_up_as_a_sku_then_the_barcode_then_the_sku_as_a_barcode():
	lookup = DictLookup({"TP-1": "ITEM-TP"}, {"6901234567892": "ITEM-EAN", "TP-2": "ITEM-ALIAS"})
	assert map_line(ln("TP-1", "6901234567892"), lookup).item_code == "ITEM-TP"
	assert map_line(ln("TP-1", "6901234567892"), lookup).via == "sku"
	m = map_line(ln("UNKNOWN", "6901234567892"), lookup)
	assert (m.item_code, m.via) == ("ITEM-EAN", "barcode")
	m = map_line(ln("6901234567892"), lookup)
	assert (m.item_code, m.via) == ("ITEM-EAN", "sku_as_barcode")
	m = map_line(ln("TP-2", "000"), lookup)
	assert (m.item_code, m.via) == ("ITEM-ALIAS", "sku_as_barcode")
	assert map_line(ln("", ""), lookup) is None
	assert map_line(ln("NOPE", "000"), lookup) is None
	assert map_line(ln(), DictLookup()) is None


def test_an_order_keeps_every_line_mapped_or_held():
	lines = (
		OrderLine("L1", "TP-1", "Teapot", 1, Decimal(1)),
		OrderLine("L2", "??", "Mystery", 1, Decimal(1)),
		OrderLine("L3", "", "No SKU", 1, Decimal(1), barcode="6901234567892"),
	)
	order = CanonicalOrderFactory(lines=lines)
	result = map_skus(order, DictLookup({"TP-1": "ITEM-TP"}, {"6901234567892": "ITEM-EAN"}))
	assert [(m.line.external_line_id, m.item_code, m.via) for m in result.mapped] == [
		("L1", "ITEM-TP", "sku"),
		("L3", "ITEM-EAN", "barcode"),
	]
	assert [x.external_line_id for x in result.unmapped] == ["L2"] and not result.complete
	full = map_skus(CanonicalOrderFactory(lines=lines[:1]), DictLookup({"TP-1": "ITEM-TP"}))
	assert full.complete and full.unmapped == ()


def test_an_item_group_rule_counts_the_groups_items_together_and_nothing_else():
	rule = GiftRule("TEA-2", "CUP", buy_items=frozenset({"TEA-A", "TEA-B"}), buy_qty=4, buy_label="Tea")
	assert sets_earned(rule, {"TEA-A": 2, "TEA-B": 2, "MUG": 9}, Decimal(0), AT) == (
		1,
		"TEA-2: bought 4 × Tea",
	)
	assert sets_earned(rule, {"TEA-A": 3, "MUG": 9}, Decimal(0), AT) == (
		0,
		"TEA-2: needs 4 × Tea, order has 3",
	)
	none_in_group = GiftRule("TEA-2", "CUP", buy_items=frozenset(), buy_qty=1, buy_label="Tea")
	assert sets_earned(none_in_group, {"MUG": 9}, Decimal(999), AT)[0] == 0, "no group item: no gift"


def test_a_units_rule_needs_more_units_than_its_threshold_over_all_lines():
	rule = GiftRule("BULK", "CUP", units_over=10)
	assert sets_earned(rule, {"A": 6, "B": 5}, Decimal(0), AT) == (1, "BULK: 11 units")
	assert sets_earned(rule, {"A": 5, "B": 5}, Decimal(0), AT) == (0, "BULK: 10 units is not over 10")
