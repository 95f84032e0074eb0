"""Churn follow-up: a warning opens one ToDo for the account manager with the history and a
suggested action; a recompute opens no second one; Churn Value at Risk adds it up by segment and owner."""

import frappe
import pytest
from frappe.utils import getdate, nowdate

from tests.bench import builders
from tests.bench.test_rfm_on_site import invoice


def lapsed_customer(manager: str, qty: float = 1) -> str:
	"""Bought every 50 days, last 200 days ago: four times their rhythm late (High)."""
	c = builders.customer("Silver Dealers", with_address=False).name
	frappe.db.set_value("Customer", c, "account_manager", manager)
	item = builders.item_with_stock(0, price=10)
	for days in (300, 250, 200):
		invoice(c, item, qty, days)
	return c


@pytest.fixture
def manager():
	from tests.bench.test_no_data_crosses_parties import system_user

	return system_user("Sales User")


def test_a_churn_warning_opens_one_todo_for_the_account_manager(manager):
	from online_crm.erp.rfm import rescore_customers

	c = lapsed_customer(manager, qty=50)
	rescore_customers([c], getdate(nowdate()))
	assert frappe.db.get_value("Customer", c, "th_crm_churn_risk") == "High"
	todos = frappe.get_all(
		"ToDo",
		filters={"reference_type": "Customer", "reference_name": c},
		fields=["name", "allocated_to", "status", "priority", "description"],
	)
	assert len(todos) == 1
	todo = todos[0]
	assert (todo.allocated_to, todo.status, todo.priority) == (manager, "Open", "High")
	assert "Suggested action" in todo.description and "last purchase 200 days ago" in todo.description
	# the history: their invoices are listed
	for si in frappe.get_all("Sales Invoice", {"customer": c, "docstatus": 1}, pluck="name"):
		assert si in todo.description
	assert frappe.db.get_value("Customer", c, "th_crm_churn_todo") == todo.name

	# recomputing the scores (nothing changed) opens no second task, even after it was closed
	frappe.db.set_value("ToDo", todo.name, "status", "Closed")
	rescore_customers([c], getdate(nowdate()))
	assert frappe.db.count("ToDo", {"reference_type": "Customer", "reference_name": c}) == 1

	# the owner sees it in their own list
	frappe.set_user(manager)
	assert frappe.get_list("ToDo", filters={"name": todo.name}, pluck="name") == [todo.name]


def test_no_owner_no_task_and_value_at_risk_by_segment_and_owner(manager):
	from online_crm.erp.rfm import rescore_customers
	from online_crm.online_crm.report.churn_value_at_risk.churn_value_at_risk import execute

	owned = lapsed_customer(manager, qty=2)
	orphan = lapsed_customer(None, qty=3)
	rescore_customers([owned, orphan], getdate(nowdate()))
	assert frappe.db.count("ToDo", {"reference_name": orphan}) == 0  # nobody to give it to
	assert frappe.db.count("ToDo", {"reference_name": owned, "status": "Open"}) == 1

	_cols, rows, _msg, chart, summary = execute({"account_manager": manager})
	assert len(rows) == 1
	row = rows[0]
	assert row.account_manager == manager and row.customers == 1 and row.high == 1
	assert row.value_at_risk == pytest.approx(frappe.db.get_value("Customer", owned, "th_crm_monetary"))
	assert row.open_follow_ups == 1
	assert row.segment == frappe.db.get_value("Customer", owned, "th_crm_segment")
	assert sum(chart["data"]["datasets"][0]["values"]) == pytest.approx(row.value_at_risk)

	_cols, everyone, *_ = execute({})
	assert sum(r.customers for r in everyone) == frappe.db.count(
		"Customer", {"th_crm_churn_risk": ("in", ["Medium", "High"]), "th_crm_segment": ("is", "set")}
	)
	assert summary[0]["value"] == 1
