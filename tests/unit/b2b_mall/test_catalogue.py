"""The catalogue's rules: pages, stock bands, the least orderable quantity, which price breaks show,
quick-order lines with a reason per bad line, pack multiples and the checkout's own checks."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from b2b_mall.core.cart import (
	CartLine,
	Checkout,
	ItemFacts,
	check_checkout,
	check_items,
	is_pack_multiple,
)
from b2b_mall.core.catalogue import (
	IN_STOCK,
	LOW,
	MAX_PAGE_SIZE,
	MAX_QUICK_LINES,
	OUT,
	Break,
	QuickLine,
	order_step,
	page_of,
	pages,
	price_breaks,
	quick_lines,
	rows_from_csv,
	rows_from_text,
	stock_band,
)


def test_pages_are_clamped_to_what_the_server_reads():
	assert page_of(3, 20).offset == 40
	assert page_of("2", "10") == page_of(2, 10)
	assert page_of(0, 0) == page_of(1, 20)  # nonsense → first page, default size
	assert page_of(-4, "x", default_size=24).size == 24
	assert page_of(1, 10_000).size == MAX_PAGE_SIZE
	assert page_of(2.7, 5).number == 2
	assert pages(0, 20) == 1 and pages(20, 20) == 1 and pages(21, 20) == 2


def test_stock_bands():
	assert stock_band(0, 10) == OUT
	assert stock_band(-3, 10) == OUT
	assert stock_band(10, 10) == LOW
	assert stock_band(0.5, 10) == LOW
	assert stock_band(10.5, 10) == IN_STOCK
	assert stock_band(1, 0) == IN_STOCK


@pytest.mark.parametrize(
	("moq", "pack", "least"),
	[(0, 0, 1), (10, 0, 10), (0, 6, 6), (10, 6, 12), (12, 6, 12), (0.5, 0, 1), (2.5, 0.5, 2.5)],
)
def test_the_least_quantity_a_buyer_can_order(moq, pack, least):
	assert order_step(moq, pack) == pytest.approx(least)


def test_only_breaks_that_lower_the_price_are_shown():
	assert price_breaks(52, [(50, 48), (100, 45), (20, 52)]) == [Break(50, 48), Break(100, 45)]
	# a rule that is not this customer's leaves the price as it is: no break
	assert price_breaks(52, [(50, 52)]) == []
	# a higher quantity priced above a lower one's break is not a break
	assert price_breaks(52, [(50, 40), (100, 45)]) == [Break(50, 40)]
	assert price_breaks(52, [(50, 0)]) == []


@given(st.floats(0.01, 1000), st.integers(1, 500))
def test_whole_packs_are_multiples(pack, n):
	assert is_pack_multiple(pack * n, pack)
	assert not is_pack_multiple(pack * n + pack / 2, pack)


def test_pack_multiples_are_refused_with_a_reason():
	facts = {"B": ItemFacts("B", moq=12, pack=6)}
	assert check_items([CartLine("B", 18)], facts) == []
	[p] = check_items([CartLine("B", 13)], facts)
	assert p.code == "not_pack_multiple" and p.message == "B: sold in packs of 6, you asked for 13."
	[p] = check_items([CartLine("B", 6)], facts)
	assert p.code == "below_moq"  # the minimum first


def test_quick_lines_report_each_bad_line_and_keep_the_good():
	rows = rows_from_text(
		"sku qty\nTEA-001 20\n\n# a comment\nCUP-002\nPOT-003 -1\nKETTLE-005,2\n6901234567892\t1000"
	)
	good, bad = quick_lines(rows)
	assert good == [
		QuickLine(2, "TEA-001", 20),
		QuickLine(7, "KETTLE-005", 2),
		QuickLine(8, "6901234567892", 1000),
	]
	assert [(line, p.code, p.item_code) for line, p in bad] == [
		(5, "bad_quantity", "CUP-002"),
		(6, "bad_quantity", "POT-003"),
	]
	assert bad[1][1].message == "POT-003: quantity must be a number above zero."


def test_chinese_separators_and_a_header_in_chinese():
	good, bad = quick_lines(rows_from_text("商品编码，数量\nTEA-001，10；\nCUP-002；24"))
	assert [(g.sku, g.qty) for g in good] == [("TEA-001", 10), ("CUP-002", 24)] and not bad


def test_csv_files_with_a_header_and_gbk_text():
	good, bad = quick_lines(rows_from_csv("item_code,qty\r\nTEA-001,10\r\n茶,x\r\n".encode("gb18030")))
	assert [(g.line, g.sku, g.qty) for g in good] == [(2, "TEA-001", 10)]
	assert [(line, p.item_code) for line, p in bad] == [(3, "茶")]


def test_sheet_cells_as_numbers():
	good, _bad = quick_lines([["SKU", "Qty"], [6901234567892, 12.0], ["TEA-001", None]])
	assert good == [QuickLine(2, "6901234567892", 12)]


def test_a_quick_order_is_capped():
	good, bad = quick_lines([["A", 1]] * (MAX_QUICK_LINES + 5))
	assert len(good) == MAX_QUICK_LINES and [p.code for _l, p in bad] == ["too_many_lines"]


TODAY = datetime.date(2026, 12, 1)


def test_checkout_address_date_and_note():
	assert check_checkout(Checkout("ADDR-1", TODAY, "hi"), TODAY, ["ADDR-1"]) == []
	assert check_checkout(Checkout(), TODAY, []) == []
	codes = [p.code for p in check_checkout(Checkout("ADDR-9"), TODAY, ["ADDR-1"])]
	assert codes == ["bad_address"]
	[p] = check_checkout(Checkout(delivery_date=TODAY - datetime.timedelta(days=1)), TODAY, [])
	assert p.code == "bad_date" and "2026-11-30" in p.message
	[p] = check_checkout(Checkout(delivery_date=TODAY + datetime.timedelta(days=400)), TODAY, [])
	assert p.code == "bad_date"
	assert check_checkout(Checkout(delivery_date=TODAY + datetime.timedelta(days=365)), TODAY, []) == []
	[p] = check_checkout(Checkout(note="x" * 1001), TODAY, [])
	assert p.code == "long_note"
	assert check_checkout(Checkout(note="x" * 1000), TODAY, []) == []
