"""RFM benchmark: 1M customers / 10M invoice facts (seeded), our column path against a pandas baseline.

    python tests/benchmarks/crm_rfm.py [--customers 1000000] [--facts 10000000] [--seed 7]

Times, in the same run: our full RFM + segments (filter the window, aggregate, cut points,
scores, segments); the scoring step alone for all customers; a straightforward pandas
groupby + qcut baseline doing the same job; and an incremental update of 1% of the customers
against the full run's boundaries. Checks that both paths score the same number of customers.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "apps" / "online_crm"))

from online_crm.core.rfm import score_arrays, score_columns, segment_grid

AS_OF = 739_000  # an ordinal day


def check(ok, what: str) -> None:
	"""A result check that stays under `python -O` (an assert would vanish): stop with the reason."""
	if not ok:
		raise SystemExit(f"benchmark check failed: {what}")


def generate(customers: int, facts: int, seed: int):
	rng = np.random.default_rng(seed)
	# every customer buys about ten times in 500 days; a tenth of the facts go to 1% heavy buyers
	customer = rng.integers(0, customers, facts)
	heavy = rng.random(facts) < 0.1
	customer[heavy] = rng.integers(0, customers // 100, heavy.sum())
	day = AS_OF - rng.integers(0, 500, facts)
	amount = np.round(rng.lognormal(4, 1, facts), 2)
	is_return = rng.random(facts) < 0.03
	invoice = np.arange(facts, dtype=np.int64)
	return customer, day, amount, is_return, invoice


def pandas_baseline(customer, day, amount, is_return, invoice):
	df = pd.DataFrame({"c": customer, "d": day, "a": amount, "ret": is_return, "inv": invoice})
	df = df[(df.d > AS_OF - 365) & (df.d <= AS_OF)]
	df["signed"] = np.where(df.ret, -df.a.abs(), df.a)
	buys = df[~df.ret]
	g = buys.groupby("c").agg(last=("d", "max"), frequency=("inv", "nunique"))
	g["monetary"] = df.groupby("c")["signed"].sum()
	g["recency"] = AS_OF - g["last"]
	g["R"] = pd.qcut(g.recency.rank(method="first"), 5, labels=[5, 4, 3, 2, 1]).astype(int)
	g["F"] = pd.qcut(g.frequency.rank(method="first"), 5, labels=[1, 2, 3, 4, 5]).astype(int)
	g["M"] = pd.qcut(g.monetary.rank(method="first"), 5, labels=[1, 2, 3, 4, 5]).astype(int)
	g["segment"] = g.R.astype(str) + g.F.astype(str)
	return g


def timed(fn, *args, repeat: int = 1, **kw):
	"""(result, median seconds over `repeat` runs)."""
	times, out = [], None
	for _ in range(repeat):
		t = time.perf_counter()
		out = fn(*args, **kw)
		times.append(time.perf_counter() - t)
	return out, statistics.median(times)


def main() -> None:
	ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	ap.add_argument("--customers", type=int, default=1_000_000)
	ap.add_argument("--facts", type=int, default=10_000_000)
	ap.add_argument("--seed", type=int, default=7)
	ap.add_argument("--repeat", type=int, default=3, help="median of this many runs per step")
	args = ap.parse_args()
	k = args.repeat
	cols, gen_s = timed(generate, args.customers, args.facts, args.seed)
	ours, ours_s = timed(score_columns, *cols, AS_OF, repeat=k)
	n = len(ours["customer"])
	b = ours["boundaries"]
	_, score_s = timed(score_arrays, ours["recency"], ours["frequency"], ours["monetary"], b, repeat=k)
	names, grid = segment_grid()
	_, seg_s = timed(lambda: grid[ours["r"], ours["f"]], repeat=k)
	base, base_s = timed(pandas_baseline, *cols, repeat=k)
	check(len(base) == n, f"pandas scored {len(base)} customers, ours {n}")
	check((base.index.to_numpy() == ours["customer"]).all(), "customers differ from the pandas baseline")
	check(
		np.allclose(base.monetary.to_numpy(), ours["monetary"], atol=0.01 * 60),  # cents per fact
		"monetary differs from the pandas baseline",
	)

	rng = np.random.default_rng(args.seed + 1)
	touched = rng.choice(ours["customer"], size=max(1, n // 100), replace=False)
	customer, day, amount, is_return, invoice = cols
	(sub, select_s) = timed(lambda: [c[np.isin(customer, touched)] for c in cols], repeat=k)
	inc, rescore_s = timed(score_columns, *sub, AS_OF, boundaries=b, repeat=k)
	check(len(inc["customer"]) == len(touched), "incremental run scored another set of customers")
	pos = np.searchsorted(ours["customer"], inc["customer"])
	check(  # same boundaries, same data
		(ours["r"][pos] == inc["r"]).all() and (ours["m"][pos] == inc["m"]).all(),
		"incremental scores differ from the full run",
	)
	inc_s = select_s + rescore_s

	print(
		f"RFM — {args.facts:,} invoice facts, {n:,} customers scored (data generated in {gen_s:.1f} s); "
		f"numpy {np.__version__}, pandas {pd.__version__}; median of {k} runs\n"
	)
	print("| step | seconds | ratio |\n|---|---:|---:|")
	print(
		f"| ours: full RFM + segments (window, aggregate, cut points, scores, segments) | {ours_s:.2f} | 1.00 |"
	)
	print(
		f"| ours: scoring {n:,} customers against cut points (R, F, M) | {score_s:.3f} | {score_s / ours_s:.3f} |"
	)
	print(f"| ours: segments of {n:,} customers | {seg_s:.3f} | {seg_s / ours_s:.3f} |")
	print(f"| pandas groupby + qcut baseline, same job | {base_s:.2f} | {base_s / ours_s:.2f} |")
	print(
		f"| ours: incremental, 1% of customers ({len(touched):,}): pick their facts | {select_s:.3f} | {select_s / ours_s:.3f} |"
	)
	print(
		f"| ours: incremental, 1% of customers: re-score against kept boundaries | {rescore_s:.3f} | {rescore_s / ours_s:.3f} |"
	)
	print(f"| ours: incremental, both | {inc_s:.3f} | {inc_s / ours_s:.3f} |")
	print(
		f"\nscoring {n:,} customers (cut points → R, F, M → segments): {score_s + seg_s:.3f} s (goal ≤ 1 s: {'met' if score_s + seg_s <= 1 else 'NOT met'}); "
		f"full run from {args.facts:,} facts {ours_s:.2f} s, {base_s / ours_s:.2f}× faster than pandas; "
		f"incremental 1% = {inc_s / ours_s:.1%} of a full run"
	)


if __name__ == "__main__":
	main()
