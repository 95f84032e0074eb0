"""Pick-path benchmark on generated stores: the exact tour against S-shape, largest gap and PyVRP.

    python tests/benchmarks/wms_pickpaths.py [--tours 40] [--seed 3]

Single-block stores of 10–30 aisles with 5–60 picks per tour, and two-block stores (seeded).
The shortest tour is exact (Ratliff–Rosenthal) in single-block stores, PyVRP's near-exact tour
in two-block stores; prints the average saving over S-shape of the exact tour, of largest gap
and of the PyVRP tour, and the time per tour. (The exact programme is checked against brute
force and Held–Karp in the unit tests.)
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "apps" / "wms_tms"))

from wms_tms.core.layout import Bin, Layout
from wms_tms.core.pickpath import best_tour, combined, largest_gap, near_exact, s_shape


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
	times = {
		"exact (Ratliff–Rosenthal)": [],
		"near-exact (PyVRP)": [],
		"s-shape": [],
		"largest-gap": [],
		"combined": [],
	}
	for _ in range(args.tours):
		layout = store(rng, 1)
		picks = rng.sample(list(layout.bins), rng.randint(5, 60))
		best, t_best = timed(best_tour, layout, picks)
		approx, t_approx = timed(near_exact, layout, picks, seconds=args.seconds)
		s, t_s = timed(s_shape, layout, picks)
		lg, t_lg = timed(largest_gap, layout, picks)
		cb, t_cb = timed(combined, layout, picks)
		assert approx.length >= best.length - 1e-6 and s.length >= best.length - 1e-6
		for k, t in zip(times, (t_best, t_approx, t_s, t_lg, t_cb), strict=True):
			times[k].append(t)
		spots = len({(layout.spot(b).x, layout.spot(b).y) for b in picks})
		key = "small (5–12 picks)" if spots <= 12 else "large (13–60 picks)"
		rows[key].append(
			(
				1 - best.length / s.length,
				1 - lg.length / s.length,
				min(lg.length, s.length, cb.length) / best.length,
				approx.length / best.length,
				1 - cb.length / s.length,
			)
		)
	print("single-block stores, saving against S-shape (higher is better)\n")
	print(
		"| tours | n | exact saves | largest gap saves | combined saves | best heuristic ÷ exact | PyVRP ÷ exact |\n"
		"|---|---:|---:|---:|---:|---:|---:|"
	)
	for key, r in rows.items():
		if r:
			cols = [statistics.mean(x[i] for x in r) for i in range(5)]
			print(
				f"| {key} | {len(r)} | {cols[0]:.1%} | {cols[1]:.1%} | {cols[4]:.1%} | {cols[2]:.3f} | {cols[3]:.4f} |"
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
		f"\nmean saving of the exact tour over S-shape {statistics.mean(x[0] for x in all_rows):.1%}; largest gap {statistics.mean(x[1] for x in all_rows):.1%}; combined {statistics.mean(x[4] for x in all_rows):.1%} ({len(all_rows)} single-block tours)"
	)


if __name__ == "__main__":
	main()
