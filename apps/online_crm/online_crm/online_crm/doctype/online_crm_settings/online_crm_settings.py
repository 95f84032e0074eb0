import json

import frappe
from frappe import _
from frappe.model.document import Document

from online_crm.core.rfm import SEGMENTS, rules_from_data


class OnlineCRMSettings(Document):
	def validate(self):
		self.check_segment_rules()

	def check_segment_rules(self):
		if self.segment_rules:
			try:
				rules_from_data(json.loads(self.segment_rules))
			except ValueError as e:
				frappe.throw(_("Segment Rules: {0}").format(str(e)))

	def rules(self):
		return rules_from_data(json.loads(self.segment_rules)) if self.segment_rules else SEGMENTS
