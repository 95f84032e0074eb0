"""Tags on the Customer: auto-tags written with the scores, manual tags kept, lists and the RFM
report filtered by tag, the R×F heat map adding up to the report."""

import frappe
from frappe.desk.doctype.tag.tag import add_tag
from frappe.utils import add_days, getdate, nowdate

from tests.bench import builders
from tests.bench.test_rfm_on_site import invoice


def channel(si_name: str, value: str) -> None:
	frappe.db.set_value("Sales Invoice", si_name, "th_channel", value, update_modified=False)


def tags(customer: str) -> set[str]:
	return {t for t in (frappe.db.get_value("Customer", customer, "_user_tags") or "").split(",") if t}


def test_recompute_writes_auto_tags_keeps_manual_ones_and_filters_by_tag():
	from online_crm.erp.rfm import full_run, rescore_customers
	from online_crm.online_crm.report.rfm_segments.rfm_segments import execute

	item = builders.item_with_stock(0, price=10)
	big, small = (builders.customer("Silver Dealers", with_address=False).name for _ in range(2))
	channel(invoice(big, item, 300, 85), "B2B Portal")
	channel(invoice(big, item, 300, 5), "Shopify:Test Shop")
	invoice(small, item, 1, 100)  # typed in the desk
	frappe.db.set_value("Customer", big, "territory", "All Territories")
	add_tag("VIP", "Customer", big)  # a desk user's manual tag
	first = getdate(add_days(nowdate(), -85))

	full_run(getdate(nowdate()))
	seg = frappe.db.get_value("Customer", big, "th_crm_segment")
	assert tags(big) == {
		"VIP",
		f"segment:{seg}",
		"channel:B2B Portal",
		"channel:Shopify",
		"spend:5k-20k",  # 2 × 300 × 10
		f"first:{first.year:04d}-{first.month:02d}",
	}
	assert "spend:<1k" in tags(small) and "channel:Desk" in tags(small)
	# the form's tag box reads Tag Link: the auto-tags are there too
	linked = set(frappe.get_all("Tag Link", {"document_type": "Customer", "document_name": big}, pluck="tag"))
	assert linked == tags(big)

	# a recompute keeps the manual tag and moves the spend band
	channel(invoice(big, item, 1500, 1), "B2B Portal")
	rescore_customers([big])
	assert "VIP" in tags(big) and "spend:20k+" in tags(big) and "spend:5k-20k" not in tags(big)
	assert "spend:5k-20k" not in set(
		frappe.get_all("Tag Link", {"document_type": "Customer", "document_name": big}, pluck="tag")
	)

	# the list's own tag filter and the report's tag filter
	assert frappe.get_list(
		"Customer", filters={"_user_tags": ("like", "%,VIP%"), "name": ("in", [big, small])}, pluck="name"
	) == [big]
	_cols, rows, heat, _chart = execute({"tag": "VIP"})
	vip = frappe.db.count("Customer", {"_user_tags": ("like", "%,VIP%"), "th_crm_segment": ("is", "set")})
	assert sum(r.customers for r in rows) == vip
	assert 'data-parties="' in heat


def test_heat_map_cells_add_up_to_the_report():
	from online_crm.online_crm.report.rfm_segments.rfm_segments import execute, rf_grid

	_cols, rows, heat, _chart = execute({})
	grid = rf_grid({"th_crm_segment": ("is", "set")}, None)
	assert sum(n for n, _v in grid.values()) == sum(r.customers for r in rows)
	# every one of the 25 cells is drawn, the busiest with the deepest colour
	assert heat.count('class="rfm-cell') == 25
	if grid:
		(r, f), _ = max(grid.items(), key=lambda kv: kv[1][1])
		assert f'data-r="{r}" data-f="{f}" data-parties="{grid[(r, f)][0]}"' in heat
		assert "rgb(29, 78, 216)" in heat
