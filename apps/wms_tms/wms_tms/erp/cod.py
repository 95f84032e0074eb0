"""Cash on delivery per trip: expected against collected per stop and driver, and the hand-over of
a trip's cash to the cashier (a Journal Entry from the driver's cash account to a cash or bank
account). Differences are flagged for the Accounts Managers."""

import frappe
from frappe import _
from frappe.utils import flt, nowdate

from wms_tms.core.cod import reconcile
from wms_tms.erp.delivery import expected_cash

MANAGER_ROLE = "Accounts Manager"


def stop_rows(trips: list[str]) -> list[frappe._dict]:
	"""One row per stop of these trips, in trip and stop order, with what was expected and taken.

	Expected: what the note still owed when the stop was delivered; nothing for a failed stop (the
	goods came back); what it owes now for a stop not yet visited."""
	if not trips:
		return []
	rows = frappe.db.sql(
		"""select s.parent as delivery_trip, t.driver, t.driver_name, t.departure_time, t.status as trip_status,
			s.name as stop, s.idx, s.customer, s.delivery_note, s.visited, s.th_wms_outcome as outcome,
			s.th_wms_fail_reason as fail_reason, s.th_wms_reschedule_on as reschedule_on,
			s.th_wms_cod_expected, s.th_wms_cod_amount as collected, s.th_wms_payment_entry as payment_entry
		from `tabDelivery Stop` s join `tabDelivery Trip` t on t.name = s.parent
		where s.parenttype = 'Delivery Trip' and s.parent in %(trips)s and t.docstatus = 1
		order by t.departure_time, s.parent, s.idx""",
		{"trips": tuple(trips)},
		as_dict=True,
	)
	for r in rows:
		if r.outcome == "Failed":
			r.expected = 0.0
		elif r.visited:
			r.expected = flt(r.th_wms_cod_expected)
		elif r.delivery_note and frappe.db.get_value("Delivery Note", r.delivery_note, "th_cod"):
			r.expected = expected_cash(r.delivery_note)[1]
		else:
			r.expected = 0.0
		r.collected = flt(r.collected)
		r.difference = round(r.collected - r.expected, 2)
		del r["th_wms_cod_expected"]
	return rows


def trip_totals(trip: str) -> frappe._dict:
	rows = stop_rows([trip])
	rec = reconcile({r.stop: r.expected for r in rows}, {r.stop: r.collected for r in rows})
	return frappe._dict(rows=rows, expected=rec.expected, collected=rec.collected)


def cashier_account(company: str) -> str | None:
	"""Where a hand-over goes unless the cashier picks another: the company's default cash account,
	else the account of its Cash mode of payment, else its only cash account that is no driver's."""
	account = frappe.get_cached_value("Company", company, "default_cash_account")
	if account:
		return account
	cash_mode = frappe.db.get_value("Mode of Payment", {"type": "Cash", "enabled": 1})
	if cash_mode:
		account = frappe.db.get_value(
			"Mode of Payment Account", {"parent": cash_mode, "company": company}, "default_account"
		)
		if account:
			return account
	drivers = set(
		frappe.get_all("Driver", filters={"th_wms_cash_account": ("is", "set")}, pluck="th_wms_cash_account")
	)
	cash = [
		a
		for a in frappe.get_all(
			"Account",
			filters={"company": company, "account_type": "Cash", "is_group": 0, "disabled": 0},
			pluck="name",
		)
		if a not in drivers
	]
	return cash[0] if len(cash) == 1 else None


