"""Delivery routes worked out by hand: the refusal sentences a dispatcher reads, the load still on
board after each stop, times on a clock that starts before the origin, the replay that takes a
late, overloaded or overlong stop off a route, and great-circle distances against a second formula."""

import math

import pytest

from wms_tms.core.errors import WmsInputError
from wms_tms.core.routing import Stop, TravelMatrix, Vehicle, _replay, haversine_m, plan


def line(positions_km: list[float], minutes_too: bool = True) -> TravelMatrix:
	"""Points on one straight road (depot first); 1 km = 1000 m takes 2 minutes."""
	metres = [[abs(a - b) * 1000 for b in positions_km] for a in positions_km]
	return TravelMatrix(metres, [[m / 500 for m in row] for row in metres] if minutes_too else None)


# ---- great-circle distance ----


def cosine_law_m(a, b):
	"""The spherical law of cosines: a second formula for the same great-circle distance."""
	(p1, l1), (p2, l2) = (tuple(map(math.radians, x)) for x in (a, b))
	c = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(l2 - l1)
	return 6_371_000 * math.acos(max(-1.0, min(1.0, c)))


@pytest.mark.parametrize(
	"a, b",
	[
		((0.0, 0.0), (0.0, 1.0)),  # along the equator
		((23.10, 113.30), (22.54, 114.06)),  # Guangzhou → Shenzhen
		((60.0, 10.0), (60.0, 11.0)),  # a degree of longitude far north is half as long
		((-33.9, 18.4), (51.5, -0.1)),  # Cape Town → London, both hemispheres
	],
)
def test_haversine_agrees_with_the_law_of_cosines(a, b):
	assert haversine_m(a, b) == pytest.approx(cosine_law_m(a, b), rel=1e-9)
	assert haversine_m(b, a) == pytest.approx(haversine_m(a, b), rel=1e-12)


def test_a_degree_along_the_equator_is_the_earths_circumference_over_360():
	assert haversine_m((0.0, 0.0), (0.0, 1.0)) == pytest.approx(2 * math.pi * 6_371_000 / 360, rel=1e-12)
	assert haversine_m((60.0, 10.0), (60.0, 11.0)) == pytest.approx(
		2 * math.pi * 6_371_000 / 360 / 2, rel=2e-4
	)


# ---- the sentences a dispatcher reads when the input cannot be planned ----

OK = Stop("OK", None, None)
V = Vehicle("V", 100)
M2 = line([0, 1])  # depot and one stop


