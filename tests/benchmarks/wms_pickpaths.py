"""Pick-path benchmark on generated stores: the shortest tour against S-shape, largest gap and combined.

    python tests/benchmarks/wms_pickpaths.py [--tours 60] [--seed 3] [--seconds 0.5]

Seeded single-block and two-block stores of 10–30 aisles (20–40 positions), 5–60 picks per tour.

* Single block: the exact tour (Ratliff–Rosenthal) is re-checked against Held–Karp, an
  independent exact programme, on every tour of at most 12 distinct spots, and against PyVRP
  (which may only tie or lose) on every larger one.
* Two blocks: the shortest tour is Held–Karp (exact) up to 12 spots, near-exact (PyVRP,
  never longer than any heuristic) beyond.

Prints, per store type and tour size, the average saving over S-shape of the shortest tour, of
largest gap and of combined, then the mean time per tour of each method, and a summary line.
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "apps" / "wms_tms"))

from wms_tms.core.layout import Bin, Layout
from wms_tms.core.pickpath import (
	EXACT_LIMIT,
	best_tour,
	combined,
	largest_gap,
	near_exact,
	s_shape,
	spot_tour,
	tour_length,
)


def check(ok, what: str) -> None:
	"""A result check that stays under `python -O` (an assert would vanish): stop with the reason."""
	if not ok:
		raise SystemExit(f"benchmark check failed: {what}")


def store(rng: random.Random, blocks: int) -> Layout:
	layout = Layout(
		aisles=rng.randint(10, 30),
		positions=rng.randint(20, 40),
		blocks=blocks,
		position_pitch=1.0,
		aisle_pitch=3.0,
		cross_aisle_width=2.0,
		depot_aisle=rng.choice([0.0, 1.0, 5.5]),
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
	ap.add_argument("--tours", type=int, default=60, help="tours per store type")
	ap.add_argument("--seed", type=int, default=3)
	ap.add_argument("--seconds", type=float, default=0.5, help="PyVRP cap per single-block cross-check")
	args = ap.parse_args()
	rng = random.Random(args.seed)
	rows: dict[tuple[str, str], list] = {}
	times: dict[str, list[float]] = {}
	checks = {"rr_vs_hk": [0, 0], "rr_vs_pyvrp": [0, 0], "walks": 0}
	pyvrp_ratio = []
	for blocks in (1, 2):
		for _ in range(args.tours):
			layout = store(rng, blocks)
			picks = rng.sample(list(layout.bins), rng.randint(5, 60))
			best, t_best = timed(best_tour, layout, picks)
			heur = {}
			for name, fn in (("s-shape", s_shape), ("largest-gap", largest_gap), ("combined", combined)):
				tour, t = timed(fn, layout, picks)
				heur[name] = tour
				times.setdefault(f"{name} ({blocks} block{'s' * (blocks > 1)})", []).append(t)
				check(sorted(tour.bins) == sorted(picks), f"{name} lost a pick")
				check(tour.length >= best.length - 1e-6, f"{name} beat the shortest tour")
			check(sorted(best.bins) == sorted(picks), "the shortest tour lost a pick")
			check(
				abs(tour_length(layout, best.bins) - best.length) < 1e-6,
				"the shortest tour's length is wrong",
			)
			checks["walks"] += 1
			spots = len({(layout.spot(b).x, layout.spot(b).y) for b in picks})
			label = (
				best.method
				if blocks == 1
				else ("exact (Held–Karp)" if spots <= EXACT_LIMIT else "near-exact")
			)
			times.setdefault(f"shortest: {label} ({blocks} block{'s' * (blocks > 1)})", []).append(t_best)
			if blocks == 1:
				if spots <= EXACT_LIMIT:
					hk = spot_tour(layout, picks)
					checks["rr_vs_hk"][0] += abs(hk.length - best.length) < 1e-6
					checks["rr_vs_hk"][1] += 1
				else:
					pv = near_exact(layout, picks, seconds=args.seconds)
					checks["rr_vs_pyvrp"][0] += pv.length >= best.length - 1e-6
					checks["rr_vs_pyvrp"][1] += 1
					pyvrp_ratio.append(pv.length / best.length)
			size = "5–12 spots" if spots <= EXACT_LIMIT else "13–60 spots"
			s = heur["s-shape"].length
			rows.setdefault((f"{blocks} block{'s' * (blocks > 1)}", size), []).append(
				(1 - best.length / s, 1 - heur["largest-gap"].length / s, 1 - heur["combined"].length / s)
			)
	print("saving against S-shape (higher is better)\n")
	print(
		"| store | tour size | tours | shortest saves | largest gap saves | combined saves |\n|---|---|---:|---:|---:|---:|"
	)
	for (st, size), r in sorted(rows.items()):
		cols = [statistics.mean(x[i] for x in r) for i in range(3)]
		print(f"| {st} | {size} | {len(r)} | {cols[0]:.1%} | {cols[1]:.1%} | {cols[2]:.1%} |")
	print("\n| method | tours | mean time per tour | max |\n|---|---:|---:|---:|")
	for k, v in times.items():
		print(f"| {k} | {len(v)} | {statistics.mean(v) * 1000:.1f} ms | {max(v) * 1000:.0f} ms |")
	hk_ok, hk_n = checks["rr_vs_hk"]
	pv_ok, pv_n = checks["rr_vs_pyvrp"]
	print(
		f"\nexact single-block tour = Held–Karp on {hk_ok}/{hk_n} small tours; PyVRP never shorter on "
		f"{pv_ok}/{pv_n} large ones (PyVRP ÷ exact {statistics.mean(pyvrp_ratio):.4f}); "
		f"{checks['walks']} tours re-walked"
	)
	one = [x for (st, _s), r in rows.items() if st == "1 block" for x in r]
	two = [x for (st, _s), r in rows.items() if st == "2 blocks" for x in r]
	print(
		f"mean saving over S-shape: shortest {statistics.mean(x[0] for x in one):.1%} (1 block), "
		f"{statistics.mean(x[0] for x in two):.1%} (2 blocks); largest gap {statistics.mean(x[1] for x in one):.1%} / "
		f"{statistics.mean(x[1] for x in two):.1%}; combined {statistics.mean(x[2] for x in one):.1%} / "
		f"{statistics.mean(x[2] for x in two):.1%}"
	)


if __name__ == "__main__":
	main()