def hand_over(trip: str, counted, to_account: str) -> frappe._dict:
	"""The cashier takes the trip's cash: a Journal Entry (the cashier's own, with their rights) moves
	what they counted from the driver's cash account to `to_account`. A difference between counted and
	collected, or collected and expected, makes the hand-over 'Variance' and a ToDo for each manager."""
	frappe.has_permission("Journal Entry", "create", throw=True)
	frappe.has_permission("COD Handover", "create", throw=True)
	t = frappe.db.get_value(
		"Delivery Trip",
		trip,
		["name", "driver", "company", "status", "docstatus"],
		as_dict=True,
		for_update=True,
	)
	if not t or t.docstatus != 1:
		frappe.throw(_("Delivery Trip {0} is not submitted.").format(trip))
	if t.status != "Completed":
		frappe.throw(
			_("Trip {0} still has stops to visit: hand over its cash when it is completed.").format(trip)
		)
	if frappe.db.exists("COD Handover", {"delivery_trip": trip}):
		frappe.throw(_("The cash of trip {0} was already handed over.").format(trip))
	try:
		counted = round(float(counted), 2)
	except (TypeError, ValueError):
		counted = None
	if counted is None or counted != counted or counted < 0 or counted > 1e15:
		frappe.throw(_("Enter the cash counted: a number, zero or more."))
	account = frappe.db.get_value(
		"Account", to_account, ["name", "company", "account_type", "is_group", "disabled"], as_dict=True
	)
	if (
		not account
		or account.company != t.company
		or account.is_group
		or account.disabled
		or account.account_type not in ("Cash", "Bank")
	):
		frappe.throw(_("Choose a cash or bank account of {0}.").format(t.company))
	driver_account = frappe.db.get_value("Driver", t.driver, "th_wms_cash_account")
	if driver_account == account.name:
		frappe.throw(_("Choose the cashier's account, not the driver's."))
	totals = trip_totals(trip)
	if counted and not driver_account:
		frappe.throw(_("Driver {0} has collected no cash: there is nothing to hand over.").format(t.driver))
	je = None
	if counted:
		entry = frappe.new_doc("Journal Entry")
		entry.voucher_type = "Cash Entry"
		entry.company = t.company
		entry.posting_date = nowdate()
		entry.cheque_no = trip
		entry.cheque_date = nowdate()
		entry.user_remark = _("Cash on delivery of trip {0} handed over by driver {1}").format(trip, t.driver)
		entry.append("accounts", {"account": account.name, "debit_in_account_currency": counted})
		entry.append("accounts", {"account": driver_account, "credit_in_account_currency": counted})
		entry.insert()
		entry.submit()
		je = entry.name
	collection_variance = round(totals.collected - totals.expected, 2)
	handover_variance = round(counted - totals.collected, 2)
	status = "Variance" if collection_variance or handover_variance else "Balanced"
	doc = frappe.get_doc(
		{
			"doctype": "COD Handover",
			"delivery_trip": trip,
			"driver": t.driver,
			"company": t.company,
			"posting_date": nowdate(),
			"cashier": frappe.session.user,
			"status": status,
			"from_account": driver_account,
			"to_account": account.name,
			"journal_entry": je,
			"expected": totals.expected,
			"collected": totals.collected,
			"handed_over": counted,
			"collection_variance": collection_variance,
			"handover_variance": handover_variance,
		}
	).insert()
	if status == "Variance":
		flag_for_managers(doc)
	return frappe._dict(
		name=doc.name,
		status=status,
		journal_entry=je,
		expected=totals.expected,
		collected=totals.collected,
		handed_over=counted,
		handover_variance=handover_variance,
		collection_variance=collection_variance,
	)


def flag_for_managers(doc) -> None:
	"""A ToDo on the hand-over for every enabled desk user with the Accounts Manager role."""
	from frappe.desk.form.assign_to import add as assign

	managers = frappe.get_all(
		"Has Role",
		filters={
			"role": MANAGER_ROLE,
			"parenttype": "User",
			"parent": ("not in", ("Administrator", "Guest")),
		},
		pluck="parent",
	)
	managers = frappe.get_all(
		"User",
		filters={"name": ("in", managers or [""]), "enabled": 1, "user_type": "System User"},
		pluck="name",
		order_by="creation",
		limit=20,
	)
	if not managers:
		managers = ["Administrator"]
	args = frappe._dict(assign_to=managers, name=doc.name, priority="High")
	args.doctype = doc.doctype
	args.description = _("Cash variance on trip {0}: expected {1}, collected {2}, handed over {3}").format(
		doc.delivery_trip, doc.expected, doc.collected, doc.handed_over
	)
	assign(args, ignore_permissions=True)
