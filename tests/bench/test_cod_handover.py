"""Issue 13 on a real site: a driver's action key replays its first answer and posts once; the
cashier's hand-over of a trip's cash posts one Journal Entry from the driver's account, only once the
trip is completed, only into a cash or bank account of the company, and flags nothing when balanced."""

import frappe
import pytest
from frappe.utils import flt

from tests.browser import flows
from tests.browser.conftest import desk_user


def as_user(user, fn, *args, **kwargs):
	frappe.set_user(user)
	try:
		return fn(*args, **kwargs)
	finally:
		frappe.set_user("Administrator")
		frappe.local.uploaded_file = None


def driver():
	return flows.driver_login()[0]


@pytest.fixture(scope="module")
def trip(site):
	return flows.cod_trip_of(2)  # committed; each test's own actions are rolled back


@pytest.fixture(scope="module")
def cashier(site):
	return desk_user("Accounts User")


def deliver(stop, owed, key=None):
	from wms_tms.api.driver import deliver as endpoint

	return as_user(driver(), endpoint, stop=stop, recipient="Chen", cash_collected=owed, idempotency_key=key)


def fail(stop, key=None):
	from wms_tms.api.driver import fail as endpoint

	return as_user(driver(), endpoint, stop=stop, reason="Wrong address", idempotency_key=key)


def test_a_resent_action_key_answers_the_first_result_and_posts_once(trip):
	one, two = trip.stops
	first = deliver(one.stop, one.owed, key="phone-key-00000001")
	again = deliver(one.stop, one.owed, key="phone-key-00000001")
	assert again.payment_entry == first.payment_entry and again.replayed and not again.already
	assert frappe.db.count("Payment Entry Reference", {"reference_name": one.invoice, "docstatus": 1}) == 1
	with pytest.raises(frappe.ValidationError, match="already used for another action"):
		fail(two.stop, key="phone-key-00000001")
	with pytest.raises(frappe.ValidationError, match="8 to 64"):
		fail(two.stop, key="bad key")
	assert not frappe.db.get_value("Delivery Stop", two.stop, "visited")


def test_hand_over_waits_for_the_trip_then_posts_once_into_a_cash_account(trip, cashier):
	from wms_tms.api.cod import hand_over, trip_cash
	from wms_tms.erp.cod import cashier_account

	one, two = trip.stops
	deliver(one.stop, one.owed)
	account = cashier_account(frappe.db.get_value("Delivery Trip", trip.trip, "company"))
	with pytest.raises(frappe.ValidationError, match="still has stops"):
		as_user(cashier, hand_over, trip=trip.trip, counted=one.owed, to_account=account)
	fail(two.stop)
	cash = as_user(cashier, trip_cash, trip=trip.trip)
	assert (cash["expected"], cash["collected"]) == (one.owed, one.owed), "the failed stop expects nothing"
	for bad in (cash["driver_account"], "No Such Account"):
		with pytest.raises(frappe.ValidationError):
			as_user(cashier, hand_over, trip=trip.trip, counted=one.owed, to_account=bad)
	for bad in ("-1", "nan", "lots"):
		with pytest.raises(frappe.ValidationError, match="cash counted"):
			as_user(cashier, hand_over, trip=trip.trip, counted=bad, to_account=account)
	done = as_user(cashier, hand_over, trip=trip.trip, counted=one.owed, to_account=account)
	assert done.status == "Balanced" and done.handover_variance == 0
	je = frappe.get_doc("Journal Entry", done.journal_entry)
	assert je.docstatus == 1
	assert {(a.account, flt(a.debit), flt(a.credit)) for a in je.accounts} == {
		(account, one.owed, 0),
		(cash["driver_account"], 0, one.owed),
	}
	assert not frappe.db.exists("ToDo", {"reference_type": "COD Handover", "reference_name": done.name})
	with pytest.raises(frappe.ValidationError, match="already handed over"):
		as_user(cashier, hand_over, trip=trip.trip, counted=one.owed, to_account=account)
