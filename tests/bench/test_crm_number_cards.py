"""Issue 14, "the workspaces show number cards": the CRM workspace's cards count what a user would
count by hand: Champions, customers at Medium or High churn risk, and their spend (value at risk)."""

import frappe
import pytest
from frappe.desk.doctype.number_card.number_card import get_result

from tests.bench import builders

CARDS = ("CRM Champions", "CRM Customers at Risk", "CRM Value at Risk")


def shown(name: str) -> float:
	card = frappe.get_doc("Number Card", name)
	return frappe.utils.flt(get_result(card.as_dict(), card.filters_json))


def test_the_cards_are_ours_and_on_the_workspace():
	for name in CARDS:
		card = frappe.get_doc("Number Card", name)
		assert (card.is_standard, card.module, card.document_type) == (1, "Online CRM", "Customer")
	workspace = frappe.get_doc("Workspace", "Online CRM")
	assert [c.number_card_name for c in workspace.number_cards] == list(CARDS)


def test_the_cards_count_champions_and_the_value_at_risk():
	before = {name: shown(name) for name in CARDS}
	champion, lapsing, safe = (builders.customer("Silver Dealers", with_address=False).name for _ in range(3))
	frappe.db.set_value("Customer", champion, {"th_crm_segment": "Champions", "th_crm_monetary": 999})
	frappe.db.set_value("Customer", lapsing, {"th_crm_churn_risk": "High", "th_crm_monetary": 123.45})
	frappe.db.set_value("Customer", safe, {"th_crm_churn_risk": "Low", "th_crm_monetary": 50})
	assert shown("CRM Champions") - before["CRM Champions"] == 1
	assert shown("CRM Customers at Risk") - before["CRM Customers at Risk"] == 1
	assert shown("CRM Value at Risk") - before["CRM Value at Risk"] == pytest.approx(123.45)
