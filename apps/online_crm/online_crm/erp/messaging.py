"""How online_crm reaches a party: e-mail through Frappe's Email Queue, SMS through ERPNext's SMS
Settings, and a note on the order. None of the platform connections (Shopify, Taobao,
WooCommerce in omni_channel/channels) offers a call that messages a buyer, so marketplace buyers
are reached by SMS or e-mail as well.
"""

import frappe
from frappe import _
from frappe.utils import escape_html


class SendError(Exception):
	"""A message that could not be handed over: the reason is for a person."""


def customer_contact(customer: str) -> tuple[str, str]:
	"""(e-mail, mobile) of a customer: the Customer's primary contact, else any linked Contact."""
	email, mobile = frappe.db.get_value("Customer", customer, ["email_id", "mobile_no"]) or ("", "")
	if email and mobile:
		return email, mobile
	for c in frappe.db.sql(
		"""select c.email_id, coalesce(nullif(c.mobile_no, ''), c.phone) from `tabContact` c
		join `tabDynamic Link` dl on dl.parent = c.name and dl.parenttype = 'Contact'
		where dl.link_doctype = 'Customer' and dl.link_name = %s
		order by c.is_primary_contact desc, c.creation""",
		customer,
	):
		email, mobile = email or c[0] or "", mobile or c[1] or ""
	return email or "", mobile or ""


def html_body(text: str) -> str:
	"""A message typed as plain lines becomes paragraphs; a message with markup is kept."""
	if "<" in text and ">" in text:
		return text
	return "".join(f"<p>{line}</p>" for line in text.split("\n") if line.strip()) or "<p></p>"


def send_email(recipient: str, subject: str, html: str, reference_doctype: str, reference_name: str) -> None:
	"""Queued in the Email Queue in the caller's transaction: it goes out only if that commits."""
	try:
		frappe.sendmail(
			recipients=[recipient],
			subject=subject,
			message=html,
			reference_doctype=reference_doctype,
			reference_name=reference_name,
			delayed=True,
		)
	except (frappe.ValidationError, frappe.OutgoingEmailError) as e:
		raise SendError(str(e) or _("the e-mail could not be queued")) from None


def email_ready() -> bool:
	"""A default outgoing Email Account exists (frappe.sendmail refuses without one)."""
	from frappe.email.doctype.email_account.email_account import EmailAccount

	return bool(EmailAccount.find_outgoing())


def means_ready(send_by: str) -> str | None:
	"""Why nothing could be sent with this choice of means, or None when something can."""
	email = send_by != "SMS" and email_ready()
	sms = send_by != "E-mail" and sms_ready()
	if email or sms:
		return None
	if send_by == "SMS":
		return _("Set up an SMS gateway in SMS Settings first.")
	if send_by == "E-mail":
		return _("Set up a default outgoing Email Account first (Settings > Email Account).")
	return _("Set up an SMS gateway in SMS Settings or a default outgoing Email Account first.")


def sms_ready() -> bool:
	return bool(frappe.db.get_single_value("SMS Settings", "sms_gateway_url"))


def send_sms(number: str, text: str) -> None:
	"""Through ERPNext's SMS Settings gateway; refused with a reason when none is set up."""
	if not sms_ready():
		raise SendError(_("SMS Settings has no SMS gateway URL"))
	from frappe.core.doctype.sms_settings.sms_settings import send_sms as gateway

	try:
		gateway([number], text, success_msg=False)
	except Exception as e:  # the gateway's HTTP errors come in many kinds
		raise SendError(_("the SMS gateway refused: {0}").format(str(e)[:200])) from None


def note_on(doctype: str, name: str, text: str) -> None:
	"""A Comment on the order or invoice, shown in its timeline (the text is escaped)."""
	frappe.get_doc(
		{
			"doctype": "Comment",
			"comment_type": "Comment",
			"reference_doctype": doctype,
			"reference_name": name,
			"content": escape_html(text),
			"comment_email": "Administrator",
			"comment_by": _("Online CRM"),
		}
	).insert(ignore_permissions=True)
