"""Stock to channels (incl. the no-oversell property), settlement reconciliation, return intents."""

import math
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omni_channel.core.errors import ChannelInputError
from omni_channel.core.money import (
	Expected,
	SettlementLine,
	Statement,
	expected_from_order,
	reconcile,
	return_intent,
)
from omni_channel.core.order import Refund, RefundLine
from omni_channel.core.stock import Level, ShopPolicy, StockPlanner
from tests.unit.omni_channel.factories import CanonicalOrderFactory, OrderLineFactory

WH = ("WH-HZ", "WH-SH")


def _offered(pushes) -> dict[tuple[str, str], int]:
	"""(shop, item) → quantity, from a first plan (nothing pushed before: every pair is a push)."""
	assert all(x.previous is None for x in pushes)
	return {(x.shop, x.item): x.qty for x in pushes}


class TestStock:
	def test_formula_sum_minus_reserved_and_safety_times_ratio_floored(self):
		"""Through `plan`, which erp/stock.py calls for every push."""
		p = StockPlanner(
			[
				ShopPolicy("tmall", WH, Decimal("0.5")),
				ShopPolicy("shopify", ("WH-SH",), Decimal("0.3"), buffer=1),
				ShopPolicy("woo", ("WH-SH",), Decimal("0.5"), buffer=1),
			]
		)
		levels = {"WH-HZ": Level(10, reserved=2, safety=1), "WH-SH": Level(5.9, reserved=0, safety=0)}
		# tmall: ⌊7 + 5.9⌋ = 12 × ½ = 6; shopify: ⌊5.9⌋ = 5 × 0.3 = 1.5 → 1, − buffer 1 = 0;
		# woo: 5 × ½ = 2.5 → 2, − buffer 1 = 1
		assert _offered(p.plan({"A": levels}, {})) == {
			("tmall", "A"): 6,
			("shopify", "A"): 0,
			("woo", "A"): 1,
		}
		assert p.offer("A", levels) == {"tmall": 6, "shopify": 0, "woo": 1}

	def test_the_buffer_is_held_back_on_every_push(self):
		p = StockPlanner([ShopPolicy("s", WH, buffer=3)])
		assert _offered(p.plan({"A": {"WH-HZ": Level(10)}, "B": {"WH-SH": Level(2)}}, {})) == {
			("s", "A"): 7,  # 10 − 3
			("s", "B"): 0,  # 2 − 3, never below zero
		}

	def test_fractional_free_stock_is_floored_not_rounded(self):
		p = StockPlanner([ShopPolicy("s", WH)])
		# 10.6 free must offer 10: an 11th unit is not there (rounding would oversell)
		assert _offered(p.plan({"A": {"WH-HZ": Level(10.6)}}, {})) == {("s", "A"): 10}
		assert _offered(p.plan({"A": {"WH-HZ": Level(5.3), "WH-SH": Level(5.3)}}, {})) == {("s", "A"): 10}
		assert _offered(p.plan({"A": {"WH-HZ": Level(12, reserved=0.5, safety=0.9)}}, {})) == {("s", "A"): 10}

	# make mutate (mutmut) runs these methods twice in one process, from two instances of the class
	@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.differing_executors])
	@given(
		hundredths=st.lists(
			st.tuples(st.integers(-2000, 50000), st.integers(0, 3000), st.integers(0, 1000)),
			min_size=1,
			max_size=3,
		),
		thousandths=st.integers(0, 1000),
		buffer=st.integers(0, 5),
	)
	def test_fractional_free_stock_property(self, hundredths, thousandths, buffer):
		"""Levels with two decimals (as ERPNext stores them); the expectation is computed here in
		exact fractions: ⌊⌊Σ free⌋ × ratio⌋ − buffer, at least 0."""
		whs = tuple(f"W{i}" for i in range(len(hundredths)))
		levels = {w: Level(a / 100, r / 100, s / 100) for w, (a, r, s) in zip(whs, hundredths, strict=True)}
		free = sum(Fraction(a - r - s, 100) for a, r, s in hundredths)
		units = max(0, math.floor(free))
		expected = max(0, math.floor(units * Fraction(thousandths, 1000)) - buffer)
		p = StockPlanner([ShopPolicy("s", whs, Decimal(thousandths) / 1000, buffer=buffer)])
		assert _offered(p.plan({"A": levels}, {})) == {("s", "A"): expected}
		assert expected <= max(0, free)  # never more than is physically free

	def test_item_override_and_only_changes_are_pushed(self):
		p = StockPlanner([ShopPolicy("s", WH, Decimal("0.5"), item_ratios={"HOT": Decimal("0.2")})])
		stock = {"A": {"WH-HZ": Level(10)}, "HOT": {"WH-HZ": Level(10)}, "C": {"WH-SH": Level(3)}}
		first = p.plan(stock, {})
		assert {(x.item, x.qty) for x in first} == {("A", 5), ("HOT", 2), ("C", 1)}
		pushed = {(x.shop, x.item): x.qty for x in first}
		assert p.plan(stock, pushed) == []
		stock["C"] = {"WH-SH": Level(9)}
		(push,) = p.plan(stock, pushed, items=["C"])
		assert (push.item, push.qty, push.previous) == ("C", 4, 1)
		(gone,) = p.plan({}, {("s", "OLD"): 3}, items=["OLD"])
		assert gone.qty == 0  # an item without stock rows is offered as zero, not forgotten

	def test_a_group_over_one_is_refused(self):
		with pytest.raises(ValueError, match="oversell"):
			StockPlanner(
				[
					ShopPolicy("a", WH, Decimal("0.6"), group="g"),
					ShopPolicy("b", WH, Decimal("0.5"), group="g"),
				]
			)
		with pytest.raises(ValueError, match="item X"):
			StockPlanner(
				[
					ShopPolicy("a", WH, Decimal("0.5"), item_ratios={"X": Decimal("0.9")}, group="g"),
					ShopPolicy("b", WH, Decimal("0.5"), group="g"),
				]
			)

	@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.differing_executors])
	@given(
		cuts=st.lists(st.integers(0, 1000), min_size=1, max_size=6),
		overrides=st.lists(st.integers(0, 1000), min_size=0, max_size=6),
		levels=st.lists(
			st.tuples(
				st.floats(-50, 500, allow_nan=False),
				st.floats(0, 80, allow_nan=False),
				st.floats(0, 20, allow_nan=False),
			),
			min_size=1,
			max_size=3,
		),
		buffers=st.lists(st.integers(0, 3), min_size=6, max_size=6),
	)
	def test_no_oversell_when_a_groups_ratios_sum_to_at_most_one(self, cuts, overrides, levels, buffers):
		def shares(xs):  # ratios with a sum ≤ 1 (in thousandths, as shops configure them)
			total, out = 0, []
			for x in xs:
				x = min(x, 1000 - total)
				total += x
				out.append(Decimal(x) / 1000)
			return out

		ratios, item_ratios = shares(cuts), shares(overrides)
		whs = tuple(f"W{i}" for i in range(len(levels)))
		policies = [
			ShopPolicy(
				f"s{i}",
				whs,
				r,
				item_ratios={"X": item_ratios[i]}
				if i < len(item_ratios) and len(item_ratios) == len(ratios)
				else {},
				buffer=buffers[i],
				group="g",
			)
			for i, r in enumerate(ratios)
		]
		try:
			planner = StockPlanner(policies)
		except ValueError:
			return  # mixed overrides may sum over one: refused up front, which is the point
		lv = {w: Level(a, r, s) for w, (a, r, s) in zip(whs, levels, strict=True)}
		free = max(0.0, sum(a - r - s for a, r, s in levels))
		pushed = planner.plan({"X": lv, "Y": lv}, {})
		for item in ("X", "Y"):
			offered = [x.qty for x in pushed if x.item == item]
			assert all(q >= 0 for q in offered)
			assert sum(offered) <= free


