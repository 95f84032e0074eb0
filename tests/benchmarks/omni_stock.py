"""Benchmark: stock plan for 100k SKUs × 10 shops — from a full snapshot and from a 1 % change set.

/work/devenv/bin/python tests/benchmarks/omni_stock.py [SKUS]
"""

from __future__ import annotations

import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "apps" / "omni_channel")]

from omni_channel.core.stock import Level, ShopPolicy, StockPlanner  # noqa: E402

WAREHOUSES = ("WH-HZ", "WH-SH", "WH-GZ", "WH-BJ")


def check(ok, what: str) -> None:
	"""A result check that stays under `python -O` (an assert would vanish): stop with the reason."""
	if not ok:
		raise SystemExit(f"benchmark check failed: {what}")


def setup(n_skus: int):
	rnd = random.Random(42)
	items = [f"SKU-{i:06d}" for i in range(n_skus)]
	stock = {
		it: {
			w: Level(rnd.randint(0, 200), rnd.randint(0, 20), rnd.choice((0, 0, 2, 5)))
			for w in rnd.sample(WAREHOUSES, rnd.randint(1, 3))
		}
		for it in items
	}
	policies = [
		# two groups of 3 shops sharing a pool (ratios sum to ≤ 1), four shops on their own
		*(
			ShopPolicy(f"tmall-{k}", WAREHOUSES, Decimal(r), group="tmall")
			for k, r in enumerate(("0.5", "0.3", "0.2"))
		),
		*(
			ShopPolicy(f"jd-{k}", ("WH-BJ", "WH-SH"), Decimal(r), group="jd", buffer=1)
			for k, r in enumerate(("0.4", "0.4", "0.2"))
		),
		ShopPolicy(
			"shopify-eu",
			("WH-SH",),
			Decimal("0.8"),
			item_ratios={items[i]: Decimal("0.1") for i in range(0, n_skus, 50)},
		),
		ShopPolicy("shopify-us", ("WH-SH",), Decimal("0.2"), buffer=2),
		ShopPolicy("woo", ("WH-GZ",), Decimal("1")),
		ShopPolicy("douyin", ("WH-HZ", "WH-GZ"), Decimal("0.25")),
	]
	return rnd, items, stock, StockPlanner(policies)


def main(n_skus: int) -> None:
	rnd, items, stock, planner = setup(n_skus)
	n_shops = len(planner.policies)

	t = time.perf_counter()
	first = planner.plan(stock, {})
	t_first = time.perf_counter() - t
	pushed = {(p.shop, p.item): p.qty for p in first}

	# 1 % of SKUs move (sales, receipts): full recompute vs change set
	changed = rnd.sample(items, max(1, n_skus // 100))
	for it in changed:
		w = next(iter(stock[it]))
		lv = stock[it][w]
		stock[it][w] = Level(max(0, lv.actual + rnd.choice((-7, -3, -1, 4, 25))), lv.reserved, lv.safety)

	t = time.perf_counter()
	full = planner.plan(stock, pushed)
	t_full = time.perf_counter() - t

	t = time.perf_counter()
	delta = planner.plan(stock, pushed, items=changed)
	t_delta = time.perf_counter() - t

	check(
		{(p.shop, p.item, p.qty) for p in full} == {(p.shop, p.item, p.qty) for p in delta},
		"change set must find exactly the full plan's pushes",
	)

	print(
		f"omni_channel stock plan — {n_skus:,} SKUs × {n_shops} shops ({n_skus * n_shops:,} shop quantities), Python {sys.version.split()[0]}"
	)
	print()
	print(f"| {'plan':<40} | {'SKUs read':>10} | {'seconds':>8} | {'pushes':>9} |")
	print(f"|{'-' * 42}|{'-' * 12}|{'-' * 10}|{'-' * 11}|")
	print(
		f"| {'first sync (nothing pushed before)':<40} | {n_skus:>10,} | {t_first:8.3f} | {len(first):>9,} |"
	)
	print(f"| {'full snapshot after 1 % changed':<40} | {n_skus:>10,} | {t_full:8.3f} | {len(full):>9,} |")
	print(f"| {'1 % change set':<40} | {len(changed):>10,} | {t_delta:8.3f} | {len(delta):>9,} |")
	print()
	print(
		f"change set is {t_full / t_delta:,.0f}× faster than the full plan and pushes the same {len(delta):,} quantities (deltas only)."
	)


if __name__ == "__main__":
	main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
