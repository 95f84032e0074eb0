"""Vehicle routes: capacity, time windows, shifts — every stop served inside its window or reported."""

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.wms_tms.factories import StopFactory, VehicleFactory
from wms_tms.core.errors import WmsInputError
from wms_tms.core.routing import Stop, TravelMatrix, Vehicle, haversine_m, plan

DEPOT = (23.10, 113.30)


def test_haversine_matches_a_known_distance():
	# one degree of latitude is about 111.2 km anywhere
	assert haversine_m((23.0, 113.0), (24.0, 113.0)) == pytest.approx(111_195, rel=1e-3)


def test_a_single_stop_route_goes_there_and_back_on_the_road_factor():
	stop = StopFactory(lat=23.11, lng=113.30)
	result = plan(DEPOT, [stop], [VehicleFactory()], road_factor=1.3, speed_kmh=30, seconds=0.2)
	(route,) = result.routes
	leg = haversine_m(DEPOT, (23.11, 113.30)) * 1.3
	assert route.distance_m == pytest.approx(2 * leg, rel=1e-6)
	assert route.visits[0].arrival == pytest.approx(leg / 500, abs=0.05)  # 30 km/h = 500 m a minute


def test_a_stop_too_heavy_for_every_vehicle_is_reported_with_the_reason():
	result = plan(DEPOT, [StopFactory(id="BIG", weight=5000)], [VehicleFactory(max_weight=1500)], seconds=0.2)
	assert result.routes == [] and "5000 kg" in result.unserved["BIG"]


def test_a_window_that_closes_before_arrival_is_reported():
	far = StopFactory(id="LATE", lat=23.60, lng=113.30, window=(0, 5))
	result = plan(DEPOT, [far], [VehicleFactory()], seconds=0.2)
	assert "window" in result.unserved["LATE"]


def test_capacity_splits_stops_across_vehicles():
	stops = [StopFactory(weight=400) for _ in range(5)]
	result = plan(
		DEPOT,
		stops,
		[VehicleFactory(max_weight=1000), VehicleFactory(max_weight=1000), VehicleFactory(max_weight=1000)],
		seconds=0.5,
	)
	assert not result.unserved
	assert all(r.weight <= 1000 for r in result.routes)
	assert sorted(v.stop for r in result.routes for v in r.visits) == sorted(s.id for s in stops)


@pytest.mark.parametrize(
	"stops, vehicles, record",
	[
		([Stop("NOGEO", None, 113.3)], [Vehicle("V", 100)], "NOGEO"),
		([Stop("NEG", 23.1, 113.3, weight=-1)], [Vehicle("V", 100)], "NEG"),
		([Stop("WIN", 23.1, 113.3, window=(60, 30))], [Vehicle("V", 100)], "WIN"),
		([Stop("OK", 23.1, 113.3)], [Vehicle("ZERO", 0)], "ZERO"),
		([Stop("OK", 23.1, 113.3)], [], "vehicles"),
	],
)
def test_bad_input_names_the_record(stops, vehicles, record):
	with pytest.raises(WmsInputError) as e:
		plan(DEPOT, stops, vehicles, seconds=0.1)
	assert e.value.record == record


windows = st.one_of(
	st.none(), st.tuples(st.integers(0, 300), st.integers(0, 300)).map(lambda t: (min(t), max(t) + 30))
)


@settings(max_examples=15, deadline=None)
@given(
	st.lists(
		st.tuples(st.floats(23.05, 23.15), st.floats(113.25, 113.35), st.integers(10, 600), windows),
		min_size=1,
		max_size=8,
	),
	st.integers(1, 3),
)
def test_every_stop_is_served_in_its_window_within_capacity_or_reported(raw, n_vehicles):
	stops = [
		Stop(f"S{i}", lat, lng, weight=w, window=win, service=5) for i, (lat, lng, w, win) in enumerate(raw)
	]
	vehicles = [Vehicle(f"V{i}", 1000, shift=8 * 60) for i in range(n_vehicles)]
	result = plan(DEPOT, stops, vehicles, seconds=0.1)
	served = [v for r in result.routes for v in r.visits]
	assert sorted([v.stop for v in served] + list(result.unserved)) == sorted(s.id for s in stops)
	by_id = {s.id: s for s in stops}
	for r in result.routes:
		assert r.weight <= 1000 + 1e-9
		for v in r.visits:
			w = by_id[v.stop].window
			if w:
				assert w[0] - 1e-6 <= v.start <= w[1] + 1e-6


