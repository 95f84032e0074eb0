"""Wave benchmark: a generated day of orders, batched into cart-sized waves against one tour per order.

    python tests/benchmarks/wms_waves.py [--days 3] [--orders 120] [--seed 5]

A single-block store of 20 aisles × 30 positions; each order has 1–5 lines in bins drawn with
ABC-like popularity; the cart holds 20 units. Prints walking distance per day for one tour per
order (the baseline), first-come-first-served carts, our seed batches before and after the
local improvement, and the ratio batched ÷ one tour per order (lower is better), with the time
taken. Every tour is the exact shortest one, so the ratios measure the batching alone; every
line is checked to be picked exactly once and no cart overfilled.
"""

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "apps" / "wms_tms"))

from wms_tms.core.layout import Bin, Layout
from wms_tms.core.pickpath import best_tour
from wms_tms.core.waves import Cart, Line, Order, build_waves


def check(ok, what: str) -> None:
	"""A result check that stays under `python -O` (an assert would vanish): stop with the reason."""
	if not ok:
		raise SystemExit(f"benchmark check failed: {what}")


def main() -> None:
	ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	ap.add_argument("--days", type=int, default=3)
	ap.add_argument("--orders", type=int, default=120)
	ap.add_argument("--seed", type=int, default=5)
	args = ap.parse_args()
	rng = random.Random(args.seed)
	layout = Layout(aisles=20, positions=30, position_pitch=1.0, aisle_pitch=3.0, cross_aisle_width=2.0)
	for a in range(1, 21):
		for p in range(1, 31):
			layout.add(Bin(f"{a}-{p}", a, p))
	bins = list(layout.bins)
	weights = [1 / (i + 1) ** 0.8 for i in range(len(bins))]  # a few fast movers, a long tail
	print(
		"| day | orders | lines | one tour per order (m) | FCFS carts (m) | seed only (m) | waves | batched (m) | ratio | FCFS ratio | s |\n"
		"|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	)
	cart = Cart(units=20)
	ratios, fr = [], []
	for day in range(1, args.days + 1):
		orders = []
		for i in range(args.orders):
			chosen = list(dict.fromkeys(rng.choices(bins, weights, k=rng.randint(1, 5))))
			orders.append(
				Order(f"SO-{day}-{i}", tuple(Line(f"SO-{day}-{i}", b, b, rng.randint(1, 3)) for b in chosen))
			)
		single = sum(best_tour(layout, [ln.bin for ln in o.lines]).length for o in orders)
		fcfs = sum(
			best_tour(layout, [ln.bin for o in g for ln in o.lines]).length for g in first_come(orders, 20)
		)
		seed_only = sum(w.tour.length for w in build_waves(layout, orders, cart, improve=False))
		t = time.perf_counter()
		waves = build_waves(layout, orders, cart)
		took = time.perf_counter() - t
		picked = sorted((ln.order, ln.bin) for w in waves for o in w.orders for ln in o.lines)
		check(
			picked == sorted((ln.order, ln.bin) for o in orders for ln in o.lines), "a line lost or doubled"
		)
		check(all(w.load[0] <= 20 for w in waves), "a cart overfilled")
		batched = sum(w.tour.length for w in waves)
		ratios.append(batched / single)
		fr.append(fcfs / single)
		lines = sum(len(o.lines) for o in orders)
		print(
			f"| {day} | {len(orders)} | {lines} | {single:,.0f} | {fcfs:,.0f} | {seed_only:,.0f} | {len(waves)} | {batched:,.0f} | {batched / single:.3f} | {fcfs / single:.3f} | {took:.1f} |"
		)
	print(
		f"\nmean ratio {sum(ratios) / len(ratios):.3f}: batched waves walk that share of one tour per order "
		f"(first-come-first-served carts {sum(fr) / len(fr):.3f}; mean over {len(ratios)} days)"
	)


def first_come(orders, units):
	"""The baseline batching: orders in arrival order fill a cart until the next does not fit."""
	groups, current, load = [], [], 0
	for o in orders:
		if current and load + o.load[0] > units:
			groups.append(current)
			current, load = [], 0
		current.append(o)
		load += o.load[0]
	return groups + [current] if current else groups


if __name__ == "__main__":
	main()
