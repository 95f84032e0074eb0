from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from b2b_mall.core.account import (
	LineProgress,
	OpenInvoice,
	Points,
	check_confirmation,
	check_redemption,
	invoiced_qty,
	may_become,
	overdue,
	points_for_invoice,
	running_balance,
)

TODAY = date(2026, 12, 1)


def test_line_stage_follows_the_furthest_step_of_the_whole_line():
	assert LineProgress(10, 0, 0, 0).stage == "Ordered"
	assert LineProgress(10, 4, 0, 0).stage == "Partly picked"
	assert LineProgress(10, 10, 0, 0).stage == "Picked"
	assert LineProgress(10, 10, 3, 0).stage == "Partly delivered"
	assert LineProgress(10, 10, 10, 5).stage == "Delivered"
	assert LineProgress(10, 10, 10, 10).stage == "Invoiced"
	# invoiced before delivery (a desk invoice straight from the order) is not "Invoiced" yet
	assert LineProgress(10, 0, 0, 10).stage == "Ordered"


def test_invoiced_qty_from_billed_amount():
	assert invoiced_qty(10, 480, 240) == 5
	assert invoiced_qty(10, 480, 480) == 10
	assert invoiced_qty(10, 480, 600) == 10  # never more than ordered
	assert invoiced_qty(10, 0, 0) == 0


def test_overdue_by_age_only_past_due_and_open():
	invoices = [
		OpenInvoice("A", date(2026, 11, 30), 100),  # 1 day
		OpenInvoice("B", date(2026, 10, 1), 50),  # 61 days
		OpenInvoice("C", date(2026, 12, 1), 70),  # due today: not overdue
		OpenInvoice("D", date(2026, 8, 1), 30),  # 122 days
		OpenInvoice("E", date(2026, 8, 1), 0),  # paid
	]
	o = overdue(invoices, TODAY)
	assert o.total == 250
	assert o.overdue == 180
	assert dict(o.buckets) == {"1-30": 100, "31-60": 0, "61-90": 50, "90+": 30}
	assert [i.name for i in o.invoices] == ["D", "B", "A"]


def test_running_balance():
	after, closing = running_balance(100, [(50, 0), (0, 120), (10, 0)])
	assert after == [150, 30, 40] and closing == 40
	assert running_balance(7, []) == ([], 7)


def test_confirmation_rules():
	start, end = date(2026, 11, 1), date(2026, 11, 30)
	assert check_confirmation("Confirmed", "", start, end, TODAY) == []
	assert [p.code for p in check_confirmation("Disputed", "  ", start, end, TODAY)] == ["no_reason"]
	assert [p.code for p in check_confirmation("Resolved", "x", start, end, TODAY)] == ["bad_status"]
	assert [p.code for p in check_confirmation("Confirmed", "", end, start, TODAY)] == ["bad_period"]
	assert [
		p.code for p in check_confirmation("Confirmed", "", date(2027, 1, 1), date(2027, 1, 31), TODAY)
	] == ["bad_period"]
	assert [p.code for p in check_confirmation("Disputed", "x" * 2001, start, end, TODAY)] == ["long_comment"]
	assert may_become("Disputed", "Resolved") and may_become(None, "Confirmed")
	assert not may_become("Confirmed", "Disputed") and not may_become("Resolved", "Disputed")
	assert not may_become("Confirmed", "Resolved")


def test_redemption_cap_is_the_share_of_the_order_and_the_free_points():
	p = Points(balance=500, pending=100, factor=0.5, max_share=20)
	assert p.available == 400
	# 20% of 1,000 = 200 of money = 400 points at 0.5
	assert p.cap_for(1000) == 400
	assert p.cap_for(500) == 200
	assert check_redemption(200, p, 500) == []
	[over] = check_redemption(201, p, 500)
	assert over.code == "over_share" and "200 points" in over.message and "20%" in over.message
	[over] = check_redemption(401, p, 10_000)
	assert over.code == "over_points"
	assert [x.code for x in check_redemption(-1, p, 500)] == ["bad_points"]
	assert [x.code for x in check_redemption(5, Points(500, 0, 0.5, 0), 500)] == ["no_points"]
	assert check_redemption(0, Points(0, 0, 0, 0), 500) == []


@given(
	balance=st.integers(0, 10_000),
	pending=st.integers(0, 10_000),
	factor=st.sampled_from([0.01, 0.1, 0.5, 1, 2]),
	share=st.sampled_from([0, 5, 10, 20, 50, 100]),
	total=st.floats(0, 100_000, allow_nan=False),
)
def test_the_cap_never_pays_more_than_the_share_nor_spends_points_not_there(
	balance, pending, factor, share, total
):
	p = Points(balance, pending, factor, share)
	cap = p.cap_for(total)
	assert 0 <= cap <= p.available
	assert cap * factor <= total * share / 100 + 1e-6
	assert check_redemption(cap, p, total) == [] or cap == 0


def test_points_for_invoice_redeem_an_order_once_across_its_invoices():
	# 300 points asked; first invoice worth 100 at factor 1 takes 100, the second the remaining 200
	assert points_for_invoice(300, 0, 1000, 1.0, 100) == 100
	assert points_for_invoice(300, 100, 1000, 1.0, 500) == 200
	assert points_for_invoice(300, 300, 1000, 1.0, 500) == 0
	# the customer spent points elsewhere meanwhile: no more than they have
	assert points_for_invoice(300, 0, 50, 1.0, 500) == 50
	assert points_for_invoice(300, 0, 1000, 0, 500) == 0
