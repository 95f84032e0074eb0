"""Member import on the site: the parties already known (Customers and their Contacts) by phone,
e-mail and platform id, and the Customers (with their primary Contact) made from a file's rows.

A Customer created with an e-mail or mobile gets ERPNext's own primary Contact
(Customer.create_primary_contact); the platform id is kept in the Customer's Platform Buyer
field (`th_crm_platform_id`, "Taobao:tea_lover").
"""

import frappe
from frappe import _

from online_crm.core.members import FileError, Outcome, keys_of, norm_email, norm_phone, plan, read_table


def existing_keys() -> dict[str, str]:
	"""Dedupe key → Customer, from Customers and from Contacts linked to a Customer."""
	out: dict[str, str] = {}

	def add(key_list, customer):
		for k in key_list:
			out.setdefault(k, customer)

	for c in frappe.get_all("Customer", fields=["name", "email_id", "mobile_no", "th_crm_platform_id"]):
		platform, _sep, ident = (c.th_crm_platform_id or "").partition(":")
		add(keys_of(norm_phone(c.mobile_no or ""), norm_email(c.email_id or ""), platform, ident), c.name)
	for email, customer in frappe.db.sql(
		"""select ce.email_id, dl.link_name from `tabContact Email` ce
		join `tabDynamic Link` dl on dl.parent = ce.parent and dl.parenttype = 'Contact'
		where dl.link_doctype = 'Customer'"""
	):
		add(keys_of(None, norm_email(email or "")), customer)
	for phone, customer in frappe.db.sql(
		"""select cp.phone, dl.link_name from `tabContact Phone` cp
		join `tabDynamic Link` dl on dl.parent = cp.parent and dl.parenttype = 'Contact'
		where dl.link_doctype = 'Customer'"""
	):
		add(keys_of(norm_phone(phone or ""), None), customer)
	return out


def _create(o: Outcome, customer_group: str | None, territory: str | None) -> str:
	selling = frappe.get_cached_doc("Selling Settings")
	c = frappe.get_doc(
		{
			"doctype": "Customer",
			"customer_name": o.name,
			"customer_type": "Individual",
			"customer_group": customer_group or selling.customer_group or "All Customer Groups",
			"territory": territory or selling.territory or "All Territories",
			"email_id": o.email or None,
			"mobile_no": o.phone or None,
			"th_crm_platform_id": f"{o.platform}:{o.platform_id}" if o.platform_id else None,
		}
	)
	c.insert()
	return c.name


def import_file(doc) -> None:
	"""Read the attached file, create its new members, explain every other row on the document."""
	file = frappe.get_doc("File", {"file_url": doc.import_file})
	file.check_permission("read")
	doc.results = []
	try:
		with open(file.get_full_path(), "rb") as f:  # File.get_content decodes text as UTF-8 only
			content = f.read()
		rows = read_table(file.file_name or doc.import_file, content)
	except FileError as e:
		doc.status, doc.error = "Failed", _("The file cannot be imported: {0}").format(str(e))
		return
	outcomes = plan(rows, existing_keys())
	counts = {"create": 0, "duplicate": 0, "reject": 0}
	for o in outcomes:
		customer = None
		if o.action == "create":
			frappe.db.savepoint("crm_member")
			try:
				customer = _create(o, doc.customer_group, doc.territory)
			except frappe.ValidationError as e:
				frappe.db.rollback(save_point="crm_member")
				frappe.clear_last_message()
				o.action, o.reason = (
					"reject",
					_("refused by ERPNext: {0}").format(frappe.utils.strip_html(str(e)))[:500],
				)
		elif o.action == "duplicate" and not o.duplicate_of.startswith("row "):
			customer = o.duplicate_of
		counts[o.action] += 1
		doc.append(
			"results",
			{
				"row_no": o.row,
				"outcome": {"create": "Created", "duplicate": "Duplicate", "reject": "Rejected"}[o.action],
				"member_name": o.name,
				"reason": _translate_reason(o.reason),
				"customer": customer,
			},
		)
	# rows not imported first, in file order: what a person has to look at
	doc.results.sort(key=lambda r: (r.outcome == "Created", r.row_no))
	for i, r in enumerate(doc.results, start=1):
		r.idx = i
	doc.total_rows = len(outcomes)
	doc.created_count, doc.duplicate_count, doc.rejected_count = (
		counts["create"],
		counts["duplicate"],
		counts["reject"],
	)
	doc.status, doc.error = "Imported", None


def _translate_reason(reason: str) -> str:
	"""core.members writes English reasons; the fixed ones are translated, details kept."""
	import re

	for pattern, template in (
		(r"^same (phone|e-mail|platform id) as row (\d+)$", "Same {0} as row {1}"),
		(
			r"^already on the site as (.+) \(same (phone|e-mail|platform id)\)$",
			"Already a customer: {0} (same {1})",
		),
	):
		m = re.match(pattern, reason)
		if m:
			args = [_(a) if a in ("phone", "e-mail", "platform id") else a for a in m.groups()]
			return _(template).format(*args)
	fixed = {
		"no name": _("No name"),
		"a platform id without its platform": _("A platform id without its platform"),
		"no phone, e-mail or platform id to recognise the member by": _(
			"No phone, e-mail or platform id to recognise the member by"
		),
	}
	if reason in fixed:
		return fixed[reason]
	m = re.match(
		r"^the (phone|e-mail) (.+) is not (?:a phone number \(7 to 15 digits\)|an e-mail address)$", reason
	)
	if m:
		return (
			_("The phone {0} is not a phone number (7 to 15 digits)")
			if m.group(1) == "phone"
			else _("The e-mail {0} is not an e-mail address")
		).format(m.group(2))
	return reason
