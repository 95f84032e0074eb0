"""Issue 16, settlement files in the desk: an Accounts User imports a Stripe payout file from the
Channel Settlement list's "Import Settlement File" button and sees its lines and what did not match."""

import random
from pathlib import Path

import frappe

from tests.browser.conftest import PASSWORD, SHOTS, desk_user

SAMPLE = (
	Path(__file__).resolve().parents[1]
	/ "unit/omni_channel/settlement_files/stripe_payout_reconciliation.csv"
)


def test_an_accountant_imports_a_payout_file_and_sees_its_lines(desk):
	from tests.bench.builders import DEMO

	shop = DEMO["channel_shop"]["shop_name"]
	user = desk_user("Accounts User")
	run = random.randint(10**8, 9 * 10**8)
	payout = f"po_{run}"
	csv = (
		SAMPLE.read_text()
		.replace("usd", "cny")
		.replace("po_1QhT7kLm2nOpQr3s", payout)
		.replace("4101", str(run))
		.replace("4102", str(run + 1))
	)

	desk.login(user, PASSWORD)
	page = desk.page
	desk.route("/app/channel-settlement")
	page.locator(".page-actions button:visible", has_text="Import Settlement File").click()
	dialog = page.locator(".modal.show", has_text="Import Settlement File")
	dialog.wait_for()
	# Frappe names the dialog cur_dialog once its opening transition ends
	page.wait_for_function("() => window.cur_dialog && cur_dialog.fields_dict.file_format")
	page.evaluate("v => cur_dialog.set_value('shop', v)", shop)
	# the link's suggestion list would cover the Attach button: click away from it (Escape would
	# close the dialog)
	dialog.locator(".modal-title").click()
	page.wait_for_function(
		"() => cur_dialog && cur_dialog.get_value('file_format')"
	)  # from the shop's platform
	page.evaluate("() => cur_dialog.set_value('file_format', 'stripe')")
	dialog.locator('.frappe-control[data-fieldname="file_url"] .btn-attach').click()
	uploader = page.locator(".modal.show", has_text="Upload")
	uploader.wait_for()
	uploader.locator('input[type="file"]').set_input_files(
		files=[{"name": f"payout-{run}.csv", "mimeType": "text/csv", "buffer": csv.encode()}]
	)
	with page.expect_response(lambda r: "upload_file" in r.url):
		uploader.locator(".btn-modal-primary").click()
	dialog.locator('.frappe-control[data-fieldname="file_url"] a', has_text=".csv").wait_for()
	with page.expect_response(lambda r: "import_file" in r.url) as answer:
		dialog.locator(".btn-modal-primary").click()
	assert answer.value.status == 200
	name = answer.value.json()["message"]["name"]
	try:
		page.wait_for_url(f"**/app/channel-settlement/{name}")
		desk.desk_ready()
		grid = page.locator('.frappe-control[data-fieldname="lines"] .grid-body')
		grid.locator(".grid-row", has_text="refund").first.wait_for()
		rows = grid.locator(".grid-row").all_inner_texts()
		assert sum(1 for r in rows if str(run) in r and "sale" in r) == 1, rows
		assert any(str(run) in r and "refund" in r and "20.00" in r for r in rows), rows
		variances = page.locator('.frappe-control[data-fieldname="variances"]')
		assert f"{run} is not an invoiced order" in variances.inner_text()
		assert page.locator(".page-actions button:visible", has_text="Post to Ledger").count() == 1
		page.screenshot(path=str(SHOTS / "settlement_import.png"), full_page=True)
		desk.assert_clean("settlement import")
	finally:
		frappe.db.rollback()
		frappe.delete_doc("Channel Settlement", name, force=True, ignore_permissions=True)
		frappe.db.commit()
