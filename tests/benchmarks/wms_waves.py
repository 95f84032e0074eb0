"""Wave benchmark: a generated day of orders, batched into cart-sized waves against one tour per order.

    python tests/benchmarks/wms_waves.py [--days 3] [--orders 120] [--seed 5]

A single-block store of 20 aisles × 30 positions; each order has 1–5 lines in bins drawn with
ABC-like popularity; the cart holds 20 units. Prints walking distance per day both ways and the
ratio (batched ÷ one tour per order: lower is better), with the time taken.
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
		"| day | orders | lines | waves | one tour per order (m) | batched (m) | ratio | s |\n|---|---:|---:|---:|---:|---:|---:|---:|"
	)
	ratios = []
	for day in range(1, args.days + 1):
		orders = []
		for i in range(args.orders):
			chosen = list(dict.fromkeys(rng.choices(bins, weights, k=rng.randint(1, 5))))
			orders.append(
				Order(f"SO-{day}-{i}", tuple(Line(f"SO-{day}-{i}", b, b, rng.randint(1, 3)) for b in chosen))
			)
		single = sum(best_tour(layout, [ln.bin for ln in o.lines]).length for o in orders)
		t = time.perf_counter()
		waves = build_waves(layout, orders, Cart(units=20))
		took = time.perf_counter() - t
		batched = sum(w.tour.length for w in waves)
		ratios.append(batched / single)
		lines = sum(len(o.lines) for o in orders)
		print(
			f"| {day} | {len(orders)} | {lines} | {len(waves)} | {single:,.0f} | {batched:,.0f} | {batched / single:.3f} | {took:.1f} |"
		)
	print(
		f"\nbatched waves walk {sum(ratios) / len(ratios):.3f}× the distance of one tour per order (mean over {len(ratios)} days)"
	)


if __name__ == "__main__":
	main()