def test_cvrp_on_a_matrix_is_optimal_on_a_small_case_and_respects_the_fleet():
	from wms_tms.core.routing import solve_cvrp

	# depot 0 and four customers on a line: two trucks of 10, demands 6, 5, 5, 4 → {1,4}, {2,3}
	pos = [0, 1, 2, 3, 4]
	d = [[abs(a - b) * 10 for b in pos] for a in pos]
	routes, cost = solve_cvrp(d, [0, 6, 5, 5, 4], 10, 2, seconds=0.2)
	assert sorted(sorted(r) for r in routes) == [[1, 4], [2, 3]]
	assert cost == 2 * 40 + 2 * 30
	with pytest.raises(WmsInputError, match="node 1"):
		solve_cvrp(d, [0, 11, 1, 1, 1], 10, 2, seconds=0.1)


def test_each_vehicle_serves_from_its_own_depot():
	north, south = (23.30, 113.30), (22.90, 113.30)
	stops = [
		StopFactory(id="N1", lat=23.31, lng=113.30),
		StopFactory(id="N2", lat=23.29, lng=113.31),
		StopFactory(id="S1", lat=22.91, lng=113.30),
	]
	vans = [VehicleFactory(id="VAN-N", depot=0), VehicleFactory(id="VAN-S", depot=1)]
	result = plan(north, stops, vans, seconds=0.3, extra_depots=[south])
	served_by = {v.stop: r.vehicle for r in result.routes for v in r.visits}
	assert served_by == {"N1": "VAN-N", "N2": "VAN-N", "S1": "VAN-S"}
	with pytest.raises(WmsInputError) as e:
		plan(north, stops, [VehicleFactory(id="LOST", depot=3)], seconds=0.1)
	assert e.value.record == "LOST"


# ---- supplied matrix, heterogeneous fleet, volume, shifts: checked against hand sums and brute force ----


def line_matrix(positions_km: list[float]) -> TravelMatrix:
	"""Points on a straight road (depot first); 1 km takes 2 minutes."""
	metres = [[abs(a - b) * 1000 for b in positions_km] for a in positions_km]
	return TravelMatrix(metres, [[m / 500 for m in row] for row in metres])


def test_a_supplied_matrix_gives_the_etas_a_dispatcher_would_work_out_by_hand():
	"""Depot at km 0, stops at km 2, 5, 6, 1 km = 2 minutes, 5 minutes at each stop. The windows
	leave one order: A must be served by minute 10 (any stop before it arrives later), C not before
	60, so B (40-60) comes between. By hand, leaving as late as A allows (minute 6):
	A 6+4 = 10, served 10-15; B 15+6 = 21, waits for 40, served 40-45; C 45+2 = 47, waits for 60,
	served 60-65; back 65+12 = 77. 2 + 3 + 1 + 6 = 12 km."""
	stops = [
		Stop("A", None, None, window=(0, 10), service=5),
		Stop("B", None, None, window=(40, 60), service=5),
		Stop("C", None, None, window=(60, 70), service=5),
	]
	result = plan(None, stops, [Vehicle("V", 100)], matrix=line_matrix([0, 2, 5, 6]), seconds=0.3)
	(route,) = result.routes
	assert result.unserved == {}
	assert [(v.stop, v.arrival, v.start, v.departure, v.distance_m) for v in route.visits] == pytest.approx(
		[("A", 10, 10, 15, 2000), ("B", 21, 40, 45, 3000), ("C", 47, 60, 65, 1000)]
	)
	assert (route.depart, route.back, route.distance_m) == pytest.approx((6, 77, 12_000))