@pytest.mark.parametrize(
	"stops, vehicles, kw, message",
	[
		([OK], [], {"matrix": M2}, "vehicles: at least one vehicle is needed"),
		([OK, OK], [V], {"matrix": line([0, 1, 2])}, "OK: the stop is listed twice"),
		(
			[Stop("W", None, None, weight=-1)],
			[V],
			{"matrix": M2},
			"W: weight must be a number not below zero, not -1",
		),
		(
			[Stop("U", None, None, volume=math.nan)],
			[V],
			{"matrix": M2},
			"U: volume must be a number not below zero, not nan",
		),
		(
			[Stop("S", None, None, service=True)],
			[V],
			{"matrix": M2},
			"S: service time must be a number not below zero, not True",
		),
		(
			[Stop("T", None, None, window=(1, 2, 3))],
			[V],
			{"matrix": M2},
			"T: time window (1, 2, 3) is not (opens, closes) in minutes",
		),
		(
			[Stop("T", None, None, window=(1, math.inf))],
			[V],
			{"matrix": M2},
			"T: time window (1, inf) is not (opens, closes) in minutes",
		),
		(
			[Stop("T", None, None, window=(60, 30.5))],
			[V],
			{"matrix": M2},
			"T: its time window closes (minute 30.5) before it opens (60)",
		),
		([OK], [V, Vehicle("V", 200)], {"matrix": M2}, "V: the vehicle is listed twice"),
		([OK], [Vehicle("D", 100, depot=1)], {"matrix": M2}, "D: depot 1 does not exist (there are 1)"),
		([OK], [Vehicle("D", 100, depot=-1)], {"matrix": M2}, "D: depot -1 does not exist (there are 1)"),
		(
			[OK],
			[Vehicle("Z", 0)],
			{"matrix": M2},
			"Z: capacity (max weight) must be above zero, not 0",
		),
		(
			[OK],
			[Vehicle("Z", math.nan)],
			{"matrix": M2},
			"Z: capacity (max weight) must be above zero, not nan",
		),
		(
			[OK],
			[Vehicle("Z", 100, max_volume=-1)],
			{"matrix": M2},
			"Z: volume capacity cannot be negative (-1); 0 = not limited",
		),
		(
			[OK],
			[Vehicle("Z", 100, max_volume=math.inf)],
			{"matrix": M2},
			"Z: volume capacity cannot be negative (inf); 0 = not limited",
		),
		([OK], [Vehicle("Z", 100, shift=0)], {"matrix": M2}, "Z: shift length must be above zero, not 0"),
		(
			[OK],
			[Vehicle("Z", 100, shift=math.inf)],
			{"matrix": M2},
			"Z: shift length must be above zero, not inf",
		),
		(
			[OK],
			[Vehicle("Z", 100, shift_start=math.nan)],
			{"matrix": M2},
			"Z: shift start nan is not a number of minutes",
		),
		([OK], [V], {"matrix": line([0, 1, 2])}, "matrix: metres must be 2 × 2 (depots then stops)"),
		(
			[OK],
			[V],
			{"matrix": TravelMatrix([[0, 1], [1]])},
			"matrix: metres must be 2 × 2 (depots then stops)",
		),
		(
			[OK],
			[V],
			{"matrix": TravelMatrix([[0, 1], [1, 0]], [[0, 1], [1, 0], [1, 1]])},
			"matrix: minutes must be 2 × 2 (depots then stops)",
		),
		(
			[OK],
			[V],
			{"matrix": TravelMatrix([[0, 1], [1, 0]], [[0, 1], [math.nan, 0]])},
			"matrix: minutes row 1 holds a value that is not a distance",
		),
		(
			[OK],
			[V],
			{"matrix": TravelMatrix([[0, -1], [1, 0]])},
			"matrix: metres row 0 holds a value that is not a distance",
		),
		([OK], [V], {"matrix": M2, "speed_kmh": 0}, "routing: speed and road factor must be above zero"),
		([OK], [V], {"matrix": M2, "road_factor": 0}, "routing: speed and road factor must be above zero"),
		(
			[OK],
			[V],
			{"matrix": M2, "road_factor": math.nan},
			"routing: speed and road factor must be above zero",
		),
		([Stop("P", None, 113.3)], [V], {}, "P: has no coordinates (latitude / longitude)"),
		([Stop("P", 23.1, None)], [V], {}, "P: has no coordinates (latitude / longitude)"),
		([Stop("P", 90.5, 0)], [V], {}, "P: coordinates (90.5, 0) are not a latitude / longitude"),
		([Stop("P", -90.5, 0)], [V], {}, "P: coordinates (-90.5, 0) are not a latitude / longitude"),
		([Stop("P", 0, 180.5)], [V], {}, "P: coordinates (0, 180.5) are not a latitude / longitude"),
		([Stop("P", 0, -180.5)], [V], {}, "P: coordinates (0, -180.5) are not a latitude / longitude"),
		([Stop("P", "23.1", 0)], [V], {}, "P: coordinates ('23.1', 0) are not a latitude / longitude"),
		([Stop("P", 0, True)], [V], {}, "P: coordinates (0, True) are not a latitude / longitude"),
	],
)
def test_each_refusal_says_what_is_wrong_with_which_record(stops, vehicles, kw, message):
	depot = kw.pop("depot", None if "matrix" in kw else (23.1, 113.3))
	with pytest.raises(WmsInputError) as e:
		plan(depot, stops, vehicles, seconds=0.1, **kw)
	assert str(e.value) == message


