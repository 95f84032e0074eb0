"""Issue 10, findings 6 and 7 on a real site: what a driver sends is checked before anything is
stored, cash is taken once under a row lock, no user switch; plan_for_wave checks the wave, the RFM
report respects User Permissions, the demo loader refuses a site not said to be a demo."""

import importlib.util
import threading
import time
from pathlib import Path

import frappe
import pytest
from frappe.utils import flt

from tests.bench import builders
from tests.browser import flows


def as_driver(fn, *args, **kwargs):
	frappe.set_user(flows.driver_login()[0])
	try:
		return fn(*args, **kwargs)
	finally:
		frappe.set_user("Administrator")
		frappe.local.uploaded_file = None


def deliver(stop: str, proof: bytes | None = None, **kw):
	from wms_tms.api.driver import deliver as endpoint

	frappe.local.uploaded_file = proof
	frappe.local.uploaded_filename = "pod.png" if proof is not None else None
	return as_driver(endpoint, stop=stop, **{"recipient": "Chen", **kw})


def proofs_of(delivery_note: str) -> int:
	return frappe.db.count(
		"File", {"attached_to_doctype": "Delivery Note", "attached_to_name": delivery_note}
	)


def payments_of(invoice: str) -> int:
	return frappe.db.count("Payment Entry Reference", {"reference_name": invoice, "docstatus": 1})


@pytest.fixture
def job():
	return flows.cod_trip()  # committed: a COD stop on a trip of the demo driver


@pytest.mark.parametrize(
	"proof",
	[b"\x89PNG fake signature", b"<svg onload=alert(1)>", b"GIF89a" + b"\0" * 64],
	ids=["png-magic-only", "svg", "gif-header"],
)
def test_a_proof_that_is_no_image_by_content_is_refused_and_nothing_is_stored(job, proof):
	with pytest.raises(frappe.ValidationError, match="png, jpg, webp"):
		deliver(job.stop, proof, cash_collected=job.owed)
	assert proofs_of(job.delivery_note) == 0
	assert not frappe.db.get_value("Delivery Stop", job.stop, "visited")
	assert payments_of(job.invoice) == 0


def test_a_delivered_stop_stores_no_further_proof(job):
	deliver(job.stop, builders.png(), cash_collected=job.owed)
	assert proofs_of(job.delivery_note) == 1
	pod = frappe.db.get_value("Delivery Stop", job.stop, "th_wms_pod_file")
	assert pod and pod.endswith(".png") and "pod-" in pod, "named by the stop and the image's content"
	for _ in range(3):
		again = deliver(job.stop, builders.png(64, 64), cash_collected=job.owed)
		assert again.already
	assert proofs_of(job.delivery_note) == 1, "no file is stored for a stop already delivered"
	assert payments_of(job.invoice) == 1


@pytest.mark.parametrize("cash", ["nan", "NaN", "inf", "-inf", "Infinity", "-5", "0", "", "abc", "1e309"])
def test_cash_that_is_no_finite_amount_above_zero_is_refused(job, cash):
	with pytest.raises(frappe.ValidationError, match="cash collected"):
		deliver(job.stop, builders.png(), cash_collected=cash)
	assert payments_of(job.invoice) == 0 and proofs_of(job.delivery_note) == 0
	assert not frappe.db.get_value("Delivery Stop", job.stop, "visited")


def test_cash_above_what_is_due_is_refused(job):
	with pytest.raises(frappe.ValidationError, match="cash collected"):
		deliver(job.stop, None, cash_collected=str(job.owed + 0.01))
	assert payments_of(job.invoice) == 0
	result = deliver(job.stop, None, cash_collected=f"{job.owed:.2f}")
	assert (
		result.payment_entry
		and flt(frappe.db.get_value("Payment Entry", result.payment_entry, "paid_amount")) == job.owed
	)


def test_delivering_switches_no_user(job, monkeypatch):
	"""frappe.set_user mid-request wipes the session data and form_dict: the endpoint must not call it."""
	frappe.set_user(flows.driver_login()[0])
	calls = []
	monkeypatch.setattr(frappe, "set_user", lambda user: calls.append(user))
	try:
		from wms_tms.api.driver import deliver as endpoint

		frappe.local.uploaded_file = builders.png()
		frappe.form_dict.marker = "kept"
		endpoint(stop=job.stop, recipient="Chen", cash_collected=job.owed)
		assert calls == []
		assert frappe.session.user == flows.driver_login()[0]
		assert frappe.form_dict.marker == "kept"
	finally:
		monkeypatch.undo()
		frappe.form_dict.pop("marker", None)
		frappe.local.uploaded_file = None
		frappe.set_user("Administrator")
	assert payments_of(job.invoice) == 1