def test_etas_on_a_free_order_follow_the_matrix_whatever_order_the_solver_picks():
	"""Without forcing windows several orders tie at 12 km; whichever comes back, its times are
	recomputed here from the matrix by a plain walk (travel, wait for the window, serve)."""
	positions = [0, 2, 5, 6]
	stops = [
		Stop("A", None, None, window=None, service=5),
		Stop("B", None, None, window=(40, 60), service=5),
		Stop("C", None, None, window=None, service=5),
	]
	(route,) = plan(None, stops, [Vehicle("V", 100)], matrix=line_matrix(positions), seconds=0.3).routes
	where = {"A": 2, "B": 5, "C": 6}
	t, at = route.depart, 0
	for v in route.visits:
		t += abs(where[v.stop] - at) * 2
		assert v.arrival == pytest.approx(t)
		opens = next(s for s in stops if s.id == v.stop).window
		t = max(t, opens[0]) if opens else t
		assert v.start == pytest.approx(t)
		t += 5
		assert v.departure == pytest.approx(t)
		at = where[v.stop]
	assert route.back == pytest.approx(t + at * 2)
	assert route.distance_m == pytest.approx(12_000)
	assert sorted(v.stop for v in route.visits) == ["A", "B", "C"]


def test_the_heavy_stop_goes_on_the_truck_and_the_bulky_one_on_the_box_van():
	stops = [
		StopFactory(id="HEAVY", weight=800, volume=1),
		StopFactory(id="BULKY", weight=50, volume=12),
		StopFactory(id="SMALL", weight=10, volume=0.1),
	]
	fleet = [
		Vehicle("TRUCK", max_weight=1000, max_volume=6),
		Vehicle("BOXVAN", max_weight=300, max_volume=20),
	]
	result = plan(DEPOT, stops, fleet, seconds=0.3)
	served_by = {v.stop: r.vehicle for r in result.routes for v in r.visits}
	assert served_by["HEAVY"] == "TRUCK" and served_by["BULKY"] == "BOXVAN" and "SMALL" in served_by
	for r in result.routes:
		v = next(x for x in fleet if x.id == r.vehicle)
		assert r.weight <= v.max_weight and r.volume <= v.max_volume


def test_a_stop_no_single_vehicle_can_carry_is_reported_by_volume():
	result = plan(
		DEPOT,
		[StopFactory(id="ODD", weight=800, volume=12)],
		[Vehicle("TRUCK", 1000, 6), Vehicle("BOXVAN", 300, 20)],
		seconds=0.2,
	)
	assert result.routes == [] and "m³" in result.unserved["ODD"]


@pytest.mark.parametrize("weights", [(600, 500, 400), (700, 300, 300, 200, 450), (900, 150, 150, 150)])
def test_as_many_stops_as_fit_are_served_when_capacity_runs_short(weights):
	stops = [StopFactory(id=f"S{i}", weight=w) for i, w in enumerate(weights)]
	result = plan(DEPOT, stops, [VehicleFactory(max_weight=1000)], seconds=0.3)
	served = {v.stop for r in result.routes for v in r.visits}
	most = max(
		len(c) for k in range(len(weights) + 1) for c in itertools.combinations(weights, k) if sum(c) <= 1000
	)
	assert len(served) == most
	assert set(result.unserved) == {s.id for s in stops} - served
	assert all("capacity" in why for why in result.unserved.values())


def test_a_later_shift_starts_later_and_a_window_before_the_origin_is_fine():
	stop = StopFactory(id="S", lat=23.11, lng=113.30, window=(-30, 200))
	result = plan(DEPOT, [stop], [VehicleFactory(shift_start=90)], seconds=0.2)
	(route,) = result.routes
	leg = haversine_m(DEPOT, (23.11, 113.30)) * 1.3 / 500
	assert route.depart >= 90 - 1e-6
	assert route.visits[0].arrival == pytest.approx(route.depart + leg, abs=0.02)


@pytest.mark.parametrize("n", [4, 5, 6])
def test_one_van_drives_the_shortest_round_trip(n):
	rng = random.Random(n)
	stops = [
		Stop(f"S{i}", rng.uniform(23.05, 23.15), rng.uniform(113.25, 113.35), service=0) for i in range(n)
	]
	result = plan(DEPOT, stops, [Vehicle("V", 1000, shift=24 * 60)], seconds=0.3)
	(route,) = result.routes

	def length(order):
		pts = [DEPOT, *((s.lat, s.lng) for s in order), DEPOT]
		return sum(haversine_m(a, b) * 1.3 for a, b in zip(pts, pts[1:], strict=False))

	best = min(length(p) for p in itertools.permutations(stops))
	assert route.distance_m == pytest.approx(best, abs=n)  # metres rounded per leg inside the solver


