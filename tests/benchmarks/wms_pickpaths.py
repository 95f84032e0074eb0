"""Pick-path benchmark on generated stores: shortest tour against S-shape and largest gap.

    python tests/benchmarks/wms_pickpaths.py [--tours 40] [--seed 3]

Single-block stores of 10–30 aisles with 5–60 picks per tour, and two-block stores (seeded).
The shortest tour is exact (Held–Karp) up to 12 pick spots and PyVRP's near-exact tour above;
prints the average saving over S-shape of the shortest tour and of largest gap, and the time
per tour. (On small cases the exact tour is checked against brute force in the unit tests.)
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "apps" / "wms_tms"))

from wms_tms.core.layout import Bin, Layout
from wms_tms.core.pickpath import best_tour, largest_gap, near_exact, s_shape


def store(rng: random.Random, blocks: int) -> Layout:
	layout = Layout(
		aisles=rng.randint(10, 30),
		positions=rng.randint(20, 40),
		blocks=blocks,
		position_pitch=1.0,
		aisle_pitch=3.0,
		cross_aisle_width=2.0,
	)
	for blk in range(blocks):
		for a in range(1, layout.aisles + 1):
			for p in range(1, layout.positions + 1):
				layout.add(Bin(f"{blk}-{a}-{p}", a, p, "L", 1, blk))
	return layout


def timed(fn, *a, **kw):
	t = time.perf_counter()
	out = fn(*a, **kw)
	return out, time.perf_counter() - t


def main() -> None:
	ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	ap.add_argument("--tours", type=int, default=40)
	ap.add_argument("--seed", type=int, default=3)
	ap.add_argument("--seconds", type=float, default=0.5, help="PyVRP time per large tour")
	args = ap.parse_args()
	rng = random.Random(args.seed)
	rows = {"small (5–12 picks)": [], "large (13–60 picks)": []}
	times = {"shortest": [], "s-shape": [], "largest-gap": []}
	for _ in range(args.tours):
		layout = store(rng, 1)
		n = rng.randint(5, 60)
		picks = rng.sample(list(layout.bins), n)
		best, t_best = (
			timed(near_exact, layout, picks, seconds=args.seconds)
			if n > 12
			else timed(best_tour, layout, picks)
		)
		s, t_s = timed(s_shape, layout, picks)
		lg, t_lg = timed(largest_gap, layout, picks)
		times["shortest"].append(t_best)
		times["s-shape"].append(t_s)
		times["largest-gap"].append(t_lg)
		spots = len({(layout.spot(b).x, layout.spot(b).y) for b in picks})
		key = "small (5–12 picks)" if spots <= 12 else "large (13–60 picks)"
		rows[key].append(
			(1 - best.length / s.length, 1 - lg.length / s.length, min(lg.length, s.length) / best.length)
		)
	print("single-block stores, saving against S-shape (higher is better)\n")
	print(
		"| tours | n | shortest tour saves | largest gap saves | best heuristic ÷ shortest |\n|---|---:|---:|---:|---:|"
	)
	for key, r in rows.items():
		if r:
			print(
				f"| {key} | {len(r)} | {statistics.mean(x[0] for x in r):.1%} | {statistics.mean(x[1] for x in r):.1%} | {statistics.mean(x[2] for x in r):.3f} |"
			)
	two = []
	for _ in range(max(5, args.tours // 4)):
		layout = store(rng, 2)
		picks = rng.sample(list(layout.bins), rng.randint(13, 40))
		tour, t = timed(near_exact, layout, picks, seconds=args.seconds)
		two.append((tour.length, t))
	print(
		f"\ntwo-block stores: {len(two)} tours of 13–40 picks, near-exact tour {statistics.mean(x[1] for x in two):.2f} s each"
	)
	print("\n| method | mean time per tour |\n|---|---:|")
	for k, v in times.items():
		print(f"| {k} | {statistics.mean(v) * 1000:.1f} ms |")
	all_rows = rows["small (5–12 picks)"] + rows["large (13–60 picks)"]
	print(
		f"\nmean saving of the shortest tour over S-shape {statistics.mean(x[0] for x in all_rows):.1%}; largest gap {statistics.mean(x[1] for x in all_rows):.1%} ({len(all_rows)} single-block tours)"
	)


if __name__ == "__main__":
	main()
