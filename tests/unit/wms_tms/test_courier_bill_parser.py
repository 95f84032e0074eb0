"""A courier's CSV bill: read line by line, bad lines refused with their reason, held against what
we expected."""

from decimal import Decimal as D

import pytest

from wms_tms.core.courier_bill import BillFormatError, Expected, parse, reconcile

BILL = """运单号,计费重量,运费,备注
773000000001,2.3,12.00,
773000000002,1,"￥1,008.50",超长件
,1,5,
773000000003,abc,5,
773000000004,1,-3,
773000000001,2.3,12.00,重复
773000000005,1,免费,
77300<script>,1,5,

773000000006,0.5,8,
"""


def test_good_lines_are_read_and_bad_ones_refused_with_their_reason():
	lines, refused = parse(BILL.encode("utf-8"))
	assert [(x.line_no, x.tracking_no, x.weight, x.amount) for x in lines] == [
		(2, "773000000001", D("2.3"), D("12.00")),
		(3, "773000000002", D("1"), D("1008.50")),
		(11, "773000000006", D("0.5"), D("8.00")),
	]
	reasons = {r.line_no: r.reason for r in refused}
	assert reasons == {
		4: "no tracking number",
		5: "weight 'abc' is not a number",
		6: "amount -3 is negative",
		7: "773000000001 is billed again (first on line 2)",
		8: "amount '免费' is not a number",
		9: "'77300<script>' is not a tracking number",
	}


def test_gbk_files_and_english_headers_in_any_order():
	gbk = "金额,快递单号\n6.5,YT1\n".encode("gbk")
	lines, refused = parse(gbk)
	assert [(x.tracking_no, x.amount, x.weight) for x in lines] == [("YT1", D("6.50"), None)] and not refused
	lines, _ = parse("\ufeffAmount,Tracking Number,Weight\n3.333,X-1,1\n")
	assert [(x.tracking_no, x.amount) for x in lines] == [("X-1", D("3.33"))]


def test_a_file_without_the_needed_columns_is_refused_whole():
	with pytest.raises(BillFormatError, match="amount"):
		parse("运单号,重量\nA1,1\n")
	with pytest.raises(BillFormatError, match="empty"):
		parse(b"\n\n")
	with pytest.raises(BillFormatError, match="UTF-8"):
		parse(b"\xff\xfe\x00\x00\x81")


def test_variances_against_the_expected_charges():
	lines, _ = parse(BILL)
	expected = {
		"773000000001": Expected("773000000001", "DN-1", D("12.00")),
		"773000000002": Expected("773000000002", "DN-2", D("14.00")),
		"773000000006": Expected("773000000006", "DN-6", D("8.50")),
	}
	out = reconcile(lines, expected)
	assert [(v.tracking_no, v.delivery_note, v.billed, v.expected, v.difference, v.status) for v in out] == [
		("773000000001", "DN-1", D("12.00"), D("12.00"), D("0.00"), "Matched"),
		("773000000002", "DN-2", D("1008.50"), D("14.00"), D("994.50"), "Overcharged"),
		("773000000006", "DN-6", D("8.00"), D("8.50"), D("-0.50"), "Undercharged"),
	]
	within = reconcile(lines, expected, tolerance=D("0.50"))
	assert within[2].status == "Matched"
	stranger = reconcile(lines, {})
	assert {v.status for v in stranger} == {"Not ours"} and stranger[0].expected is None
