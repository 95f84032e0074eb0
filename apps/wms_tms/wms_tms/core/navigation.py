"""Links that open a stop in the phone's map app: a geo: URI (Android's chooser, iOS ignores it),
Amap (高德) and Baidu (百度) URIs. Coordinates are stored as WGS-84; both Chinese apps are told so and
convert to their own datum."""

from __future__ import annotations

import math
from urllib.parse import quote, urlencode

SOURCE = "th.wms_tms.driver"  # Baidu and Amap ask for a caller name


def _place(lat, lng) -> tuple[float, float] | None:
	try:
		lat, lng = float(lat), float(lng)
	except (TypeError, ValueError):
		return None
	if not (math.isfinite(lat) and math.isfinite(lng)) or not (-90 <= lat <= 90 and -180 <= lng <= 180):
		return None
	if lat == 0 and lng == 0:  # ERPNext's empty Float
		return None
	return lat, lng


def links(lat, lng, name: str = "", address: str = "") -> dict[str, str]:
	"""{geo, amap, baidu} for a stop: by coordinates where they are known, else by the address text."""
	name = (name or "").strip()[:60]
	place = _place(lat, lng)
	if place:
		la, ln = (f"{v:.6f}" for v in place)
		label = f"({quote(name)})" if name else ""
		return {
			"geo": f"geo:{la},{ln}?q={la},{ln}{label}",
			"amap": "https://uri.amap.com/navigation?"
			+ urlencode(
				{
					"to": f"{ln},{la},{name}",
					"mode": "car",
					"coordinate": "wgs84",
					"callnative": 1,
					"src": SOURCE,
				}
			),
			"baidu": "https://api.map.baidu.com/direction?"
			+ urlencode(
				{
					"destination": f"latlng:{la},{ln}|name:{name}",
					"mode": "driving",
					"coord_type": "wgs84",
					"output": "html",
					"src": SOURCE,
				}
			),
		}
	query = (address or name).strip()[:200]
	if not query:
		return {}
	return {
		"geo": f"geo:0,0?q={quote(query)}",
		"amap": "https://uri.amap.com/search?"
		+ urlencode({"keyword": query, "callnative": 1, "src": SOURCE}),
		"baidu": "https://api.map.baidu.com/geocoder?"
		+ urlencode({"address": query, "output": "html", "src": SOURCE}),
	}
