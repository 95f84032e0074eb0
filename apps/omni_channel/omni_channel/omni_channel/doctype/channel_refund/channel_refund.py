"""A marketplace refund as the signed webhook delivered it. People only record what each returned
line was inspected as (`condition`); everything else came from the platform or from booking, and
no role may rewrite it (not through the desk, not through PUT /api/resource)."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cstr, flt

FROM_PLATFORM = ("shop", "order_log", "refund_id", "amount", "reason", "payload")
FROM_BOOKING = ("status", "credit_note", "stock_return", "notes", "error")
LINE_FROM_PLATFORM = ("external_line_id", "item_code", "qty", "shipped", "restock")
LINE_FROM_BOOKING = ("action", "warehouse")


def same(a, b) -> bool:
	if isinstance(a, (int, float)) or isinstance(b, (int, float)):
		return flt(a) == flt(b)
	return cstr(a) == cstr(b)


class ChannelRefund(Document):
	def validate(self):
		if self.is_new() or self.flags.booking:
			return
		before = self.get_doc_before_save()
		if before is None:
			return
		changed = [f for f in FROM_PLATFORM + FROM_BOOKING if not same(before.get(f), self.get(f))]
		old_lines = {row.name: row for row in before.lines}
		if {row.name for row in self.lines} != set(old_lines):
			changed.append("lines")
		for row in self.lines:
			old = old_lines.get(row.name)
			if old is None:
				continue
			fields = LINE_FROM_PLATFORM + LINE_FROM_BOOKING
			if before.status == "Booked":
				fields += ("condition",)
			changed += [f"lines.{f}" for f in fields if not same(old.get(f), row.get(f))]
		if changed:
			frappe.throw(
				_(
					"Only the inspected condition of a returned line can be set, and only before booking; {0} may not be changed."
				).format(", ".join(sorted(set(changed)))),
				frappe.PermissionError,
			)