@pytest.mark.parametrize(
	"depot, message",
	[
		((None, None), "depot 0: has no coordinates (latitude / longitude)"),
		((23.1, None), "depot 0: has no coordinates (latitude / longitude)"),
		((91, 0), "depot 0: coordinates (91, 0) are not a latitude / longitude"),
		((0, math.inf), "depot 0: coordinates (0, inf) are not a latitude / longitude"),
	],
)
def test_a_depot_without_a_place_is_refused(depot, message):
	with pytest.raises(WmsInputError) as e:
		plan(depot, [], [V])
	assert str(e.value) == message


@pytest.mark.parametrize("depot", [(90, 180), (-90, -180), (90.0, -180.0), (-90, 180)])
def test_the_poles_and_the_date_line_are_places(depot):
	# no stops: nothing to solve, the depot alone is checked
	assert plan(depot, [], [V]).routes == []


# ---- why a stop cannot be served at all: worked out from the matrix ----


def unserved(stops, vehicles, positions, **kw):
	result = plan(None, stops, vehicles, matrix=line(positions), seconds=0.1, **kw)
	return result.unserved, [v.stop for r in result.routes for v in r.visits]


def test_too_heavy_names_the_heaviest_vehicle():
	left, served = unserved(
		[Stop("H", None, None, weight=1500)], [Vehicle("A", 1000), Vehicle("B", 1200)], [0, 1]
	)
	assert left == {"H": "weighs 1500 kg, more than any vehicle carries (1200 kg)"} and served == []


def test_a_stop_weighing_exactly_the_capacity_is_carried():
	left, served = unserved(
		[Stop("H", None, None, weight=1200)], [Vehicle("A", 1000), Vehicle("B", 1200)], [0, 1]
	)
	assert left == {} and served == ["H"]


def test_too_bulky_for_every_vehicle_that_can_lift_it():
	stops = [Stop("B", None, None, weight=800, volume=3)]
	vehicles = [Vehicle("SMALL", 1000, max_volume=2), Vehicle("WEAK", 500, max_volume=10)]
	left, served = unserved(stops, vehicles, [0, 1])
	assert left == {"B": "is 3 m³: no vehicle that carries its 800 kg has room for it"} and served == []
	# exactly the volume fits; a van whose volume is not limited (0) takes anything it can lift
	assert unserved([Stop("B", None, None, weight=800, volume=2)], vehicles, [0, 1]) == ({}, ["B"])
	assert unserved(stops, [Vehicle("OPEN", 1000, max_volume=0)], [0, 1]) == ({}, ["B"])


def test_a_window_closing_before_the_van_can_arrive():
	# 5 km = 10 minutes from the depot, the shift starts at minute 0
	left, _ = unserved([Stop("L", None, None, window=(0, 9.5))], [Vehicle("V", 100)], [0, 5])
	assert left == {"L": "its window closes at minute 9.5, before a vehicle can get there"}
	# arriving exactly as it closes is in time
	assert unserved([Stop("L", None, None, window=(0, 10))], [Vehicle("V", 100)], [0, 5]) == ({}, ["L"])
	# a later shift start makes it too late again: 5 + 10 = minute 15
	left, _ = unserved([Stop("L", None, None, window=(0, 14))], [Vehicle("V", 100, shift_start=5)], [0, 5])
	assert left == {"L": "its window closes at minute 14, before a vehicle can get there"}


