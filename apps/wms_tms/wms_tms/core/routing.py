"""Delivery routes with PyVRP: vehicles with weight and volume capacity and a shift, stops with
time windows and service times, from a depot; distances from coordinates (haversine × road
factor) or a supplied matrix. Stops that cannot be served come back with the reason.

Times are minutes from the shift start; distances metres (integers inside the solver).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from pyvrp import Model
from pyvrp.stop import MaxRuntime

from wms_tms.core.errors import WmsInputError

EARTH_RADIUS_M = 6_371_000.0


@dataclass(frozen=True)
class Stop:
	id: str
	lat: float | None
	lng: float | None
	weight: float = 0.0  # kg
	volume: float = 0.0  # m³
	window: tuple[float, float] | None = None  # minutes from shift start
	service: float = 10.0  # minutes


@dataclass(frozen=True)
class Vehicle:
	id: str
	max_weight: float
	max_volume: float = 0.0  # 0 = volume not limited
	shift: float = 8 * 60  # minutes
	depot: int = 0  # which depot it starts from and returns to (0 = the first)


@dataclass(frozen=True)
class Visit:
	stop: str
	arrival: float  # minutes from shift start (service starts at max(arrival, window start))
	start: float
	distance_m: float  # from the previous point


@dataclass
class Route:
	vehicle: str
	visits: list[Visit]
	distance_m: float
	weight: float
	volume: float


@dataclass
class Plan:
	routes: list[Route]
	unserved: dict[str, str] = field(default_factory=dict)  # stop id → reason

	@property
	def distance_m(self) -> float:
		return sum(r.distance_m for r in self.routes)


def haversine_m(a: tuple[float, float], b: tuple[float, float]) -> float:
	(la1, lo1), (la2, lo2) = (tuple(map(math.radians, p)) for p in (a, b))
	h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
	return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def plan(
	depot: tuple[float, float],
	stops: Sequence[Stop],
	vehicles: Sequence[Vehicle],
	road_factor: float = 1.3,
	speed_kmh: float = 30.0,
	seconds: float = 1.0,
	seed: int = 1,
	extra_depots: Sequence[tuple[float, float]] = (),
) -> Plan:
	"""Routes for the stops; a stop no vehicle can serve lands in `unserved` with the reason.

	`depot` is depot 0; `extra_depots` are depots 1, 2 …; each vehicle starts from and returns
	to its own `Vehicle.depot`.
	"""
	if not vehicles:
		raise WmsInputError("vehicles", "at least one vehicle is needed")
	depots = [depot, *extra_depots]
	for v in vehicles:
		if not 0 <= v.depot < len(depots):
			raise WmsInputError(v.id, f"depot {v.depot} does not exist (there are {len(depots)})")
		if not v.max_weight > 0:
			raise WmsInputError(v.id, "capacity (max weight) must be above zero")
		if not v.shift > 0:
			raise WmsInputError(v.id, "shift length must be above zero")
	for s in stops:
		if s.lat is None or s.lng is None:
			raise WmsInputError(s.id, "the stop has no coordinates (latitude / longitude)")
		if s.weight < 0 or s.volume < 0:
			raise WmsInputError(s.id, "weight and volume cannot be negative")
		if s.window and s.window[1] < s.window[0]:
			raise WmsInputError(s.id, "its time window closes before it opens")
	if speed_kmh <= 0 or road_factor <= 0:
		raise WmsInputError("routing", "speed and road factor must be above zero")

	unserved: dict[str, str] = {}
	biggest_w = max(v.max_weight for v in vehicles)
	biggest_v = max((v.max_volume or math.inf) for v in vehicles)
	longest = max(v.shift for v in vehicles)
	nd = len(depots)
	points = depots + [(s.lat, s.lng) for s in stops]
	metres = [[haversine_m(a, b) * road_factor for b in points] for a in points]
	minutes = [[m / (speed_kmh * 1000 / 60) for m in row] for row in metres]
	used = sorted({v.depot for v in vehicles})
	candidates = []  # point indexes of the stops worth offering to the solver
	for i, s in enumerate(stops, start=nd):
		reach = min(minutes[d][i] for d in used)
		if s.weight > biggest_w:
			unserved[s.id] = f"weighs {s.weight:g} kg, more than any vehicle carries ({biggest_w:g} kg)"
		elif s.volume > biggest_v:
			unserved[s.id] = f"is {s.volume:g} m³, more than any vehicle holds ({biggest_v:g} m³)"
		elif s.window and s.window[1] < reach:
			unserved[s.id] = f"its window closes at minute {s.window[1]:g}, before a vehicle can get there"
		elif min(minutes[d][i] + s.service + minutes[i][d] for d in used) > longest:
			unserved[s.id] = "it is too far to reach and return within a shift"
		else:
			candidates.append(i)
	if not candidates:
		return Plan([], unserved)

	scale_w, scale_v = 1000, 1000  # kg → g, m³ → litres
	m = Model()
	locs = [m.add_location(x=-d, y=0) for d in range(nd)]
	m_depots = [m.add_depot(loc, tw_early=0, tw_late=int(longest * 60)) for loc in locs]
	for v in vehicles:
		m.add_vehicle_type(
			num_available=1,
			capacity=[int(v.max_weight * scale_w), int((v.max_volume or 1e6) * scale_v)],
			start_depot=m_depots[v.depot],
			end_depot=m_depots[v.depot],
			tw_early=0,
			tw_late=int(v.shift * 60),
			shift_duration=int(v.shift * 60),
			name=v.id,
		)
	prize = int(sum(max(row) for row in metres) + 1) * 10  # serving a stop always beats skipping it
	clients = {}
	for i in candidates:
		s = stops[i - nd]
		loc = m.add_location(x=i, y=0)
		locs.append(loc)
		early, late = s.window if s.window else (0, longest)
		clients[i] = m.add_client(
			loc,
			delivery=[int(round(s.weight * scale_w)), int(round(s.volume * scale_v))],
			service_duration=int(s.service * 60),
			tw_early=int(early * 60),
			tw_late=int(late * 60),
			required=False,
			prize=prize,
			name=s.id,
		)
	index = [*range(nd), *candidates]
	for a, ia in zip(locs, index, strict=True):
		for b, ib in zip(locs, index, strict=True):
			m.add_edge(a, b, distance=int(round(metres[ia][ib])), duration=int(round(minutes[ia][ib] * 60)))
	result = m.solve(stop=MaxRuntime(seconds), seed=seed, display=False)
	best = result.best
	routes, served = [], set()
	for r in best.routes():
		vt = vehicles[r.vehicle_type()]
		visits, prev, weight, volume, dist = [], vt.depot, 0.0, 0.0, 0.0
		for sv in r.schedule():
			if not sv.is_client():
				continue
			i = candidates[sv.idx]  # clients were added in candidate order
			s = stops[i - nd]
			leg = metres[prev][i]
			visits.append(Visit(s.id, (sv.start_time - sv.wait_duration) / 60, sv.start_time / 60, leg))
			served.add(i)
			weight += s.weight
			volume += s.volume
			dist += leg
			prev = i
		dist += metres[prev][vt.depot]
		if visits:
			routes.append(Route(vt.id, visits, dist, weight, volume))
	for i in candidates:
		if i not in served:
			unserved[stops[i - nd].id] = "no vehicle can fit it in within capacity, windows and shifts"
	return Plan(routes, unserved)


def solve_cvrp(
	distance: Sequence[Sequence[int]],
	demand: Sequence[int],
	capacity: int,
	vehicles: int,
	seconds: float = 2.0,
	seed: int = 1,
) -> tuple[list[list[int]], int]:
	"""Capacitated routing over a supplied integer matrix (node 0 the depot): routes of node ids and cost.

	Every customer must be served; at most `vehicles` routes of at most `capacity` each.
	"""
	n = len(distance)
	if len(demand) != n or any(len(row) != n for row in distance):
		raise WmsInputError("matrix", "distance rows and demands must cover the same nodes")
	if capacity <= 0 or vehicles <= 0:
		raise WmsInputError("fleet", "capacity and number of vehicles must be above zero")
	for i, d in enumerate(demand[1:], start=1):
		if d > capacity:
			raise WmsInputError(f"node {i}", f"demand {d} exceeds the vehicle capacity {capacity}")
	m = Model()
	locs = [m.add_location(x=i, y=0) for i in range(n)]
	depot = m.add_depot(locs[0])
	m.add_vehicle_type(num_available=vehicles, capacity=[capacity], start_depot=depot, end_depot=depot)
	for i in range(1, n):
		m.add_client(locs[i], delivery=[int(demand[i])])
	for i, a in enumerate(locs):
		for j, b in enumerate(locs):
			m.add_edge(a, b, distance=0 if i == j else int(distance[i][j]))
	best = m.solve(stop=MaxRuntime(seconds), seed=seed, display=False).best
	routes = [[a.idx + 1 for a in r.schedule() if a.is_client()] for r in best.routes()]
	return routes, int(best.distance())


def solve_vrptw(
	distance: Sequence[Sequence[int]],
	demand: Sequence[int],
	windows: Sequence[tuple[int, int]],
	service: Sequence[int],
	capacity: int,
	vehicles: int,
	seconds: float = 2.0,
	seed: int = 1,
) -> tuple[list[list[int]], int]:
	"""Time-windowed routing over a supplied integer matrix (travel time = distance; node 0 the depot,
	its window the shift). Every customer is required; returns routes of node ids and total distance."""
	n = len(distance)
	for i in range(n):
		if windows[i][1] < windows[i][0]:
			raise WmsInputError(f"node {i}", "its time window closes before it opens")
	m = Model()
	locs = [m.add_location(x=i, y=0) for i in range(n)]
	depot = m.add_depot(locs[0], tw_early=windows[0][0], tw_late=windows[0][1])
	m.add_vehicle_type(
		num_available=vehicles,
		capacity=[capacity],
		start_depot=depot,
		end_depot=depot,
		tw_early=windows[0][0],
		tw_late=windows[0][1],
	)
	for i in range(1, n):
		m.add_client(
			locs[i],
			delivery=[int(demand[i])],
			service_duration=int(service[i]),
			tw_early=windows[i][0],
			tw_late=windows[i][1],
		)
	for i, a in enumerate(locs):
		for j, b in enumerate(locs):
			dij = 0 if i == j else int(distance[i][j])
			m.add_edge(a, b, distance=dij, duration=dij)
	best = m.solve(stop=MaxRuntime(seconds), seed=seed, display=False).best
	if not best.is_feasible():
		raise WmsInputError("instance", "no feasible routing found in the time given")
	routes = [[a.idx + 1 for a in r.schedule() if a.is_client()] for r in best.routes()]
	return routes, int(best.distance())
