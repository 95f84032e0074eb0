"""VRPTW benchmark on Solomon instances: feasibility re-checked, gap to the distance-optimal solutions.

    python tests/benchmarks/wms_vrptw.py ../shared/datasets/solomon [--seconds 2]

Solomon .sol costs are total distance with each arc truncated to one decimal; the solver works
in tenths (integers), travel time = distance. Every solution is re-checked here (each customer
once, capacity, every service starting inside its window, back before the depot closes).
Prints a table and a final `mean gap …` line.
"""

import argparse
import math
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "apps" / "wms_tms"))

from wms_tms.core.routing import solve_vrptw


def check(ok, what: str) -> None:
	"""A result check that stays under `python -O` (an assert would vanish): stop with the reason."""
	if not ok:
		raise SystemExit(f"benchmark check failed: {what}")


def read(path: Path):
	lines = path.read_text().splitlines()
	i = next(k for k, ln in enumerate(lines) if ln.strip().startswith("NUMBER"))
	vehicles, capacity = (int(x) for x in lines[i + 1].split())
	rows = [ln.split() for ln in lines[i + 2 :] if re.match(r"^\s*\d+\s", ln)]
	nodes = [tuple(float(x) for x in r) for r in rows]
	return vehicles, capacity, nodes


def main() -> None:
	ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	ap.add_argument("folder", type=Path)
	ap.add_argument("--seconds", type=float, default=2.0)
	args = ap.parse_args()
	print("| instance | optimal | ours | gap % | routes | feasible | s |\n|---|---:|---:|---:|---:|---|---:|")
	gaps = []
	for path in sorted(args.folder.glob("*.txt")):
		sol = path.with_suffix(".sol")
		if not sol.exists():
			continue
		best = float(re.search(r"Cost\s+([\d.]+)", sol.read_text()).group(1))
		vehicles, capacity, nodes = read(path)
		xy = [(n[1], n[2]) for n in nodes]
		d = [
			[int(math.floor(math.hypot(a[0] - b[0], a[1] - b[1]) * 10)) for b in xy] for a in xy
		]  # tenths, truncated
		demand = [int(n[3]) for n in nodes]
		windows = [(int(n[4]) * 10, int(n[5]) * 10) for n in nodes]
		service = [int(n[6]) * 10 for n in nodes]
		t = time.perf_counter()
		routes, _ = solve_vrptw(d, demand, windows, service, capacity, vehicles, seconds=args.seconds)
		took = time.perf_counter() - t
		check(
			sorted(c for r in routes for c in r) == list(range(1, len(nodes))),
			f"{path.stem}: a customer lost or doubled",
		)
		cost = 0
		for r in routes:
			check(sum(demand[c] for c in r) <= capacity, f"{path.stem}: over capacity")
			clock, prev = windows[0][0], 0
			for c in r:
				clock = max(clock + d[prev][c], windows[c][0])
				check(clock <= windows[c][1], f"{path.stem}: late at {c}")
				clock += service[c]
				cost += d[prev][c]
				prev = c
			cost += d[prev][0]
			check(clock + d[prev][0] <= windows[0][1], f"{path.stem}: back at the depot after it closes")
		ours = cost / 10
		gap = 100 * (ours - best) / best
		gaps.append(gap)
		print(f"| {path.stem} | {best:.1f} | {ours:.1f} | {gap:.2f} | {len(routes)} | yes | {took:.1f} |")
	print(
		f"\nmean gap {sum(gaps) / len(gaps):.3f}% over {len(gaps)} Solomon instances, all feasible ({args.seconds:g} s each)"
	)


if __name__ == "__main__":
	main()