class TestSettlement:
	def statement(self, lines, payout):
		return Statement("tmall", "ST-2024-06", "CNY", None, tuple(lines), Decimal(payout))

	def test_balanced_lines_per_order_and_no_variance_when_it_matches(self):
		o = CanonicalOrderFactory(external_id="T1", grand_total=Decimal("100.00"))
		st_ = self.statement(
			[
				SettlementLine("T1", "sale", Decimal("100.00")),
				SettlementLine("T1", "commission", Decimal("-5.00")),
				SettlementLine("T1", "service_fee", Decimal("-1.00")),
				SettlementLine("T1", "promotion_subsidy", Decimal("3.00")),
				SettlementLine("T1", "shipping", Decimal("-8.00")),
			],
			"89.00",
		)
		rec = reconcile(st_, {"T1": expected_from_order(o, Decimal("0.05"))})
		assert rec.variances == () and rec.net_by_order == {"T1": Decimal("89.00")}
		assert sum(x.debit for x in rec.lines) == sum(x.credit for x in rec.lines)
		roles = {(x.role, x.debit, x.credit) for x in rec.lines}
		assert ("commission_expense", Decimal("5.00"), 0) in roles and (
			"promotion_subsidy_income",
			0,
			Decimal("3.00"),
		) in roles

	def test_variances_amount_commission_unknown_missing_payout(self):
		st_ = self.statement(
			[
				SettlementLine("T1", "sale", Decimal("90")),
				SettlementLine("T1", "commission", Decimal("-9")),
				SettlementLine("T9", "sale", Decimal("10")),
			],
			"100",
		)
		rec = reconcile(
			st_,
			{"T1": Expected("T1", Decimal("100"), Decimal("0.05")), "T2": Expected("T2", Decimal("50"))},
			expect_all=True,
		)
		kinds = {(v.order_id, v.kind) for v in rec.variances}
		assert kinds == {
			("T1", "amount"),
			("T1", "commission"),
			("T9", "unknown_order"),
			("T2", "not_settled"),
			("", "payout"),
		}
		msg = next(v.message for v in rec.variances if v.kind == "commission")
		assert "4.50" in msg

	def test_unknown_kind_is_refused(self):
		with pytest.raises(ChannelInputError):
			reconcile(self.statement([SettlementLine("T1", "bribe", Decimal(1))], "1"), {})


