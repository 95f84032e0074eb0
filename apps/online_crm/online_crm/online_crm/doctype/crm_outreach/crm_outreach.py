import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt
from frappe.utils.background_jobs import is_job_enqueued

from online_crm.core.outreach import MessageError, check_template
from online_crm.erp import outreach
from online_crm.erp.messaging import means_ready

FROZEN = (
	"segments",
	"tags",
	"sales_channel",
	"holdout_percent",
	"send_by",
	"subject",
	"message",
	"give_coupon",
	"pricing_rule",
	"coupon_mode",
)


class CRMOutreach(Document):
	def validate(self):
		if not 0 <= flt(self.holdout_percent) < 100:
			frappe.throw(_("The hold-out must be at least 0% and less than 100%."))
		if not self.is_new() and self.status != "Draft":
			changed = [f for f in FROZEN if self.has_value_changed(f)]
			if changed:
				frappe.throw(
					_(
						"This outreach has been sent: {0} can no longer change. Copy it to send another."
					).format(", ".join(_(self.meta.get_label(f)) for f in changed))
				)
		html = self.send_by != "SMS"
		for field, text in (("subject", self.subject or ""), ("message", self.message or "")):
			try:
				check_template(text, html=html and field == "message")
			except MessageError as e:
				frappe.throw(
					_("The {0} cannot be rendered: {1}").format(_(self.meta.get_label(field)), str(e))
				)
		if self.give_coupon:
			if not self.pricing_rule:
				frappe.throw(_("Choose the Pricing Rule the coupon gives."))
			if not frappe.db.get_value("Pricing Rule", self.pricing_rule, "coupon_code_based"):
				frappe.throw(_("Pricing Rule {0} is not Coupon Code Based.").format(self.pricing_rule))

	def job_id(self) -> str:
		return f"crm-outreach::{self.name}"

	@frappe.whitelist()
	def send(self) -> str:
		"""Start (or resume) sending in the background."""
		self.check_permission("write")
		if self.status == "Sent":
			frappe.throw(_("This outreach has been sent already."))
		if self.status in ("Queued", "Sending") and is_job_enqueued(self.job_id()):
			frappe.throw(_("This outreach is being sent."))
		missing = means_ready(self.send_by)
		if missing:
			frappe.throw(missing)
		self.db_set("status", "Queued")
		outreach.enqueue(self)
		return self.status
