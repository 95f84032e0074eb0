"""Plan Waves on the site (issue 16): the store's open orders of one territory proposed as a round of
waves for two carts; orders after the cutoff, too big for a cart, without stock in the bins or beyond
the carts are left out with their reason; accepted, each wave becomes a Pick Wave whose Pick List
walks its bins in the order the plan measured, and the orders are not offered again."""

import json
from contextlib import contextmanager

import frappe
import pytest
from frappe.utils import add_days, add_to_date, now_datetime, nowdate, random_string

from tests.bench import builders
from tests.bench.test_marketplace_permissions import user_with


@contextmanager
def as_user(user: str):
	frappe.set_user(user)
	try:
		yield
	finally:
		frappe.set_user("Administrator")


def territory() -> str:
	name = f"Wave Route {random_string(6)}"
	frappe.get_doc(
		{"doctype": "Territory", "territory_name": name, "parent_territory": "All Territories"}
	).insert(ignore_permissions=True)
	return name


def order(area: str, lines: list[tuple[str, float]], days: int = 1, placed=None) -> str:
	cust = builders.customer()
	cust.db_set("territory", area)
	so = frappe.get_doc(
		{
			"doctype": "Sales Order",
			"customer": cust.name,
			"company": builders.company(),
			"selling_price_list": "Wholesale Gold",
			"territory": area,
			"delivery_date": add_days(nowdate(), days),
			"set_warehouse": builders.bin_warehouse("A1-01-L"),
			"items": [{"item_code": i, "qty": q} for i, q in lines],
		}
	)
	so.insert(ignore_permissions=True)
	so.submit()
	if placed:
		so.db_set("creation", placed)
	return so.name


@pytest.fixture
def round_(site):
	"""Nine orders over the store's three aisles, one after the cutoff, one larger than a cart and one
	whose item has no stock in the bins."""
	area = territory()
	near = builders.item_with_stock(60, bin_name="A1-01-L")
	mid = builders.item_with_stock(60, bin_name="A2-02-R")
	far = builders.item_with_stock(60, bin_name="A3-04-L")
	empty = builders.item_with_stock(0)
	orders = {
		"a1": order(area, [(near, 2)], days=0),
		"a2": order(area, [(near, 3), (mid, 1)]),
		"a3": order(area, [(mid, 2)]),
		"a4": order(area, [(far, 2)]),
		"a5": order(area, [(far, 1), (mid, 1)]),
		"a6": order(area, [(near, 4)]),
		"big": order(area, [(far, 15)]),
		"none": order(area, [(empty, 1)]),
	}
	cutoff = now_datetime()
	orders["late"] = order(area, [(near, 1)], placed=add_to_date(cutoff, minutes=10))
	return frappe._dict(area=area, cutoff=str(cutoff), orders=frappe._dict(orders), items=(near, mid, far))


def planner() -> str:
	return user_with("Stock User")