@pytest.mark.parametrize(
	"window, shift, shift_start, served",
	[
		# 10 min there, 5 min service, 10 min back: 25 minutes of shift
		(None, 25, 0, True),
		(None, 24.5, 0, False),
		# a window at minute 100: leave at 90, back at 115; the shift counts from leaving, and the
		# vehicle must be back by shift_start + shift
		((100, 200), 25, 90, True),
		((100, 200), 30, 0, False),  # 25 minutes of driving, but back at 115 after the shift ended at 30
		((100, 200), 115, 0, True),
		((100, 200), 114.5, 0, False),
	],
)
def test_too_far_for_any_shift(window, shift, shift_start, served):
	stop = Stop("F", None, None, window=window, service=5)
	left, on_route = unserved([stop], [Vehicle("V", 100, shift=shift, shift_start=shift_start)], [0, 5])
	if served:
		assert (left, on_route) == ({}, ["F"])
	else:
		assert left == {"F": "it is too far to reach, serve and return within any shift"}


# ---- the load on board and a clock that starts before the origin ----


def test_load_left_on_board_and_times_before_the_origin_by_hand():
	"""A must be served by minute -4 (the day's plan starts earlier than the origin), B from 20.
	Depot km 0, A km 2, B km 5; 1 km = 2 minutes; 5 minutes at each stop. Leaving as late as A
	allows: -8; A -4 (served -4 to 1); B 1+6 = 7, waits for 20, served 20-25; back 25+10 = 35.
	120 kg / 0.5 m³ go to A, 30 kg / 0.25 m³ to B: 30 kg and 0.25 m³ stay on board after A."""
	stops = [
		Stop("A", None, None, weight=120, volume=0.5, window=(-10, -4), service=5),
		Stop("B", None, None, weight=30, volume=0.25, window=(20, 30), service=5),
	]
	result = plan(
		None, stops, [Vehicle("V", 200, 2, shift=300, shift_start=-60)], matrix=line([0, 2, 5]), seconds=0.3
	)
	(route,) = result.routes
	assert result.unserved == {}
	got = [
		(v.stop, v.arrival, v.start, v.departure, v.distance_m, v.weight_on_board, v.volume_on_board)
		for v in route.visits
	]
	assert got == pytest.approx([("A", -4, -4, 1, 2000, 30, 0.25), ("B", 7, 20, 25, 3000, 0, 0)])
	assert (route.vehicle, route.depart, route.back, route.distance_m) == pytest.approx(("V", -8, 35, 10_000))
	assert (route.weight, route.volume, route.depot) == pytest.approx((150, 0.75, 0))
	assert result.distance_m == pytest.approx(10_000)


def test_minutes_come_from_the_speed_when_the_matrix_gives_only_metres():
	# 3 km at 36 km/h (600 m a minute) is 5 minutes; at the default 30 km/h it would be 6
	stop = Stop("A", None, None, window=(5, 5), service=2)
	(route,) = plan(
		None, [stop], [Vehicle("V", 100)], matrix=line([0, 3], False), speed_kmh=36, seconds=0.2
	).routes
	assert [(v.arrival, v.departure) for v in route.visits] == pytest.approx([(5, 7)])
	assert (route.depart, route.back) == pytest.approx((0, 12))


# ---- the replay: a stop that would be late, overload the vehicle or end the shift late comes off ----

# depot 0 at km 0, stops at km 2 (point 1), 5 (point 2) and 6 (point 3); whole metres and seconds
POS = [0, 2, 5, 6]
DIST = [[abs(a - b) * 1000 for b in POS] for a in POS]
SECS = [[abs(a - b) * 120 for b in POS] for a in POS]  # 2 minutes a km


def replay(vehicle, stops, seq, depart=0):
	route, dropped = _replay(vehicle, seq, depart, stops, 1, DIST, SECS, DIST)
	return [(v.stop, v.arrival, v.start) for v in route.visits], sorted(dropped), route


