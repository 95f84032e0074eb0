"""Delivery routes with PyVRP: vehicles of different weight and volume capacities and shifts,
stops with time windows and service times, one or several depots; distances from coordinates
(haversine × road factor, travel time at an average speed) or from a supplied matrix. Stops that
cannot be served come back with the reason.

Times are minutes from a common origin (the adapter uses the trip's departure day); distances
metres. Inside the solver: whole metres, whole seconds, grams and litres. Every route PyVRP
returns is replayed here on the same whole-second times before it is reported: a stop that
would be late, overload the vehicle or push it past its shift is taken off the route and
reported, so a reported ETA is always inside its window.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from pyvrp import Model
from pyvrp.stop import MaxRuntime

from wms_tms.core.errors import WmsInputError

EARTH_RADIUS_M = 6_371_000.0
NOT_LIMITED = 10**9  # a volume "capacity" for vehicles whose volume is not limited (litres)


@dataclass(frozen=True)
class Stop:
	id: str
	lat: float | None
	lng: float | None
	weight: float = 0.0  # kg
	volume: float = 0.0  # m³
	window: tuple[float, float] | None = None  # minutes (from the common origin)
	service: float = 10.0  # minutes


@dataclass(frozen=True)
class Vehicle:
	id: str
	max_weight: float  # kg
	max_volume: float = 0.0  # m³; 0 = volume not limited
	shift: float = 8 * 60  # minutes from leaving the depot to being back
	depot: int = 0  # which depot it starts from and returns to (0 = the first)
	shift_start: float = 0.0  # earliest departure, minutes (from the common origin)


@dataclass(frozen=True)
class TravelMatrix:
	"""Supplied travel between points [depot 0, extra depots …, stops in the given order]."""

	metres: Sequence[Sequence[float]]
	minutes: Sequence[Sequence[float]] | None = None  # None: metres at the plan's average speed


@dataclass(frozen=True)
class Visit:
	stop: str
	arrival: float  # minutes
	start: float  # service start = max(arrival, window opens)
	distance_m: float  # from the previous point
	departure: float = 0.0  # service end, minutes
	weight_on_board: float = 0.0  # kg still on the vehicle after this stop
	volume_on_board: float = 0.0


@dataclass
class Route:
	vehicle: str
	visits: list[Visit]
	distance_m: float
	weight: float  # kg loaded at the depot
	volume: float
	depart: float = 0.0  # minutes, leaving the depot
	back: float = 0.0  # minutes, back at the depot
	depot: int = 0


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


def _finite(x) -> bool:
	return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def _check_point(record: str, lat, lng) -> None:
	if lat is None or lng is None:
		raise WmsInputError(record, "has no coordinates (latitude / longitude)")
	if not (_finite(lat) and _finite(lng) and -90 <= lat <= 90 and -180 <= lng <= 180):
		raise WmsInputError(record, f"coordinates ({lat!r}, {lng!r}) are not a latitude / longitude")


def _validate(depots, stops, vehicles, matrix, road_factor, speed_kmh) -> None:
	if not vehicles:
		raise WmsInputError("vehicles", "at least one vehicle is needed")
	seen: set[str] = set()
	for s in stops:
		if s.id in seen:
			raise WmsInputError(s.id, "the stop is listed twice")
		seen.add(s.id)
		if matrix is None:
			_check_point(s.id, s.lat, s.lng)
		for name, value in (("weight", s.weight), ("volume", s.volume), ("service time", s.service)):
			if not _finite(value) or value < 0:
				raise WmsInputError(s.id, f"{name} must be a number not below zero, not {value!r}")
		if s.window is not None:
			if len(s.window) != 2 or not all(_finite(t) for t in s.window):
				raise WmsInputError(s.id, f"time window {s.window!r} is not (opens, closes) in minutes")
			if s.window[1] < s.window[0]:
				raise WmsInputError(
					s.id, f"its time window closes (minute {s.window[1]:g}) before it opens ({s.window[0]:g})"
				)
	names: set[str] = set()
	for v in vehicles:
		if v.id in names:
			raise WmsInputError(v.id, "the vehicle is listed twice")
		names.add(v.id)
		if not 0 <= v.depot < len(depots):
			raise WmsInputError(v.id, f"depot {v.depot} does not exist (there are {len(depots)})")
		if not (_finite(v.max_weight) and v.max_weight > 0):
			raise WmsInputError(v.id, f"capacity (max weight) must be above zero, not {v.max_weight!r}")
		if not (_finite(v.max_volume) and v.max_volume >= 0):
			raise WmsInputError(
				v.id, f"volume capacity cannot be negative ({v.max_volume!r}); 0 = not limited"
			)
		if not (_finite(v.shift) and v.shift > 0):
			raise WmsInputError(v.id, f"shift length must be above zero, not {v.shift!r}")
		if not _finite(v.shift_start):
			raise WmsInputError(v.id, f"shift start {v.shift_start!r} is not a number of minutes")
	if matrix is None:
		for i, d in enumerate(depots):
			_check_point(f"depot {i}", *d)
	else:
		n = len(depots) + len(stops)
		rows = [("metres", matrix.metres)] + (
			[("minutes", matrix.minutes)] if matrix.minutes is not None else []
		)
		for name, rows_ in rows:
			if len(rows_) != n or any(len(r) != n for r in rows_):
				raise WmsInputError("matrix", f"{name} must be {n} × {n} (depots then stops)")
			for i, r in enumerate(rows_):
				if any(not _finite(x) or x < 0 for x in r):
					raise WmsInputError("matrix", f"{name} row {i} holds a value that is not a distance")
	if not (_finite(speed_kmh) and speed_kmh > 0 and _finite(road_factor) and road_factor > 0):
		raise WmsInputError("routing", "speed and road factor must be above zero")


def plan(
	depot: tuple[float, float] | None,
	stops: Sequence[Stop],
	vehicles: Sequence[Vehicle],
	road_factor: float = 1.3,
	speed_kmh: float = 30.0,
	seconds: float = 1.0,
	seed: int = 1,
	extra_depots: Sequence[tuple[float, float]] = (),
	matrix: TravelMatrix | None = None,
) -> Plan:
	"""Routes for the stops; a stop no vehicle can serve lands in `unserved` with the reason.

	`depot` is depot 0 and `extra_depots` are depots 1, 2 …; each vehicle starts from and returns
	to its own `Vehicle.depot` inside its shift (`shift_start` … `shift_start + shift`). Distances
	are haversine × `road_factor` at `speed_kmh`, unless `matrix` supplies them (then coordinates
	may be missing). Every stop is offered to the solver unless it plainly cannot be served; the
	solver serves as many as it can (a served stop always beats the distance it costs), then
	minimises distance. `seconds` bounds the whole call.
	"""
	began = time.perf_counter()
	depots = [depot, *extra_depots]
	_validate(depots, stops, vehicles, matrix, road_factor, speed_kmh)
	nd = len(depots)
	metres_per_min = speed_kmh * 1000 / 60
	if matrix is None:
		points = depots + [(s.lat, s.lng) for s in stops]
		metres = [[haversine_m(a, b) * road_factor for b in points] for a in points]
	else:
		metres = [[float(x) for x in row] for row in matrix.metres]
	if matrix is not None and matrix.minutes is not None:
		minutes = [[float(x) for x in row] for row in matrix.minutes]
	else:
		minutes = [[m / metres_per_min for m in row] for row in metres]
	dist = [[int(round(x)) for x in row] for row in metres]  # what the solver and the replay use
	secs = [[int(round(x * 60)) for x in row] for row in minutes]

	# the solver counts time from zero: shift everything so the earliest moment is zero
	off = -min([0.0] + [v.shift_start for v in vehicles] + [s.window[0] for s in stops if s.window])
	if off:
		vehicles = [replace(v, shift_start=v.shift_start + off) for v in vehicles]
		stops = [replace(s, window=(s.window[0] + off, s.window[1] + off)) if s.window else s for s in stops]

	unserved: dict[str, str] = {}
	candidates = []  # point indexes of the stops worth offering to the solver
	for i, s in enumerate(stops, start=nd):
		reason = _why_not(s, i, vehicles, secs)
		if reason:
			unserved[s.id] = reason
		else:
			candidates.append(i)
	if not candidates:
		return Plan([], unserved)

	m = Model()
	locs = [m.add_location(x=-d, y=0) for d in range(nd)]
	m_depots = [m.add_depot(loc) for loc in locs]
	fleet: list[list[Vehicle]] = []  # vehicle types: identical vehicles share one
	for v in vehicles:
		for group in fleet:
			g = group[0]
			if (g.max_weight, g.max_volume, g.shift, g.depot, g.shift_start) == (
				v.max_weight,
				v.max_volume,
				v.shift,
				v.depot,
				v.shift_start,
			):
				group.append(v)
				break
		else:
			fleet.append([v])
	for group in fleet:
		v = group[0]
		m.add_vehicle_type(
			num_available=len(group),
			capacity=[_grams(v.max_weight), _litres(v.max_volume) if v.max_volume else NOT_LIMITED],
			start_depot=m_depots[v.depot],
			end_depot=m_depots[v.depot],
			tw_early=_sec(v.shift_start),
			tw_late=_sec(v.shift_start + v.shift),
			shift_duration=_sec(v.shift),
			name=",".join(x.id for x in group),
		)
	prize = (max(max(row) for row in dist) * 2 + 1) * 10  # more than any detour a stop can cost
	for i in candidates:
		s = stops[i - nd]
		loc = m.add_location(x=i, y=0)
		locs.append(loc)
		early, late = s.window if s.window else (0, 10**7)
		m.add_client(
			loc,
			delivery=[_grams(s.weight), _litres(s.volume)],
			service_duration=_sec(s.service),
			tw_early=_sec(early),
			tw_late=_sec(late),
			required=False,
			prize=prize,
			name=s.id,
		)
	index = [*range(nd), *candidates]
	for a, ia in zip(locs, index, strict=True):
		for b, ib in zip(locs, index, strict=True):
			m.add_edge(a, b, distance=dist[ia][ib], duration=secs[ia][ib])
	best = m.solve(stop=MaxRuntime(_left(seconds, began)), seed=seed, display=False).best

	routes, served = [], set()
	next_of_type = [0] * len(fleet)
	for r in best.routes():
		t = r.vehicle_type()
		vt = fleet[t][next_of_type[t]]
		next_of_type[t] += 1
		seq = [candidates[a.idx] for a in r.schedule() if a.is_client()]  # idx counts clients
		route, dropped = _replay(vt, seq, r.start_time(), stops, nd, dist, secs, metres)
		for i in dropped:
			unserved[stops[i - nd].id] = (
				f"vehicle {vt.id} could not fit it in on time or within its capacity and shift"
			)
		if route.visits:
			routes.append(route)
			served.update(i for i in seq if i not in dropped)
	for i in candidates:
		sid = stops[i - nd].id
		if i not in served and sid not in unserved:
			unserved[sid] = "no vehicle can fit it in within capacity, time windows and shifts"
	if off:
		routes = [_shifted(r, -off) for r in routes]
	return Plan(routes, unserved)


def _shifted(r: Route, by: float) -> Route:
	visits = [
		replace(v, arrival=v.arrival + by, start=v.start + by, departure=v.departure + by) for v in r.visits
	]
	return replace(r, visits=visits, depart=r.depart + by, back=r.back + by)


def _sec(minutes: float) -> int:
	return int(round(minutes * 60))


def _grams(kg: float) -> int:
	return int(math.ceil(kg * 1000 - 1e-6))


def _litres(m3: float) -> int:
	return int(math.ceil(m3 * 1000 - 1e-6))


def _why_not(s: Stop, i: int, vehicles: Sequence[Vehicle], secs) -> str:
	"""The reason no vehicle could ever serve the stop, or '' if one might."""
	fits = [v for v in vehicles if _grams(s.weight) <= _grams(v.max_weight)]
	if not fits:
		heaviest = max(v.max_weight for v in vehicles)
		return f"weighs {s.weight:g} kg, more than any vehicle carries ({heaviest:g} kg)"
	fits = [v for v in fits if not v.max_volume or _litres(s.volume) <= _litres(v.max_volume)]
	if not fits:
		return f"is {s.volume:g} m³: no vehicle that carries its {s.weight:g} kg has room for it"
	win = [_sec(s.window[0]), _sec(s.window[1])] if s.window else None
	on_time = fits
	if win:
		on_time = [v for v in fits if _sec(v.shift_start) + secs[v.depot][i] <= win[1]]
		if not on_time:
			return f"its window closes at minute {s.window[1]:g}, before a vehicle can get there"
	for v in on_time:
		go, back = secs[v.depot][i], secs[i][v.depot]
		start = _sec(v.shift_start) + go
		if win:
			start = max(start, win[0])
		# leave as late as the window allows: the shift counts from leaving the depot
		leave = start - go
		if start + _sec(s.service) + back - leave <= _sec(v.shift) and (
			start + _sec(s.service) + back <= _sec(v.shift_start + v.shift)
		):
			return ""
	return "it is too far to reach, serve and return within any shift"


def _replay(vt: Vehicle, seq, depart: int, stops, nd, dist, secs, metres) -> tuple[Route, set[int]]:
	"""Drive the route on the solver's whole seconds; drop any stop that breaks a window, the load or the shift."""
	depart = max(depart, _sec(vt.shift_start))
	cap_w = _grams(vt.max_weight)
	cap_v = _litres(vt.max_volume) if vt.max_volume else NOT_LIMITED
	kept = list(seq)
	dropped: set[int] = set()
	while True:
		load_w = sum(_grams(stops[i - nd].weight) for i in kept)
		load_v = sum(_litres(stops[i - nd].volume) for i in kept)
		if kept and (load_w > cap_w or load_v > cap_v):
			victim = max(kept, key=lambda i: (stops[i - nd].weight, stops[i - nd].volume))
			kept.remove(victim)
			dropped.add(victim)
			continue
		clock, prev, times, late = depart, vt.depot, [], None
		for i in kept:
			s = stops[i - nd]
			arrive = clock + secs[prev][i]
			start = max(arrive, _sec(s.window[0])) if s.window else arrive
			if s.window and start > _sec(s.window[1]):
				late = i
				break
			times.append((i, arrive, start))
			clock = start + _sec(s.service)
			prev = i
		if late is not None:
			kept.remove(late)
			dropped.add(late)
			continue
		back = clock + secs[prev][vt.depot]
		if kept and (back > _sec(vt.shift_start + vt.shift) or back - depart > _sec(vt.shift)):
			dropped.add(kept.pop())
			continue
		break
	visits, prev = [], vt.depot
	w_left = sum(stops[i - nd].weight for i in kept)
	v_left = sum(stops[i - nd].volume for i in kept)
	total_w, total_v, length = w_left, v_left, 0.0
	for i, arrive, start in times:
		s = stops[i - nd]
		w_left -= s.weight
		v_left -= s.volume
		length += metres[prev][i]
		visits.append(
			Visit(
				s.id,
				arrive / 60,
				start / 60,
				metres[prev][i],
				(start + _sec(s.service)) / 60,
				max(w_left, 0.0),
				max(v_left, 0.0),
			)
		)
		prev = i
	length += metres[prev][vt.depot]
	return Route(
		vt.id, visits, length if visits else 0.0, total_w, total_v, depart / 60, back / 60, vt.depot
	), dropped


def solve_cvrp(
	distance: Sequence[Sequence[int]],
	demand: Sequence[int],
	capacity: int,
	vehicles: int,
	seconds: float = 2.0,
	seed: int = 1,
) -> tuple[list[list[int]], int]:
	"""Capacitated routing over a supplied integer matrix (node 0 the depot): routes of node ids and cost.

	Every customer must be served; at most `vehicles` routes of at most `capacity` each. `seconds`
	is the whole budget: the time spent building the model is taken off the search.
	"""
	began = time.perf_counter()
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
	best = m.solve(stop=MaxRuntime(_left(seconds, began)), seed=seed, display=False).best
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
	its window the shift). Every customer is required; returns routes of node ids and total distance.
	`seconds` is the whole budget, model building included."""
	began = time.perf_counter()
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
	best = m.solve(stop=MaxRuntime(_left(seconds, began)), seed=seed, display=False).best
	if not best.is_feasible():
		raise WmsInputError("instance", "no feasible routing found in the time given")
	routes = [[a.idx + 1 for a in r.schedule() if a.is_client()] for r in best.routes()]
	return routes, int(best.distance())


def _left(seconds: float, began: float) -> float:
	return max(0.05, seconds - (time.perf_counter() - began) - 0.01)
