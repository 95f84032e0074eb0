"""Customers per RFM segment, with their average recency, frequency and spend, and churn risk;
above the table, the R×F grid as a heat map (parties per cell, net spend as colour).

The heat map is an HTML grid in the report's message, not a frappe-charts chart: frappe-charts'
'heatmap' type draws a calendar (one square per day of a year), so an R×F grid would have to be
disguised as dates with wrong axis labels. A 5×5 table coloured by value is what the picture needs.
The segment sizes stay a frappe-charts bar chart. Filter by tag to see a tagged group only.
"""

import frappe
from frappe import _
from frappe.utils import cint, escape_html, flt, fmt_money

from online_crm.core.rfm import SEGMENTS

SCORES = (1, 2, 3, 4, 5)


def tag_filters(tag: str | None) -> list | None:
	"""Customers carrying this exact tag (Frappe keeps tags as ",a,b" in _user_tags)."""
	if not tag:
		return None
	return [["_user_tags", "like", f"%,{tag},%"], ["_user_tags", "like", f"%,{tag}"]]


def execute(filters=None):
	filters = frappe._dict(filters or {})
	columns = [
		{"fieldname": "segment", "label": _("Segment"), "fieldtype": "Data", "width": 180},
		{"fieldname": "customers", "label": _("Customers"), "fieldtype": "Int", "width": 110},
		{"fieldname": "recency", "label": _("Avg. Recency (days)"), "fieldtype": "Float", "width": 150},
		{"fieldname": "frequency", "label": _("Avg. Frequency"), "fieldtype": "Float", "width": 130},
		{"fieldname": "monetary", "label": _("Total Monetary"), "fieldtype": "Currency", "width": 150},
		{"fieldname": "high_risk", "label": _("High Churn Risk"), "fieldtype": "Int", "width": 130},
	]
	# frappe.get_list applies the user's role and User Permissions on Customer (company, group,
	# territory …): a user restricted to some customers sees only their figures
	segmented = {"th_crm_segment": ("is", "set")}
	tagged = tag_filters(filters.tag)
	rows = frappe.get_list(
		"Customer",
		filters=segmented,
		or_filters=tagged,
		fields=[
			"th_crm_segment as segment",
			"count(name) as customers",
			"avg(th_crm_recency_days) as recency",
			"avg(th_crm_frequency) as frequency",
			"sum(th_crm_monetary) as monetary",
		],
		group_by="th_crm_segment",
		order_by="th_crm_segment",
	)
	high = dict(
		frappe.get_list(
			"Customer",
			filters={**segmented, "th_crm_churn_risk": "High"},
			or_filters=tagged,
			fields=["th_crm_segment", "count(name) as n"],
			group_by="th_crm_segment",
			order_by="th_crm_segment",
			as_list=True,
		)
	)
	for r in rows:
		r.high_risk = high.get(r.segment, 0)
	order = {rule.name: i for i, rule in enumerate(SEGMENTS)}
	data = sorted(rows, key=lambda r: order.get(r.segment, len(order)))
	chart = {
		"data": {
			"labels": [_(r.segment) for r in data],
			"datasets": [{"name": _("Customers"), "values": [r.customers for r in data]}],
		},
		"type": "bar",
	}
	return columns, data, heat_map(rf_grid(segmented, tagged)), chart


def rf_grid(segmented: dict, tagged: list | None) -> dict[tuple[int, int], tuple[int, float]]:
	"""(R, F) → (parties, net spend), for the customers the user may see."""
	cells = frappe.get_list(
		"Customer",
		filters=segmented,
		or_filters=tagged,
		fields=[
			"th_crm_r_score as r",
			"th_crm_f_score as f",
			"count(name) as n",
			"sum(th_crm_monetary) as v",
		],
		group_by="th_crm_r_score, th_crm_f_score",
		order_by="th_crm_r_score, th_crm_f_score",
	)
	return {(cint(c.r), cint(c.f)): (cint(c.n), flt(c.v)) for c in cells if c.r and c.f}


def _colour(share: float) -> tuple[str, str]:
	"""Background from pale to deep blue by the cell's share of the largest value; readable text."""
	light, dark = (239, 246, 255), (29, 78, 216)
	rgb = tuple(round(a + (b - a) * share) for a, b in zip(light, dark, strict=True))
	return f"rgb({rgb[0]}, {rgb[1]}, {rgb[2]})", "#fff" if share > 0.5 else "#1f2937"


def heat_map(grid: dict[tuple[int, int], tuple[int, float]]) -> str:
	"""The R×F grid as a table: R 5 (recent) at the top, F 1 → 5 left to right."""
	top = max((v for _n, v in grid.values()), default=0) or 1
	currency = frappe.db.get_default("currency")
	head = "".join(f'<th class="text-center" style="width:64px">F{f}</th>' for f in SCORES)
	body = []
	for r in reversed(SCORES):
		cells = []
		for f in SCORES:
			n, v = grid.get((r, f), (0, 0.0))
			bg, fg = _colour(max(v, 0) / top) if n else ("#f9fafb", "#9ca3af")
			title = escape_html(
				_("R {0} × F {1}: {2} parties, net spend {3}").format(
					r, f, n, fmt_money(v, currency=currency)
				)
			)
			cells.append(
				f'<td class="rfm-cell text-center" data-r="{r}" data-f="{f}" data-parties="{n}" data-value="{v:.2f}" '
				f'title="{title}" style="background:{bg};color:{fg};height:40px;font-weight:600">{n}</td>'
			)
		body.append(f'<tr><th class="text-right pr-2">R{r}</th>{"".join(cells)}</tr>')
	caption = escape_html(_("R × F heat map: the number is how many parties, the colour their net spend"))
	return (
		f'<div class="rfm-heat-map" style="margin:8px 0 16px"><div class="text-muted small mb-1">{caption}</div>'
		f'<table style="border-collapse:separate;border-spacing:3px"><thead><tr><th></th>{head}</tr></thead>'
		f"<tbody>{''.join(body)}</tbody></table></div>"
	)
