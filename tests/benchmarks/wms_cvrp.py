"""CVRP benchmark: our router (PyVRP through wms_tms.core.routing.solve_cvrp) beside OR-Tools.

    python tests/benchmarks/wms_cvrp.py ../shared/datasets/cvrplib/A [--seconds 2] [--bks ../shared/datasets/cvrplib/bks.csv]

Each instance folder holds VRPLIB .vrp files (TSPLIB EUC_2D: every edge int(√(dx²+dy²) + 0.5)) and
the best known costs in bks.csv (or a .sol beside each .vrp). Both solvers get the same time
limit and at most the fleet size in the instance name (…-kN); OR-Tools runs its routing
solver with guided local search from path-cheapest-arc, the distances given as a matrix (not a
Python callback, which would slow it down). Every solution is re-checked
here: each customer exactly once, no route over capacity, no more routes than vehicles, cost
recomputed from the matrix. Prints a table and a final `mean gap …` line.
"""

import argparse
import csv
import math
import re
import sys
import time
from pathlib import Path

import vrplib

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "apps" / "wms_tms"))

from wms_tms.core.routing import solve_cvrp


def euc2d(coords) -> list[list[int]]:
	return [[int(math.sqrt((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) + 0.5) for b in coords] for a in coords]


def check(routes, d, demand, capacity, vehicles) -> int:
	"""The recomputed cost; raises on any broken rule."""
	seen = [c for r in routes for c in r]
	if sorted(seen) != list(range(1, len(d))):
		raise AssertionError("not every customer exactly once")
	if len([r for r in routes if r]) > vehicles:
		raise AssertionError(f"{len(routes)} routes > {vehicles} vehicles")
	cost = 0
	for r in routes:
		if sum(demand[c] for c in r) > capacity:
			raise AssertionError("route over capacity")
		path = [0, *r, 0]
		cost += sum(d[a][b] for a, b in zip(path, path[1:], strict=False))
	return cost


def ortools_cvrp(d, demand, capacity, vehicles, seconds) -> list[list[int]]:
	from ortools.constraint_solver import pywrapcp, routing_enums_pb2

	manager = pywrapcp.RoutingIndexManager(len(d), vehicles, 0)
	routing = pywrapcp.RoutingModel(manager)
	# matrix and vector transits: no Python callback in OR-Tools' inner loop (twice as many moves)
	transit = routing.RegisterTransitMatrix([list(row) for row in d])
	routing.SetArcCostEvaluatorOfAllVehicles(transit)
	load = routing.RegisterUnaryTransitVector(list(demand))
	routing.AddDimensionWithVehicleCapacity(load, 0, [capacity] * vehicles, True, "load")
	params = pywrapcp.DefaultRoutingSearchParameters()
	params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
	params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
	params.time_limit.FromMilliseconds(int(seconds * 1000))
	sol = routing.SolveWithParameters(params)
	if sol is None:
		return []
	routes = []
	for v in range(vehicles):
		i, r = routing.Start(v), []
		while not routing.IsEnd(i):
			node = manager.IndexToNode(i)
			if node:
				r.append(node)
			i = sol.Value(routing.NextVar(i))
		if r:
			routes.append(r)
	return routes


def best_known(folder: Path, bks_file: Path | None) -> dict[str, int]:
	known = {}
	if bks_file and bks_file.exists():
		with open(bks_file) as f:
			known = {row["instance"]: int(row["bks"]) for row in csv.DictReader(f)}
	for sol in folder.glob("*.sol"):
		if sol.stem not in known:
			m = re.search(r"Cost\s+(\d+)", sol.read_text())
			if m:
				known[sol.stem] = int(m.group(1))
	return known


def main() -> None:
	ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	ap.add_argument("folder", type=Path)
	ap.add_argument("--seconds", type=float, default=2.0)
	ap.add_argument("--bks", type=Path, default=None)
	args = ap.parse_args()
	bks = best_known(args.folder, args.bks or args.folder.parent / "bks.csv")
	print(
		"| instance | BKS | ours | gap % | s | OR-Tools | gap % | s |\n|---|---:|---:|---:|---:|---:|---:|---:|"
	)
	gaps, og, took = [], [], []
	for path in sorted(args.folder.glob("*.vrp")):
		inst = vrplib.read_instance(str(path), compute_edge_weights=False)
		d = euc2d(inst["node_coord"].tolist())
		demand = [int(x) for x in inst["demand"]]
		cap = int(inst["capacity"])
		k = int(re.search(r"-k(\d+)", path.stem).group(1))
		t = time.perf_counter()
		routes, _ = solve_cvrp(d, demand, cap, k, seconds=args.seconds)
		ours_s = time.perf_counter() - t
		took.append(ours_s)
		ours = check(routes, d, demand, cap, k)
		t = time.perf_counter()
		oroutes = ortools_cvrp(d, demand, cap, k, args.seconds)
		or_s = time.perf_counter() - t
		ort = check(oroutes, d, demand, cap, k) if oroutes else None
		best = bks[path.stem]
		gap = 100 * (ours - best) / best
		gaps.append(gap)
		ogap = 100 * (ort - best) / best if ort else float("nan")
		og.append(ogap)
		print(
			f"| {path.stem} | {best} | {ours} | {gap:.2f} | {ours_s:.1f} | {ort} | {ogap:.2f} | {or_s:.1f} |"
		)
	mean = sum(gaps) / len(gaps)
	solved = [g for g in og if not math.isnan(g)]
	omean = sum(solved) / len(solved) if solved else float("nan")
	print(
		f"\nmean gap {mean:.3f}% (ours, {len(gaps)} instances, {args.seconds:g} s limit, longest call {max(took):.2f} s, "
		f"{sum(g == 0 for g in gaps)} at the optimum, all solutions re-checked); "
		f"OR-Tools mean gap {omean:.3f}% over the {len(solved)} it solved at the same limit "
		f"({len(og) - len(solved)} without a feasible solution)"
	)


if __name__ == "__main__":
	main()
