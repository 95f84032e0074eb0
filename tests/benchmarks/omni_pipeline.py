"""Benchmark: the order pipeline (parse → map → dedupe → SKU map → review → route) over generated
platform payloads, against plain `json.loads` of the same bytes.

    /work/devenv/bin/python tests/benchmarks/omni_pipeline.py [N]
"""

from __future__ import annotations

import copy
import json
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "apps" / "omni_channel")]

from omni_channel.channels import mapper_for  # noqa: E402
from omni_channel.core.exactly_once import OrderBook  # noqa: E402
from omni_channel.core.payload import loads  # noqa: E402
from omni_channel.core.review import ReviewConfig, review  # noqa: E402
from omni_channel.core.routing import RegionTable, route  # noqa: E402
from omni_channel.core.skus import DictLookup, map_skus  # noqa: E402

FIX = ROOT / "apps" / "omni_channel" / "omni_channel" / "channels"


def templates():
	out = []
	for platform in ("shopify", "taobao", "woocommerce"):
		for p in sorted((FIX / platform / "fixtures").glob("*.json")):
			if not p.stem.startswith("webhook_"):
				out.append((platform, json.loads(p.read_text(encoding="utf-8"))))
	return out


def generate(n: int):
	"""n payloads cycling the fixtures with fresh ids; every 10th repeats an earlier one (a duplicate)."""
	tpls = templates()
	out = []
	for i in range(n):
		platform, t = tpls[i % len(tpls)]
		d = copy.deepcopy(t)
		j = i - len(tpls) if i % 10 == 9 and i >= len(tpls) else i  # same template, same id: a redelivery
		if platform == "taobao":
			tr = d.get("trade_fullinfo_get_response", {}).get("trade", d)
			tr["tid"] = 5_000_000_000_000_000_000 + j
			tr["tid_str"] = str(tr["tid"])
		else:
			d["id"] = 10_000_000 + j
		out.append((platform, json.dumps(d, ensure_ascii=False).encode()))
	return out


def run(n: int) -> None:
	payloads = generate(n)
	size = sum(len(b) for _, b in payloads)

	t = time.perf_counter()
	for _, raw in payloads:
		json.loads(raw)
	base = time.perf_counter() - t

	lookup = DictLookup(
		{
			s: f"ITEM-{s}"
			for s in [
				"TEA-POT-BLK-08",
				"TEA-SENCHA-100",
				"RV-R7",
				"RV-FILTER-3",
				"MUG-BLU",
				"GIFTCARD-3000",
				"HOODIE-NAVY-L",
				"CUPS-6",
				"JUG-35",
				"CANDLE",
				"TEA-LONGJING-250G",
				"CUP-GLASS",
				"COAT-DOWN-M",
				"SCARF-01",
			]
		}
	)
	cfg = ReviewConfig(
		amount_limit=Decimal(1000),
		price_floors={"RV-R7": Decimal(900)},
		served_regions=frozenset({"CN", "DE", "US", "GB", "NL", "JP"}),
	)
	table = RegionTable({"CN/浙江省": ("HZ", "SH"), "CN": ("SH", "HZ")}, default=("EU",))
	stock = {w: {f"ITEM-{s}": 50 for s in lookup.skus} for w in ("HZ", "SH", "EU")}
	mappers = {p: mapper_for(p) for p in ("shopify", "taobao", "woocommerce")}
	book = OrderBook()
	shops = {p: f"bench-{p}" for p in mappers}
	counts = {"create": 0, "update": 0, "ignore": 0, "held": 0, "routed": 0}

	t = time.perf_counter()
	for platform, raw in payloads:
		order = mappers[platform](loads(raw), shops[platform])
		action = book.accept(order)
		counts[action] += 1
		if action == "ignore":
			continue
		m = map_skus(order, lookup)
		if review(order, cfg, m):
			counts["held"] += 1
		need: dict[str, int] = {}
		for ml in m.mapped:
			need[ml.item_code] = need.get(ml.item_code, 0) + ml.line.open_qty
		route(need, stock, table.warehouses_for(order.ship_to))
		counts["routed"] += 1
	full = time.perf_counter() - t

	print(
		f"omni_channel pipeline — {n:,} orders, {size / n:,.0f} bytes each on average, Python {sys.version.split()[0]}"
	)
	print()
	print(f"| {'stage':<44} | {'seconds':>8} | {'orders/s':>10} | {'× json.loads':>12} |")
	print(f"|{'-' * 46}|{'-' * 10}|{'-' * 12}|{'-' * 14}|")
	print(f"| {'json.loads only (baseline)':<44} | {base:8.3f} | {n / base:10,.0f} | {1:12.2f} |")
	print(
		f"| {'parse → map → dedupe → SKU → review → route':<44} | {full:8.3f} | {n / full:10,.0f} | {full / base:12.2f} |"
	)
	print()
	print(
		f"created {counts['create']:,}, duplicates ignored {counts['ignore']:,}, held for review {counts['held']:,}, routed {counts['routed']:,}"
	)
	print(
		f"goal ≥ 5,000 orders/s: {'met' if n / full >= 5000 else 'NOT met'};  goal ≤ 5× parse: {'met' if full / base <= 5 else 'NOT met'}"
	)


if __name__ == "__main__":
	run(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
