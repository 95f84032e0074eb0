"""Issue 14, "New against returning buyers per month": a buyer is new in the month of their first
purchase ever and returning in later months, over every channel, whatever the report's dates."""

from frappe.utils import add_days, add_months, getdate, nowdate

from online_crm.core.audiences import period_of
from tests.bench import builders
from tests.bench.test_rfm_on_site import invoice


def counts(**filters) -> dict[str, tuple[int, int]]:
	from online_crm.online_crm.report.new_and_returning_buyers.new_and_returning_buyers import execute

	_cols, data, _msg, chart, _summary = execute(filters)
	assert chart["data"]["labels"] == [d["period"] for d in data]
	return {d["period"]: (d["new"], d["returning"]) for d in data}


def test_first_purchase_ever_makes_a_buyer_new_and_later_ones_returning():
	today = getdate(nowdate())
	this, earlier = period_of(today, "month"), period_of(add_months(today, -3), "month")
	before = counts(period="Month")
	old_before = counts(period="Month", from_date=add_months(today, -4), to_date=add_days(today, -1))

	item = builders.item_with_stock(0, price=10)
	lapsed, fresh, veteran = (builders.customer("Silver Dealers", with_address=False).name for _ in range(3))
	invoice(lapsed, item, 1, (today - add_months(today, -3)).days)  # first bought three months ago
	invoice(lapsed, item, 1, 0)
	invoice(fresh, item, 1, 0)  # first ever: today
	invoice(fresh, item, 1, 0)  # twice in one month is one buyer
	invoice(veteran, item, 1, 400)  # over a year ago, before the report's dates
	invoice(veteran, item, 1, 0)

	after = counts(period="Month")
	delta = tuple(a - b for a, b in zip(after[this], before.get(this, (0, 0)), strict=True))
	assert delta == (1, 2)  # fresh is new; lapsed and veteran are returning
	assert after[earlier][0] - before.get(earlier, (0, 0))[0] == 1  # lapsed was new three months ago
	# the veteran's first purchase lies before the dates shown, and still makes them a returning buyer
	assert period_of(add_days(today, -400), "month") not in after
	old_after = counts(period="Month", from_date=add_months(today, -4), to_date=add_days(today, -1))
	assert (
		old_after[earlier][0] - old_before.get(earlier, (0, 0))[0] == 1
		and this not in old_after
		or today.day == 1
	)