@pytest.mark.parametrize(
	"kwargs, record",
	[
		({"stops": [Stop("FAR", 123.0, 113.3)]}, "FAR"),
		({"stops": [Stop("NAN", float("nan"), 113.3)]}, "NAN"),
		({"stops": [Stop("T", 23.1, 113.3), Stop("T", 23.1, 113.3)]}, "T"),
		({"vehicles": [Vehicle("V", 100, shift=0)]}, "V"),
		({"vehicles": [Vehicle("V", 100, max_volume=-1)]}, "V"),
		({"matrix": TravelMatrix([[0, 1, 2], [1, 0, 1], [2, 1, 0]])}, "matrix"),  # 3 × 3 for 2 points
		({"matrix": TravelMatrix([[0, -1], [1, 0]])}, "matrix"),
	],
)
def test_more_bad_input_names_the_record(kwargs, record):
	args = {"stops": [Stop("OK", 23.1, 113.3)], "vehicles": [Vehicle("V", 100)], **kwargs}
	with pytest.raises(WmsInputError) as e:
		plan(DEPOT, args["stops"], args["vehicles"], matrix=args.get("matrix"), seconds=0.1)
	assert e.value.record == record


fleets = st.lists(
	st.tuples(st.sampled_from([300, 600, 1000]), st.sampled_from([0, 2, 5]), st.sampled_from([0, 1])),
	min_size=1,
	max_size=3,
)


@settings(max_examples=12, deadline=None)
@given(
	st.lists(
		st.tuples(
			st.floats(23.05, 23.15),
			st.floats(113.25, 113.35),
			st.integers(10, 700),
			st.floats(0, 3),
			windows,
		),
		min_size=1,
		max_size=9,
	),
	fleets,
)
def test_mixed_fleet_two_depots_never_over_capacity_never_late_every_stop_accounted(raw, fleet):
	depots = [DEPOT, (23.12, 113.28)]
	stops = [
		Stop(f"S{i}", lat, lng, weight=w, volume=vol, window=win, service=5)
		for i, (lat, lng, w, vol, win) in enumerate(raw)
	]
	vehicles = [Vehicle(f"V{i}", w, v, shift=6 * 60, depot=d) for i, (w, v, d) in enumerate(fleet)]
	result = plan(depots[0], stops, vehicles, seconds=0.1, extra_depots=depots[1:])
	served = [v.stop for r in result.routes for v in r.visits]
	assert sorted(served + list(result.unserved)) == sorted(s.id for s in stops)
	assert len(set(served)) == len(served)
	by_id = {s.id: s for s in stops}
	for r in result.routes:
		veh = next(v for v in vehicles if v.id == r.vehicle)
		assert r.weight <= veh.max_weight + 1e-9
		assert veh.max_volume == 0 or r.volume <= veh.max_volume + 1e-9
		assert r.back - r.depart <= veh.shift + 1e-6
		# ETAs re-derived from the coordinates: each arrival is the previous departure plus the drive
		prev, clock = depots[veh.depot], r.depart
		for v in r.visits:
			s = by_id[v.stop]
			drive = haversine_m(prev, (s.lat, s.lng)) * 1.3 / 500
			assert v.arrival == pytest.approx(clock + drive, abs=0.02)
			assert v.start >= v.arrival - 1e-9
			if s.window:
				assert s.window[0] - 1e-6 <= v.start <= s.window[1] + 1e-6
			clock, prev = v.departure, (s.lat, s.lng)


# ---- matrix solvers against brute force: asymmetric travel, binding capacity, fleet and windows ----


def _brute_force(d, demand, capacity, vehicles, windows=None, service=None):
	"""The cheapest plan over every order of the customers cut into at most `vehicles` routes
	(None when no plan is feasible). A route leaves at the depot's opening, waits for a window
	that is not yet open, and must be back before the depot closes."""
	customers = list(range(1, len(d)))

	def route_ok(r):
		if sum(demand[c] for c in r) > capacity:
			return False
		if windows is None:
			return True
		t, prev = windows[0][0], 0
		for c in r:
			t = max(t + d[prev][c], windows[c][0])
			if t > windows[c][1]:
				return False
			t += service[c]
			prev = c
		return t + d[prev][0] <= windows[0][1]

	def cost(r):
		return sum(d[a][b] for a, b in zip([0, *r], [*r, 0], strict=True))

	best = None
	for perm in itertools.permutations(customers):
		for k in range(1, vehicles + 1):
			for cuts in itertools.combinations(range(1, len(perm)), k - 1):
				bounds = [0, *cuts, len(perm)]
				routes = [list(perm[a:b]) for a, b in itertools.pairwise(bounds)]
				if all(route_ok(r) for r in routes):
					c = sum(cost(r) for r in routes)
					best = c if best is None else min(best, c)
	return best


