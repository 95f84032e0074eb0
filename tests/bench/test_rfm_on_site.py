"""RFM from real Sales Invoices: a full run scores every buyer, credit notes reduce spend, the report adds up."""

import frappe
import pytest
from frappe.utils import add_days, getdate, nowdate

from tests.bench import builders


def invoice(customer: str, item: str, qty: float, days_ago: int, is_return_of: str | None = None) -> str:
	si = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"customer": customer,
			"company": builders.company(),
			"set_posting_time": 1,
			"posting_date": add_days(nowdate(), -days_ago),
			"due_date": add_days(nowdate(), 30),
			"is_return": 1 if is_return_of else 0,
			"return_against": is_return_of,
			"items": [{"item_code": item, "qty": -qty if is_return_of else qty, "rate": 10}],
		}
	)
	si.insert()
	si.submit()
	return si.name


def test_full_run_scores_buyers_from_their_invoices():
	from online_crm.erp.rfm import full_run

	item = builders.item_with_stock(0, price=10)
	buyers = [builders.customer("Silver Dealers", with_address=False).name for _ in range(6)]
	# buyer i: i+1 invoices of 1 unit, the last one i*10 days ago
	for i, c in enumerate(buyers):
		for k in range(i + 1):
			invoice(c, item, 1, i * 10 + k * 30)
	first = invoice(buyers[5], item, 4, 2)
	invoice(buyers[5], item, 4, 1, is_return_of=first)  # returned in full the next day

	result = full_run(getdate(nowdate()))
	for i, c in enumerate(buyers):
		cust = frappe.get_doc("Customer", c)
		assert cust.th_crm_frequency == i + 1 + (1 if i == 5 else 0)
		# the credit note a day ago is no purchase: buyer 5 last bought 2 days ago
		assert cust.th_crm_recency_days == (2 if i == 5 else i * 10)
		assert cust.th_crm_monetary == pytest.approx(10 * (i + 1))  # the returned 40 cancels the 40 bought
		assert cust.th_crm_segment == result.scores[c].segment
		assert 1 <= cust.th_crm_r_score <= 5 and 1 <= cust.th_crm_f_score <= 5
	assert (
		frappe.get_doc("Customer", buyers[5]).th_crm_f_score
		>= frappe.get_doc("Customer", buyers[0]).th_crm_f_score
	)

	from online_crm.online_crm.report.rfm_segments.rfm_segments import execute

	_columns, rows, _msg, chart = execute({})
	assert sum(r.customers for r in rows) == frappe.db.count("Customer", {"th_crm_segment": ("is", "set")})
	assert sum(chart["data"]["datasets"][0]["values"]) == sum(r.customers for r in rows)