def test_a_stop_the_route_would_reach_too_late_comes_off():
	# A 2 km: arrive 4, served 4-9; B 3 km on: arrive 15 > 12 closes
	stops = [
		Stop("A", None, None, window=(0, 10), service=5),
		Stop("B", None, None, window=(0, 12), service=5),
	]
	visits, dropped, route = replay(Vehicle("V", 100), stops, [1, 2])
	assert visits == [("A", 4, 4)] and dropped == [2]
	assert (route.distance_m, route.back) == (4000, 13)
	# arriving exactly at 15 is in time
	stops[1] = Stop("B", None, None, window=(0, 15), service=5)
	visits, dropped, _ = replay(Vehicle("V", 100), stops, [1, 2])
	assert visits == [("A", 4, 4), ("B", 15, 15)] and dropped == []


def test_when_everything_comes_off_the_route_is_empty_and_drives_nowhere():
	stops = [Stop("A", None, None, window=(0, 3), service=5)]
	visits, dropped, route = replay(Vehicle("V", 100), stops, [1])
	assert (visits, dropped, route.distance_m, route.weight, route.back) == ([], [1], 0.0, 0, 0)


def test_an_overload_takes_off_the_heaviest_stop_then_the_bulkiest():
	stops = [Stop("A", None, None, weight=60, service=0), Stop("B", None, None, weight=50, service=0)]
	visits, dropped, route = replay(Vehicle("V", 100), stops, [1, 2])
	assert visits == [("B", 10, 10)] and dropped == [1] and route.weight == 50
	# exactly the capacity stays on
	stops = [Stop("A", None, None, weight=50, service=0), Stop("B", None, None, weight=50, service=0)]
	assert replay(Vehicle("V", 100), stops, [1, 2])[1] == []
	# by volume: same weights, the bulkier one goes
	stops = [
		Stop("A", None, None, weight=10, volume=0.4, service=0),
		Stop("B", None, None, weight=10, volume=0.7, service=0),
		Stop("C", None, None, weight=10, volume=0.3, service=0),
	]
	visits, dropped, route = replay(Vehicle("V", 100, max_volume=1), stops, [1, 2, 3])
	assert [v[0] for v in visits] == ["A", "C"] and dropped == [2]
	assert route.volume == pytest.approx(0.7)
	# a volume of 0 means the van's volume is not limited
	assert replay(Vehicle("V", 100, max_volume=0), stops, [1, 2, 3])[1] == []


def test_a_route_that_would_end_after_the_shift_loses_its_last_stop():
	# A: arrive 4, served 4-9; B: arrive 15, served 15-20; back 30 > a shift of 20
	stops = [Stop("A", None, None, service=5), Stop("B", None, None, service=5)]
	visits, dropped, route = replay(Vehicle("V", 100, shift=20), stops, [1, 2])
	assert visits == [("A", 4, 4)] and dropped == [2] and route.back == 13
	# back at exactly the end of the shift is fine
	assert replay(Vehicle("V", 100, shift=30), stops, [1, 2])[1] == []


def test_the_replay_leaves_no_earlier_than_the_shift_starts_and_ends_with_the_shift():
	stops = [Stop("A", None, None, service=5), Stop("B", None, None, service=5)]
	# the solver's departure (0) is before the shift starts (10): the route leaves at 10
	visits, dropped, route = replay(Vehicle("V", 100, shift=30, shift_start=10), stops, [1, 2])
	assert (
		visits == [("A", 14, 14), ("B", 25, 25)] and dropped == [] and (route.depart, route.back) == (10, 40)
	)
	# leaving at minute 10 of a shift that ends at 30: back at 40 is too late although only 30 driven
	visits, dropped, route = replay(Vehicle("V", 100, shift=30), stops, [1, 2], depart=600)
	assert visits == [("A", 14, 14)] and dropped == [2] and (route.depart, route.back) == (10, 23)


# ---- plan(): edges a dispatcher meets ----


def one_route(stops, vehicles, positions, **kw):
	result = plan(
		None, stops, vehicles, matrix=line(positions, kw.pop("minutes_too", True)), seconds=0.2, **kw
	)
	return result