def _instance(seed, n=5):
	rnd = random.Random(seed)
	d = [[0 if i == j else rnd.randint(5, 60) for j in range(n + 1)] for i in range(n + 1)]  # one-way streets
	demand = [0] + [rnd.randint(1, 6) for _ in range(n)]
	return d, demand


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_cvrp_matches_brute_force_on_asymmetric_instances(seed):
	from wms_tms.core.routing import solve_cvrp

	d, demand = _instance(seed)
	capacity = max(max(demand), sum(demand) // 2 + 1)  # two trucks needed, two allowed
	routes, cost = solve_cvrp(d, demand, capacity, 2, seconds=0.3)
	assert sorted(c for r in routes for c in r) == [1, 2, 3, 4, 5] and len(routes) <= 2
	assert all(sum(demand[c] for c in r) <= capacity for r in routes)
	assert cost == sum(d[a][b] for r in routes for a, b in zip([0, *r], [*r, 0], strict=True))
	assert cost == _brute_force(d, demand, capacity, 2)


@pytest.mark.parametrize("seed", [4, 5, 6])
def test_vrptw_matches_brute_force_on_asymmetric_instances(seed):
	from wms_tms.core.routing import solve_vrptw

	d, demand = _instance(seed)
	rnd = random.Random(seed)
	windows = [(0, 400)] + [(o, o + 60) for o in (rnd.randint(0, 200) for _ in range(5))]
	service = [0] + [rnd.randint(1, 10) for _ in range(5)]
	capacity = sum(demand)  # windows, not load, decide here
	best = _brute_force(d, demand, capacity, 3, windows, service)
	assert best is not None
	routes, cost = solve_vrptw(d, demand, windows, service, capacity, 3, seconds=0.3)
	assert sorted(c for r in routes for c in r) == [1, 2, 3, 4, 5] and len(routes) <= 3
	assert cost == sum(d[a][b] for r in routes for a, b in zip([0, *r], [*r, 0], strict=True))
	assert cost == best


@pytest.mark.filterwarnings("ignore::pyvrp.exceptions.PenaltyBoundWarning")  # the infeasible case
def test_matrix_solvers_refuse_what_cannot_be_solved():
	from wms_tms.core.routing import solve_cvrp, solve_vrptw

	d, demand = _instance(1, n=2)
	for args, message in [
		((d[:2], demand, 10, 1), "matrix: distance rows and demands must cover the same nodes"),
		((d, demand[:2], 10, 1), "matrix: distance rows and demands must cover the same nodes"),
		((d, demand, 0, 1), "fleet: capacity and number of vehicles must be above zero"),
		((d, demand, 10, 0), "fleet: capacity and number of vehicles must be above zero"),
		((d, [0, 11, 1], 10, 1), "node 1: demand 11 exceeds the vehicle capacity 10"),
	]:
		with pytest.raises(WmsInputError) as e:
			solve_cvrp(*args, seconds=0.05)
		assert str(e.value) == message
	# the edges are allowed: one unit of capacity, one vehicle, a demand equal to the capacity
	routes, _cost = solve_cvrp(d, [0, 1, 0], 1, 1, seconds=0.1)
	assert sorted(c for r in routes for c in r) == [1, 2]
	with pytest.raises(WmsInputError) as e:
		solve_vrptw(d, demand, [(0, 100), (50, 40), (0, 100)], [0, 1, 1], 10, 1, seconds=0.05)
	assert str(e.value) == "node 1: its time window closes before it opens"
	# both customers open only after the depot has closed: nothing is feasible
	with pytest.raises(WmsInputError) as e:
		solve_vrptw(d, demand, [(0, 10), (500, 600), (500, 600)], [0, 1, 1], 100, 2, seconds=0.1)
	assert e.value.record == "instance"