class TestReturns:
	def order(self):
		return CanonicalOrderFactory(
			lines=(
				OrderLineFactory(external_line_id="L1", sku="MUG", quantity=4, shipped_qty=2),
				OrderLineFactory(external_line_id="L2", sku="PEN", quantity=1, shipped_qty=1),
			)
		)

	def test_shipped_units_restock_by_inspection_unshipped_units_cancel(self):
		o = self.order()
		refund = Refund(
			"R1",
			None,
			Decimal("45"),
			(RefundLine("L1", 3, Decimal("30")), RefundLine("L2", 1, Decimal("15"))),
		)
		ri = return_intent(
			o,
			refund,
			{"L1": "I-MUG", "L2": "I-PEN"},
			{"L1": "good", "L2": "defective"},
			"Stores - GOOD",
			"Damaged - X",
		)
		assert ri.credit_amount == Decimal("45") and ri.order_key == o.key
		got = {(x.item_code, x.action, x.qty, x.warehouse) for x in ri.lines}
		assert got == {
			("I-MUG", "cancel_unshipped", 2, ""),
			("I-MUG", "restock", 1, "Stores - GOOD"),
			("I-PEN", "restock", 1, "Damaged - X"),
		}

	def test_refund_without_return_or_inspection_never_lands_in_stock(self):
		o = self.order()
		ri = return_intent(
			o,
			Refund("R2", None, Decimal("10"), (RefundLine("L2", 1, Decimal("10"), restock=False),)),
			{},
			{"L2": "good"},
			"G",
			"D",
		)
		assert [x.action for x in ri.lines] == ["no_return"] and "refund without return" in ri.notes[0]
		ri = return_intent(
			o, Refund("R3", None, Decimal("10"), (RefundLine("L2", 1, Decimal("10")),)), {}, {}, "G", "D"
		)
		assert [x.action for x in ri.lines] == ["no_return"] and "not inspected" in ri.notes[0]

	def test_refund_naming_an_unknown_line_or_too_many_is_refused(self):
		o = self.order()
		for rl in (RefundLine("L9", 1, Decimal(1)), RefundLine("L1", 5, Decimal(1))):
			with pytest.raises(ChannelInputError):
				return_intent(o, Refund("R", None, Decimal(1), (rl,)), {}, {}, "G", "D")

	def test_expected_subtracts_refunds(self):
		o = replace(
			CanonicalOrderFactory(grand_total=Decimal(100)), refunds=(Refund("R", None, Decimal(30)),)
		)
		assert expected_from_order(o).amount == Decimal(70)