def test_a_stop_without_a_window_on_a_shift_that_starts_before_the_origin():
	# leaves at -30, 2 km = 4 minutes, 5 minutes there, back at -17
	(route,) = one_route(
		[Stop("A", None, None, service=5)], [Vehicle("V", 100, shift_start=-30)], [0, 2]
	).routes
	assert [(v.arrival, v.start, v.departure) for v in route.visits] == pytest.approx([(-26, -26, -21)])
	assert (route.depart, route.back) == pytest.approx((-30, -17))


def test_a_stop_without_a_window_can_be_reached_at_any_time_of_the_shift():
	# 40 km = 80 minutes away, no window: served at minute 80, back at 80 + 10 + 80
	(route,) = one_route([Stop("FAR", None, None)], [Vehicle("V", 100, shift=300)], [0, 40]).routes
	assert [v.arrival for v in route.visits] == pytest.approx([80]) and route.back == pytest.approx(170)


def test_a_stop_at_the_depot_itself_is_served_at_once():
	(route,) = one_route([Stop("HERE", None, None, service=3)], [Vehicle("V", 100)], [0, 0]).routes
	assert [(v.arrival, v.departure, v.distance_m) for v in route.visits] == pytest.approx([(0, 3, 0)])
	assert (route.depart, route.back, route.distance_m) == pytest.approx((0, 3, 0))


def test_a_stop_left_over_when_capacity_runs_short_says_so():
	stops = [Stop(f"S{k}", None, None, weight=400) for k in (1, 2, 3)]
	result = one_route(stops, [Vehicle("V", 1000)], [0, 1, 2, 3])
	(route,) = result.routes
	assert len(route.visits) == 2 and route.weight == 800
	assert list(result.unserved.values()) == [
		"no vehicle can fit it in within capacity, time windows and shifts"
	]
	assert sorted([*result.unserved, *(v.stop for v in route.visits)]) == ["S1", "S2", "S3"]


def test_identical_vehicles_each_drive_their_own_route():
	stops = [Stop(f"S{k}", None, None, weight=400) for k in (1, 2, 3)]
	vehicles = [Vehicle(f"V{k}", 500) for k in (1, 2, 3)]
	result = one_route(stops, vehicles, [0, 1, 2, 3])
	assert result.unserved == {}
	assert sorted(r.vehicle for r in result.routes) == ["V1", "V2", "V3"]


def test_two_cubic_metres_fill_a_two_cubic_metre_van():
	stops = [Stop("A", None, None, volume=1), Stop("B", None, None, volume=1)]
	result = one_route(stops, [Vehicle("V", 100, max_volume=2)], [0, 1, 2])
	assert result.unserved == {} and [len(r.visits) for r in result.routes] == [1 * 2]


def test_a_vehicle_of_the_second_depot_starts_and_ends_there():
	# depot 0 at km 0, depot 1 at km 10, the stop at km 11
	result = plan(
		None,
		[Stop("A", None, None, service=5)],
		[Vehicle("V", 100, depot=1)],
		extra_depots=[(0.0, 0.0)],
		matrix=line([0, 10, 11]),
		seconds=0.2,
	)
	(route,) = result.routes
	assert (route.depot, route.distance_m, route.visits[0].arrival, route.back) == pytest.approx(
		(1, 2000, 2, 9)
	)


def test_small_positive_capacities_shifts_speeds_and_road_factors_are_allowed():
	# half a kilo in a half-kilo box
	assert one_route([Stop("A", None, None, weight=0.5)], [Vehicle("V", 0.5)], [0, 1]).unserved == {}
	# a 30-second job next door on a 30-second shift
	result = one_route([Stop("A", None, None, service=0.25)], [Vehicle("V", 100, shift=0.5)], [0, 0])
	assert result.unserved == {}
	# walking pace: 1 km at 0.5 km/h is 120 minutes
	(route,) = one_route(
		[Stop("A", None, None)], [Vehicle("V", 100)], [0, 1], minutes_too=False, speed_kmh=0.5
	).routes
	assert route.visits[0].arrival == pytest.approx(120)
	# a road factor below one shortens the crow-fly distance
	depot, at = (23.10, 113.30), (23.11, 113.30)
	(route,) = plan(depot, [Stop("A", *at)], [Vehicle("V", 100)], road_factor=0.5, seconds=0.2).routes
	assert route.distance_m == pytest.approx(haversine_m(depot, at), rel=1e-9)


