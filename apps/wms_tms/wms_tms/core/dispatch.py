"""Dispatch a day: a store's open deliveries spread over its vehicles at once, and what moved
between two plans of the same day.

Times are minutes from midnight of the day planned. A delivery the router cannot take (no place
on the map, too heavy, a window no vehicle can reach …) comes back unserved with a reason code
the desk translates, and the router's own words as detail.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from wms_tms.core import routing
from wms_tms.core.errors import WmsInputError

DAY = 24 * 60

# reason codes for a delivery left off the plan
NO_PLACE = "no_place"  # its address has no latitude / longitude
TOO_HEAVY = "too_heavy"  # heavier than any vehicle carries
TOO_BIG = "too_big"  # more volume than any vehicle that carries its weight holds
WINDOW = "window"  # its receiving hours close before any vehicle can get there
TOO_FAR = "too_far"  # no shift is long enough to reach it, unload and come back
NO_ROOM = "no_room"  # each could take it alone, but the day is full (capacity, hours, shifts)
REASONS = (NO_PLACE, TOO_HEAVY, TOO_BIG, WINDOW, TOO_FAR, NO_ROOM)


@dataclass(frozen=True)
class Delivery:
	id: str
	lat: float | None
	lng: float | None
	weight: float = 0.0  # kg
	volume: float = 0.0  # m³
	window: tuple[float, float] | None = None  # receiving hours, minutes from midnight
	service: float = 10.0  # minutes to unload


@dataclass(frozen=True)
class Truck:
	id: str
	max_weight: float  # kg
	max_volume: float = 0.0  # m³, 0 = not limited
	shift: tuple[float, float] = (8 * 60, 18 * 60)  # leaves no earlier, back no later (minutes)


@dataclass(frozen=True)
class Unserved:
	delivery: str
	reason: str  # one of REASONS
	detail: str = ""


@dataclass
class DayPlan:
	routes: list[routing.Route]
	unserved: list[Unserved] = field(default_factory=list)

	def sequence(self) -> dict[str, list[str]]:
		"""{vehicle: deliveries in visiting order} for the vehicles that go out."""
		return {r.vehicle: [v.stop for v in r.visits] for r in self.routes if r.visits}


def search_seconds(stops: int) -> float:
	"""The router's time budget: a second for a handful of stops, growing to 3 s from 200 stops on
	(200 stops over 10 vehicles must be planned within 10 s in the desk, documents included)."""
	if stops < 0:
		raise WmsInputError("stops", "cannot be negative")
	return min(3.0, max(1.0, 0.5 + stops / 80))


def reason_of(text: str) -> str:
	"""The code of the router's reason for leaving a stop off (see routing._why_not and plan)."""
	t = text.lower()
	if t.startswith("weighs"):
		return TOO_HEAVY
	if "m³" in t and "no vehicle" in t:
		return TOO_BIG
	if "window closes" in t:
		return WINDOW
	if "too far" in t:
		return TOO_FAR
	return NO_ROOM


def plan_day(
	depot: tuple[float, float],
	deliveries: Sequence[Delivery],
	trucks: Sequence[Truck],
	road_factor: float = 1.3,
	speed_kmh: float = 30.0,
	seconds: float | None = None,
	seed: int = 1,
) -> DayPlan:
	"""Routes for the trucks over the deliveries; every delivery is either on exactly one route or
	unserved with a reason."""
	if not trucks:
		raise WmsInputError("vehicles", "choose at least one vehicle")
	for t in trucks:
		start, end = t.shift
		if not (_number(start) and _number(end) and 0 <= start < end <= 2 * DAY):
			raise WmsInputError(t.id, f"shift {start!r}–{end!r} is not a start before an end (minutes)")
	unserved, placed = [], []
	for d in deliveries:
		if d.lat is None or d.lng is None:
			unserved.append(Unserved(d.id, NO_PLACE, "its address has no latitude / longitude"))
		else:
			placed.append(d)
	stops = [routing.Stop(d.id, d.lat, d.lng, d.weight, d.volume, d.window, d.service) for d in placed]
	vehicles = [
		routing.Vehicle(
			t.id,
			t.max_weight,
			t.max_volume,
			shift=t.shift[1] - t.shift[0],
			shift_start=t.shift[0],
		)
		for t in trucks
	]
	if not stops:
		return DayPlan([], unserved)
	result = routing.plan(
		depot,
		stops,
		vehicles,
		road_factor=road_factor,
		speed_kmh=speed_kmh,
		seconds=search_seconds(len(stops)) if seconds is None else seconds,
		seed=seed,
	)
	order = {d.id: i for i, d in enumerate(deliveries)}
	unserved += [Unserved(sid, reason_of(why), why) for sid, why in result.unserved.items()]
	unserved.sort(key=lambda u: order[u.delivery])
	routes = sorted(result.routes, key=lambda r: [t.id for t in trucks].index(r.vehicle))
	return DayPlan(routes, unserved)


def _number(x) -> bool:
	return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


@dataclass(frozen=True)
class Move:
	delivery: str
	before: str | None  # vehicle it was on (None: it was not planned)
	after: str | None  # vehicle it is on now (None: it is no longer planned)
	position_before: int | None = None  # 1-based
	position_after: int | None = None

	@property
	def kind(self) -> str:
		if self.before is None:
			return "added"
		if self.after is None:
			return "dropped"
		if self.before != self.after:
			return "vehicle"
		return "order"


def moves(before: Mapping[str, Sequence[str]], after: Mapping[str, Sequence[str]]) -> list[Move]:
	"""What changed between two plans ({vehicle: deliveries in order}).

	A delivery moved when it changed vehicle, came onto or went off the plan, or changed its place
	among the deliveries that stayed on its vehicle: a stop whose neighbours left or arrived, but
	that is visited in the same order relative to the others that stayed, did not move."""
	where_before = _positions(before)
	where_after = _positions(after)
	out = []
	for d in sorted(
		set(where_before) | set(where_after), key=lambda d: _sort_key(d, where_after, where_before)
	):
		b, a = where_before.get(d), where_after.get(d)
		if b is None or a is None or b[0] != a[0]:
			out.append(Move(d, b and b[0], a and a[0], b and b[1], a and a[1]))
			continue
		vehicle = a[0]
		stayed = set(before[vehicle]) & set(after[vehicle])
		rank_b = [x for x in before[vehicle] if x in stayed].index(d)
		rank_a = [x for x in after[vehicle] if x in stayed].index(d)
		if rank_b != rank_a:
			out.append(Move(d, vehicle, vehicle, b[1], a[1]))
	return out


def _positions(plan: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, int]]:
	out: dict[str, tuple[str, int]] = {}
	for vehicle, seq in plan.items():
		for i, d in enumerate(seq, start=1):
			if d in out:
				raise WmsInputError(d, f"is on two vehicles ({out[d][0]} and {vehicle})")
			out[d] = (vehicle, i)
	return out


def _sort_key(d: str, *plans: Mapping[str, tuple[str, int]]):
	for p in plans:
		if d in p:
			return (p[d][0], p[d][1], d)
	return ("", 0, d)
