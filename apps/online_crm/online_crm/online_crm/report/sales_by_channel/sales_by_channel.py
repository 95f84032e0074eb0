"""Sales by channel (portal, desk, each marketplace shop), by region (Territory), by brand or by
Item Group, over a period: submitted Sales Invoices net of credit notes, how many invoices and
buyers, and each group's share, with a chart. Every channel's sales are ERPNext Sales Invoices, so
this is read from the ledger's own documents, never from a copy. For those who read Sales Invoices (Accounts
User and Manager), as ERPNext allows."""

import frappe
from frappe import _
from frappe.utils import add_months, flt, getdate, nowdate

GROUPS = {  # group by → (SQL of the group, needs the invoice lines)
	"Channel": ("coalesce(nullif(si.th_channel, ''), 'Desk')", False),
	"Territory": ("coalesce(nullif(si.territory, ''), %(none)s)", False),
	"Brand": ("coalesce(nullif(sii.brand, ''), %(none)s)", True),
	"Item Group": ("coalesce(nullif(sii.item_group, ''), %(none)s)", True),
}


def execute(filters=None):
	filters = frappe._dict(filters or {})
	frappe.has_permission("Sales Invoice", "read", throw=True)
	group_by = filters.group_by if filters.group_by in GROUPS else "Channel"
	to_date = getdate(filters.to_date or nowdate())
	from_date = getdate(filters.from_date or add_months(to_date, -12))
	if from_date > to_date:
		frappe.throw(_("From Date must be before To Date."))
	expr, by_line = GROUPS[group_by]
	values = {"from_date": from_date, "to_date": to_date, "none": _("Not Set")}
	company = "and si.company = %(company)s" if filters.company else ""
	values["company"] = filters.company
	if by_line:
		rows = frappe.db.sql(
			f"""select {expr} as grp,
				count(distinct case when si.is_return = 0 then si.name end) as invoices,
				count(distinct case when si.is_return = 0 then si.customer end) as customers,
				sum(sii.base_net_amount) as net_sales
			from `tabSales Invoice Item` sii join `tabSales Invoice` si on si.name = sii.parent
			where si.docstatus = 1 and si.posting_date between %(from_date)s and %(to_date)s {company}
			group by grp order by net_sales desc""",
			values,
			as_dict=True,
		)
	else:
		rows = frappe.db.sql(
			f"""select {expr} as grp,
				sum(si.is_return = 0) as invoices,
				count(distinct case when si.is_return = 0 then si.customer end) as customers,
				sum(si.base_net_total) as net_sales
			from `tabSales Invoice` si
			where si.docstatus = 1 and si.posting_date between %(from_date)s and %(to_date)s {company}
			group by grp order by net_sales desc""",
			values,
			as_dict=True,
		)
	total = sum(flt(r.net_sales) for r in rows)
	data = [
		{
			"group": r.grp,
			"invoices": int(r.invoices or 0),
			"customers": int(r.customers or 0),
			"net_sales": flt(r.net_sales, 2),
			"share": flt(100 * flt(r.net_sales) / total, 1) if total else 0,
		}
		for r in rows
	]
	columns = [
		{"fieldname": "group", "label": _(group_by), "fieldtype": "Data", "width": 220},
		{"fieldname": "invoices", "label": _("Invoices"), "fieldtype": "Int", "width": 100},
		{"fieldname": "customers", "label": _("Buyers"), "fieldtype": "Int", "width": 100},
		{"fieldname": "net_sales", "label": _("Net Sales"), "fieldtype": "Currency", "width": 160},
		{"fieldname": "share", "label": _("Share %"), "fieldtype": "Percent", "width": 100},
	]
	chart = {
		"data": {
			"labels": [d["group"] for d in data],
			"datasets": [{"name": _("Net Sales"), "values": [d["net_sales"] for d in data]}],
		},
		"type": "bar",
		"fieldtype": "Currency",
	}
	# over the whole period, not summed over groups: an invoice or buyer may fall in several brands
	invoices, buyers = frappe.db.sql(
		f"""select count(distinct si.name), count(distinct si.customer) from `tabSales Invoice` si
		where si.docstatus = 1 and si.is_return = 0 and si.posting_date between %(from_date)s and %(to_date)s
		{company}""",
		values,
	)[0]
	summary = [
		{"value": total, "label": _("Net Sales"), "datatype": "Currency", "indicator": "Blue"},
		{"value": invoices, "label": _("Invoices"), "datatype": "Int"},
		{"value": buyers, "label": _("Buyers"), "datatype": "Int", "indicator": "Green"},
	]
	return columns, data, None, chart, summary
