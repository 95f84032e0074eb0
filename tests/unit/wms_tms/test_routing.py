"""Vehicle routes: capacity, time windows, shifts — every stop served inside its window or reported."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.wms_tms.factories import StopFactory, VehicleFactory
from wms_tms.core.errors import WmsInputError
from wms_tms.core.routing import Stop, Vehicle, haversine_m, plan

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
