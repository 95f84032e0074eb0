"""The Channel Order Log shows the order's history of versions on the desk (issue 11, "Desk").

A signed Shopify order is taken in, then changed on the platform (another quantity and a ship-to
street that carries markup) before picking: ERPNext amends the Sales Order. As Administrator the
test opens the order's log and reads, in its History table, each version's time, what changed and
what ERPNext did — the buyer's markup shown as text, never run, and no console error.
"""

import frappe
from frappe.utils import random_string

from omni_channel.erp.orders import process
from tests.bench import builders
from tests.bench.test_marketplace_amend import changed
from tests.bench.test_order_path import post_webhook, shopify_order
from tests.browser.conftest import SHOTS
from tests.browser.test_readme_walkthrough import form_ready

EVIL = '<img src=x onerror="window.__xss=1">'
NOT_RUN = "() => typeof window.__xss === 'undefined'"


def test_the_order_log_shows_its_versions_escaped(desk):
	item = builders.item_with_stock(10, bin_name="A2-03-L", price=12)
	order_id = 870000 + int(random_string(4), 36) % 100000
	payload = shopify_order(order_id, item, 2, "12.00", "2026-11-20T10:05:00+08:00")
	key = post_webhook(payload, webhook_id=f"wh-h-{order_id}")[1]["order"]
	first = process(key)
	post_webhook(
		changed(payload, "2026-11-20T11:30:00+08:00", 3, f"{EVIL} Road 9"), webhook_id=f"wh-h2-{order_id}"
	)
	amended = process(key)
	frappe.db.commit()
	try:
		assert amended and amended != first
		desk.login("Administrator", frappe.conf.get("admin_password") or "admin")
		desk.goto(f"/app/channel-order-log/{key}")
		form_ready(desk, "Channel Order Log")
		grid = desk.page.locator('.frappe-control[data-fieldname="versions"]')
		grid.scroll_into_view_if_needed()
		rows = grid.locator(".grid-body .grid-row")
		assert rows.count() == 2
		text = grid.inner_text()
		assert f"Sales Order {first} created" in text
		assert f"amended to {amended}" in text
		assert "quantity 2 → 3" in text
		assert EVIL in text, "the buyer's markup is shown as the text they typed"
		assert grid.locator("img[src='x']").count() == 0
		desk.page.wait_for_timeout(300)  # an onerror fires once the broken image has failed
		assert desk.page.evaluate(NOT_RUN), "a buyer's script ran in the history"
		desk.assert_clean("Channel Order Log history")
		SHOTS.mkdir(exist_ok=True)
		grid.screenshot(path=str(SHOTS / "order_history_versions.png"))
	finally:
		frappe.db.rollback()
		for so in (amended, first):
			if so and frappe.db.exists("Sales Order", so):
				doc = frappe.get_doc("Sales Order", so)
				if doc.docstatus == 1:
					doc.cancel()
				frappe.delete_doc("Sales Order", so, force=True, ignore_permissions=True)
		frappe.delete_doc("Channel Order Log", key, force=True, ignore_permissions=True)
		frappe.db.commit()