def test_cash_is_taken_once_while_another_request_closes_the_stop(job):
	"""Another request holds the stop's row and closes it; a delivery arriving meanwhile waits for
	the lock, then finds the stop delivered and posts no second payment."""
	site, results = frappe.local.site, []

	def late_delivery():
		frappe.init(site=site, sites_path=".")
		frappe.connect()
		try:
			results.append(deliver(job.stop, builders.png(), cash_collected=job.owed))
			frappe.db.commit()
		except Exception as e:  # asserted on below
			frappe.db.rollback()
			results.append(e)
		finally:
			frappe.destroy()

	frappe.db.sql("select name from `tabDelivery Stop` where name = %s for update", job.stop)
	frappe.db.set_value("Delivery Stop", job.stop, {"visited": 1, "th_wms_recipient": "first request"})
	t = threading.Thread(target=late_delivery)
	t.start()
	time.sleep(3)  # the late delivery reaches the lock and waits
	frappe.db.commit()
	t.join(timeout=60)
	assert len(results) == 1 and not isinstance(results[0], Exception), results
	assert results[0].already
	frappe.db.rollback()
	assert payments_of(job.invoice) == 0
	assert proofs_of(job.delivery_note) == 0
	assert frappe.db.get_value("Delivery Stop", job.stop, "th_wms_recipient") == "first request"


# ---- finding 7


def submitted_order() -> str:
	cust = builders.customer("Gold Dealers")
	item = builders.item_with_stock(10, bin_name="A1-03-L", price=12)
	so = frappe.get_doc(
		{
			"doctype": "Sales Order",
			"customer": cust.name,
			"company": builders.company(),
			"delivery_date": frappe.utils.add_days(frappe.utils.nowdate(), 1),
			"set_warehouse": builders.bin_warehouse("A1-03-L"),
			"items": [{"item_code": item, "qty": 1}],
		}
	)
	so.insert(ignore_permissions=True)
	so.submit()
	return so.name


def system_user(*roles: str) -> str:
	email = f"sec-{frappe.generate_hash(length=8)}@test.local"
	user = frappe.get_doc(
		{
			"doctype": "User",
			"email": email,
			"first_name": "Sec",
			"send_welcome_email": 0,
			"user_type": "System User",
		}
	).insert(ignore_permissions=True)
	user.add_roles(*roles)
	return email


def test_plan_for_wave_needs_rights_on_the_wave():
	from wms_tms.api.trips import plan_for_wave
	from wms_tms.erp import picking

	wave = picking.create_wave(builders.company(), builders.store(), [submitted_order()]).name
	vehicle = builders.DEMO["vehicle"]["license_plate"]
	driver = frappe.db.get_value("Driver", {"th_wms_user": flows.driver_login()[0]})
	delivery_only = system_user("Delivery User")  # may create Delivery Trips, has no right on Pick Wave
	assert frappe.has_permission("Delivery Trip", "create", user=delivery_only)
	frappe.set_user(delivery_only)
	try:
		with pytest.raises(frappe.PermissionError):
			plan_for_wave(wave=wave, vehicle=vehicle, driver=driver)
	finally:
		frappe.set_user("Administrator")
	# with the right on the wave the call goes on (this wave has no Delivery Notes yet)
	frappe.set_user(system_user("Delivery User", "Stock User"))
	try:
		with pytest.raises(frappe.ValidationError, match="no submitted Delivery Notes"):
			plan_for_wave(wave=wave, vehicle=vehicle, driver=driver)
	finally:
		frappe.set_user("Administrator")


def test_the_rfm_report_shows_only_the_customers_a_user_may_see():
	from online_crm.online_crm.report.rfm_segments.rfm_segments import execute

	mine = builders.customer("Silver Dealers", with_address=False).name
	frappe.db.set_value(
		"Customer", mine, {"th_crm_segment": "Champions", "th_crm_churn_risk": "High", "th_crm_monetary": 77}
	)
	others = frappe.db.count("Customer", {"th_crm_segment": ("is", "set"), "name": ("!=", mine)})
	user = system_user("Sales User")
	frappe.get_doc(
		{
			"doctype": "User Permission",
			"user": user,
			"allow": "Customer",
			"for_value": mine,
			"apply_to_all_doctypes": 1,
		}
	).insert(ignore_permissions=True)
	_columns, rows, _msg, chart = execute({})
	assert sum(r.customers for r in rows) == others + 1, "Administrator sees every segmented customer"
	frappe.set_user(user)
	try:
		_columns, rows, _msg, chart = execute({})
	finally:
		frappe.set_user("Administrator")
	assert [(r.segment, r.customers, r.high_risk, flt(r.monetary)) for r in rows] == [("Champions", 1, 1, 77)]
	assert chart["data"]["datasets"][0]["values"] == [1]


def demo_loader():
	path = Path(__file__).resolve().parents[2] / "fixtures" / "demo" / "load.py"
	spec = importlib.util.spec_from_file_location("trade_suite_demo_load", path)
	module = importlib.util.module_from_spec(spec)
	spec.loader.exec_module(module)
	return module


class Loading(Exception):
	pass


def test_the_demo_loader_refuses_a_site_not_said_to_be_a_demo(monkeypatch):
	load = demo_loader()

	def started():
		raise Loading

	monkeypatch.setattr(load, "setup_company", started)
	monkeypatch.setitem(frappe.local.conf, "trade_suite_demo", 0)
	with pytest.raises(SystemExit, match="--demo"):
		load.load()
	with pytest.raises(Loading):
		load.load(demo=True)
	monkeypatch.setitem(frappe.local.conf, "trade_suite_demo", 1)
	with pytest.raises(Loading):
		load.load()