# ---- the time-window solver on a supplied matrix, worked by hand ----


def test_vrptw_service_time_and_an_exact_minute_decide_the_routes():
	"""Customers 1 and 2 sit at the same spot 10 minutes out. 1 must be served at exactly minute
	30, 2 between 30 and 33; 5 minutes of service each. Whoever goes first keeps the other waiting
	past its window, so two vehicles are needed: 10 + 10 twice = 40."""
	from wms_tms.core.routing import solve_vrptw

	d = [[0, 10, 10], [10, 0, 0], [10, 0, 0]]
	args = (d, [0, 1, 1], [(0, 100), (30, 30), (30, 33)], [0, 5, 5], 10)
	routes, cost = solve_vrptw(*args, 2, seconds=0.2)
	assert sorted(routes) == [[1], [2]] and cost == 40
	# without the service time one van would do both for 20
	routes, cost = solve_vrptw(d, [0, 1, 1], [(0, 100), (30, 30), (30, 33)], [0, 0, 0], 10, 2, seconds=0.2)
	assert cost == 20 and [sorted(r) for r in routes] == [[1, 2]]


@pytest.mark.filterwarnings("ignore::pyvrp.exceptions.PenaltyBoundWarning")
def test_vrptw_with_one_van_too_few_says_no_feasible_routing():
	from wms_tms.core.routing import solve_vrptw

	d = [[0, 10, 10], [10, 0, 0], [10, 0, 0]]
	with pytest.raises(WmsInputError) as e:
		solve_vrptw(d, [0, 1, 1], [(0, 100), (30, 30), (30, 33)], [0, 5, 5], 10, 1, seconds=0.2)
	assert str(e.value) == "instance: no feasible routing found in the time given"


def test_plan_counts_service_time_when_it_shares_out_the_stops():
	"""Two stops at one spot 5 km (10 minutes) out: one at exactly minute 30, the other by minute 33,
	5 minutes of service each. One van cannot do both on time, so each of two vans takes one."""
	stops = [
		Stop("EXACT", None, None, window=(30, 30), service=5),
		Stop("SOON", None, None, window=(30, 33), service=5),
	]
	result = one_route(stops, [Vehicle("V1", 100), Vehicle("V2", 100)], [0, 5, 5])
	assert result.unserved == {}
	assert sorted([v.stop for v in r.visits] for r in result.routes) == [["EXACT"], ["SOON"]]
	assert all(r.visits[0].start == pytest.approx(30) for r in result.routes)


def test_the_shorter_order_is_not_taken_when_it_ends_after_the_shift():
	"""A (no window) and B (minute 20-22) are 10 minutes out and no time apart; 5 minutes at each.
	B then A is the shorter drive (10.1 km against 11 km) but back at minute 40, after a shift
	ending at 35; A then B leaves at 5 (no waiting): A 15-20, B 20-25, back at 35."""
	metres = [[0, 5000, 5000], [5000, 0, 1000], [5000, 100, 0]]
	minutes = [[0, 10, 10], [10, 0, 0], [10, 0, 0]]
	stops = [Stop("A", None, None, service=5), Stop("B", None, None, window=(20, 22), service=5)]
	result = plan(
		None, stops, [Vehicle("V", 100, shift=35)], matrix=TravelMatrix(metres, minutes), seconds=0.2
	)
	assert result.unserved == {}
	(route,) = result.routes
	assert [(v.stop, v.start) for v in route.visits] == pytest.approx([("A", 15), ("B", 20)])
	assert (route.depart, route.back, route.distance_m) == pytest.approx((5, 35, 11_000))
