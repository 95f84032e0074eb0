"""Stock Take plans on the site: by zone and by ABC class from ERPNext's Bin and stock ledger; a blind
count never sends book quantities; a plan without its scope is refused with a reason."""

import frappe
import pytest

from tests.bench import builders


def take(**kw):
	from wms_tms.erp import stocktake

	doc = frappe.get_doc(
		{"doctype": "Stock Take", "company": builders.company(), "warehouse": builders.store(), **kw}
	).insert(ignore_permissions=True)
	return stocktake.make_plan(doc.name)


def test_a_zone_plan_lists_the_aisle_and_an_abc_plan_the_class():
	item = builders.item_with_stock(7, bin_name="A2-02-R", price=10)
	zone = take(basis="Zone", zone=2)
	assert zone.status == "Counting"
	assert (builders.bin_warehouse("A2-02-R"), item, 7) in [
		(ln.bin, ln.item_code, ln.book_qty) for ln in zone.lines
	]
	assert all(frappe.db.get_value("Warehouse", ln.bin, "th_wms_aisle") == 2 for ln in zone.lines)
	# an item that never left the store is class C
	c_lines = take(basis="ABC", abc_class="C").lines
	assert item in {ln.item_code for ln in c_lines}


def test_a_blind_count_hides_the_books_and_a_bad_plan_says_why():
	from wms_tms.erp import stocktake

	item = builders.item_with_stock(4, bin_name="A2-02-R", price=10)
	# Administrator holds every role, WMS Picker too: a counter without making a user
	t = take(basis="Item", items=item, blind=1, counter="Administrator")
	data = stocktake.count_data(t.name)
	assert [ln["item_code"] for b in data["bins"] for ln in b["lines"]] == [item]
	assert all("book" not in ln for b in data["bins"] for ln in b["lines"])
	with pytest.raises(frappe.ValidationError, match="Name the items to count"):
		take(basis="Item", items="")
