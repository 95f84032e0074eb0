"""Cash on delivery per trip: expected against collected for every stop, totals per trip and per
driver, and what was handed over to the cashier. Differences are flagged."""

import frappe
from frappe import _
from frappe.utils import add_days, getdate, nowdate

from wms_tms.erp.cod import stop_rows


def execute(filters=None):
	filters = frappe._dict(filters or {})
	trip_filters = {"docstatus": 1}
	if filters.delivery_trip:
		trip_filters["name"] = filters.delivery_trip
	else:
		start = getdate(filters.from_date or add_days(nowdate(), -7))
		end = getdate(filters.to_date or nowdate())
		trip_filters["departure_time"] = ("between", [f"{start} 00:00:00", f"{end} 23:59:59"])
	if filters.driver:
		trip_filters["driver"] = filters.driver
	if filters.company:
		trip_filters["company"] = filters.company
	trips = frappe.get_all("Delivery Trip", filters=trip_filters, pluck="name", limit=500)
	rows = stop_rows(trips)
	handovers = {
		h.delivery_trip: h
		for h in frappe.get_all(
			"COD Handover",
			filters={"delivery_trip": ("in", trips or [""])},
			fields=["name", "delivery_trip", "handed_over", "status", "journal_entry"],
		)
	}
	data, summary = lay_out(rows, handovers)
	return columns(), data, None, None, summary


def lay_out(rows, handovers):
	"""Stop rows, then a total row for each trip (with its hand-over) and for each driver."""
	data = []
	grand = frappe._dict(expected=0.0, collected=0.0, handed_over=0.0)
	by_driver: dict[str, list] = {}
	for r in rows:
		by_driver.setdefault(r.driver, []).append(r)
	for driver, stops in by_driver.items():
		d_tot = frappe._dict(expected=0.0, collected=0.0, handed_over=0.0)
		trips: dict[str, list] = {}
		for r in stops:
			trips.setdefault(r.delivery_trip, []).append(r)
		for trip, trip_stops in trips.items():
			t_tot = frappe._dict(expected=0.0, collected=0.0)
			for r in trip_stops:
				flag = _("Short") if r.difference < 0 else _("Over") if r.difference > 0 else ""
				data.append(
					{
						"driver_name": r.driver_name or r.driver,
						"delivery_trip": r.delivery_trip,
						"stop": r.idx,
						"customer": r.customer,
						"delivery_note": r.delivery_note,
						"outcome": _(r.outcome) if r.outcome else _("Open"),
						"fail_reason": _(r.fail_reason) if r.fail_reason else "",
						"expected": r.expected,
						"collected": r.collected,
						"difference": r.difference,
						"payment_entry": r.payment_entry,
						"flag": flag,
						"flag_key": "Short" if r.difference < 0 else "Over" if r.difference > 0 else "",
						"indent": 1,
					}
				)
				t_tot.expected += r.expected
				t_tot.collected += r.collected
			h = handovers.get(trip)
			handed = h.handed_over if h else None
			diff = round(t_tot.collected - t_tot.expected, 2)
			variance = bool(diff) or (h is not None and round(h.handed_over - t_tot.collected, 2) != 0)
			data.append(
				{
					"driver_name": trip_stops[0].driver_name or driver,
					"delivery_trip": trip,
					"customer": _("Trip total"),
					"expected": round(t_tot.expected, 2),
					"collected": round(t_tot.collected, 2),
					"difference": diff,
					"handed_over": handed,
					"handover": h.name if h else None,
					"journal_entry": h.journal_entry if h else None,
					"flag": _("Variance") if variance else (_("Handed over") if h else _("Not handed over")),
					"flag_key": "Variance" if variance else "",
					"indent": 0,
					"is_total": 1,
				}
			)
			d_tot.expected += t_tot.expected
			d_tot.collected += t_tot.collected
			d_tot.handed_over += handed or 0
		data.append(
			{
				"driver_name": stops[0].driver_name or driver,
				"customer": _("Driver total"),
				"expected": round(d_tot.expected, 2),
				"collected": round(d_tot.collected, 2),
				"difference": round(d_tot.collected - d_tot.expected, 2),
				"handed_over": round(d_tot.handed_over, 2),
				"indent": 0,
				"is_total": 1,
			}
		)
		for k in grand:
			grand[k] += d_tot[k]
	variance = round(grand.collected - grand.expected, 2)
	summary = [
		{"value": round(grand.expected, 2), "label": _("Expected"), "datatype": "Currency"},
		{"value": round(grand.collected, 2), "label": _("Collected"), "datatype": "Currency"},
		{"value": round(grand.handed_over, 2), "label": _("Handed Over"), "datatype": "Currency"},
		{
			"value": variance,
			"label": _("Collected − Expected"),
			"datatype": "Currency",
			"indicator": "Red" if variance else "Green",
		},
	]
	return data, summary


def columns():
	return [
		# Data, not Link: a cashier (Accounts User) may not read Drivers or Delivery Trips, and the
		# report runner refuses a Link column of a doctype its user cannot read
		{"fieldname": "driver_name", "label": _("Driver"), "fieldtype": "Data", "width": 150},
		{"fieldname": "delivery_trip", "label": _("Delivery Trip"), "fieldtype": "Data", "width": 150},
		{"fieldname": "stop", "label": _("Stop"), "fieldtype": "Int", "width": 60},
		{"fieldname": "customer", "label": _("Customer"), "fieldtype": "Data", "width": 180},
		{
			"fieldname": "delivery_note",
			"label": _("Delivery Note"),
			"fieldtype": "Link",
			"options": "Delivery Note",
			"width": 150,
		},
		{"fieldname": "outcome", "label": _("Outcome"), "fieldtype": "Data", "width": 100},
		{"fieldname": "fail_reason", "label": _("Failure Reason"), "fieldtype": "Data", "width": 120},
		{"fieldname": "expected", "label": _("Expected"), "fieldtype": "Currency", "width": 110},
		{"fieldname": "collected", "label": _("Collected"), "fieldtype": "Currency", "width": 110},
		{"fieldname": "difference", "label": _("Difference"), "fieldtype": "Currency", "width": 110},
		{"fieldname": "handed_over", "label": _("Handed Over"), "fieldtype": "Currency", "width": 110},
		{"fieldname": "flag", "label": _("Flag"), "fieldtype": "Data", "width": 120},
		{
			"fieldname": "payment_entry",
			"label": _("Payment Entry"),
			"fieldtype": "Link",
			"options": "Payment Entry",
			"width": 150,
		},
		{
			"fieldname": "handover",
			"label": _("Hand-over"),
			"fieldtype": "Link",
			"options": "COD Handover",
			"width": 120,
		},
		{
			"fieldname": "journal_entry",
			"label": _("Journal Entry"),
			"fieldtype": "Link",
			"options": "Journal Entry",
			"width": 150,
		},
	]
