"""Business logic of WMS TMS: plain Python, no frappe import. Dataclasses in, dataclasses out;
bad input raises `errors.WmsInputError` (``.record`` names the bin, line, order, stop or vehicle).

The calls the ERPNext adapter makes:

* `layout.Layout.from_rows(geometry, rows)` — the store from its geometry and bin rows
  ``{"bin", "aisle", "position", "side", "level", "block"}``; `Layout.distance(a, b)` walks.
* `pickpath.sequence_lines(layout, lines, method="optimal")` → `PickSequence(lines, tour)`:
  pick lines (`pickpath.PickLine(bin, item, qty, ref)`) in walking order; `pickpath.route(layout,
  bins, method)` → `Tour(bins, length, method)`; methods ``optimal``, ``s-shape``,
  ``largest-gap``, ``combined``.
* `waves.build_waves(layout, orders, cart)` → `[Wave(orders, tour)]`, most urgent first;
  `Wave.picking_order()` gives its lines in walking order.
* `routing.plan(depot, stops, vehicles, …)` → `Plan(routes, unserved)`; each `Route` has its
  visits in order with ETA, service start and end, load on board; `unserved` maps stop → reason.
* `inventory.cycle_count_plan(stats)`, `inventory.variances(counted, book)`,
  `inventory.alerts(stats, as_of)`; `cod.reconcile(expected, collected)`.
"""