def test_a_round_for_two_carts_leaves_out_orders_with_reasons_and_becomes_pick_lists(round_):
	from wms_tms.erp import wave_planning

	o = round_.orders
	with as_user(planner()):
		plan = frappe.call(
			"wms_tms.api.wave_planning.propose",
			store=builders.store(),
			carts=2,
			units=12,
			cutoff=round_.cutoff,
			territory=round_.area,
		)
	waved = [x["sales_order"] for w in plan["waves"] for x in w["orders"]]
	reasons = {x["sales_order"]: x["reason"] for x in plan["left"]}
	assert reasons == {o.late: "after_cutoff", o.big: "too_big", o.none: "no_stock"}
	assert "after the cutoff" in next(x["detail"] for x in plan["left"] if x["sales_order"] == o.late)
	assert "15 units (a cart holds 12)" in next(
		x["detail"] for x in plan["left"] if x["sales_order"] == o.big
	)
	assert sorted(waved) == sorted([o.a1, o.a2, o.a3, o.a4, o.a5, o.a6])  # 16 units fit two carts
	assert len(plan["waves"]) == 2
	for w in plan["waves"]:
		assert w["units"] <= 12 and not w["over"]
		assert w["distance"] <= w["one_by_one"]
		assert w["units"] == sum(x["units"] for x in w["orders"])
	assert plan["distance"] < plan["one_by_one"]  # the point of waves
	# the most urgent order (due today) is in the first wave
	assert o.a1 in [x["sales_order"] for x in plan["waves"][0]["orders"]]

	# the lead moves an order from the fuller wave into the other: measured again from the site
	waves = [[x["sales_order"] for x in w["orders"]] for w in plan["waves"]]
	src = 0 if plan["waves"][0]["units"] >= plan["waves"][1]["units"] else 1
	mover = waves[src].pop()
	waves[1 - src].append(mover)
	waves = [w for w in waves if w]
	with as_user(planner()):
		moved = frappe.call(
			"wms_tms.api.wave_planning.evaluate", store=builders.store(), units=5, waves=json.dumps(waves)
		)
		assert any(w["over"] == ["units"] for w in moved["waves"])
		with pytest.raises(frappe.ValidationError, match="more than a cart holds"):
			frappe.call(
				"wms_tms.api.wave_planning.accept", store=builders.store(), units=5, waves=json.dumps(waves)
			)
		made = frappe.call(
			"wms_tms.api.wave_planning.accept", store=builders.store(), units=12, waves=json.dumps(waves)
		)
	assert [m["orders"] for m in made] == waves
	for m, w in zip(made, moved["waves"], strict=True):
		wave = frappe.get_doc("Pick Wave", m["wave"])
		assert wave.status == "Picking" and wave.pick_list == m["pick_list"]
		assert sorted(r.sales_order for r in wave.orders) == sorted(x["sales_order"] for x in w["orders"])
		pl = frappe.get_doc("Pick List", m["pick_list"])
		assert {loc.sales_order for loc in pl.locations} == set(m["orders"])
		# rows in the walking order the plan measured
		walk = w["bins"]
		rows = [loc.warehouse for loc in pl.locations]
		assert rows == sorted(rows, key=walk.index)
		assert wave.path_length == pytest.approx(w["distance"], abs=0.1)

	# the waved orders are not offered again; a second accept of them is refused
	again = wave_planning.propose(
		builders.store(), wave_planning.cart_of(10), 2, None, {"territory": round_.area}
	)
	offered = {x["sales_order"] for w in again["waves"] for x in w["orders"]}
	assert offered == {o.late}  # no cutoff now: the late order joins
	with as_user(planner()), pytest.raises(frappe.ValidationError, match="Not open for picking"):
		frappe.call(
			"wms_tms.api.wave_planning.accept", store=builders.store(), units=10, waves=json.dumps([[o.a1]])
		)


def test_orders_beyond_the_carts_wait_for_a_cart(round_):
	from wms_tms.erp import wave_planning

	plan = wave_planning.propose(
		builders.store(), wave_planning.cart_of(units=4), 1, round_.cutoff, {"territory": round_.area}
	)
	assert len(plan["waves"]) == 1 and plan["waves"][0]["units"] <= 4
	waiting = [x for x in plan["left"] if x["reason"] == "no_cart"]
	assert waiting and all("1 cart" in x["detail"] for x in waiting)
	waved = {x["sales_order"] for x in plan["waves"][0]["orders"]}
	everyone = set(round_.orders.values())
	assert waved | {x["sales_order"] for x in plan["left"]} == everyone


def test_a_sales_user_cannot_plan_and_a_cart_needs_a_capacity(round_):
	with as_user(user_with("Sales User")), pytest.raises(frappe.PermissionError):
		frappe.call("wms_tms.api.wave_planning.propose", store=builders.store(), carts=2, units=10)
	with as_user(planner()), pytest.raises(frappe.ValidationError, match="capacity"):
		frappe.call("wms_tms.api.wave_planning.propose", store=builders.store(), carts=2)
	with as_user(planner()), pytest.raises(frappe.ValidationError, match="two waves"):
		o = round_.orders
		frappe.call(
			"wms_tms.api.wave_planning.evaluate",
			store=builders.store(),
			units=10,
			waves=json.dumps([[o.a1], [o.a1]]),
		)
