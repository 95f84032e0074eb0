"""Each action a driver's phone sends carries an idempotency key: the first request with a key acts
and stores its result under the key (Driver Action); a resend finds it and returns that result.

The key's row is inserted before the action runs, in the same transaction: a resend arriving while
the first is still at work waits on the row's unique name, then finds it taken and reads the result
the first one committed. If the action fails, its row rolls back with it, so the phone may retry.
"""

import json

import frappe
from frappe import _

from wms_tms.core.errors import WmsInputError
from wms_tms.core.idempotency import record_name


def once(key: str | None, action: str, stop: str, run) -> dict:
	"""run() once per (user, key); later calls with that key get the first result, marked replayed."""
	if not key:
		return run()
	user = frappe.session.user
	try:
		name = record_name(user, key)
	except WmsInputError:
		frappe.throw(_("The action key must be 8 to 64 letters, digits, - or _."))
	now = frappe.utils.now()
	try:
		# not Document.db_insert: for a doctype named by hash, that retries a taken name with a new one
		frappe.db.sql(
			"""insert into `tabDriver Action` (name, creation, modified, owner, modified_by, user, action, stop)
			values (%s, %s, %s, %s, %s, %s, %s, %s)""",
			(name, now, now, user, user, user, action, stop),
		)
	except Exception as e:
		if not frappe.db.is_primary_key_violation(e):
			raise
		# a locking read: the first request's committed row, not this transaction's older snapshot
		first = frappe.db.get_value(
			"Driver Action", name, ["action", "stop", "result"], as_dict=True, for_update=True
		)
		if not first or first.action != action or first.stop != stop:
			frappe.throw(_("This action key was already used for another action."))
		result = frappe._dict(json.loads(first.result or "{}"))
		result.replayed = True
		return result
	result = run()
	frappe.db.set_value(
		"Driver Action", name, "result", json.dumps(result, default=str), update_modified=False
	)
	return result
