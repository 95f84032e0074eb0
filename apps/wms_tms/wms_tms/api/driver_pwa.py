"""The driver's page as an installable app: its web manifest and its service worker.

A service worker controls only pages at or below the path it is served from, unless its answer says
otherwise: one served from /assets/... could not control /driver. So the worker is served here, as
JavaScript with `Service-Worker-Allowed: /driver`, and the page registers it with scope /driver.
Both are the same for everyone (no data of anyone's), so guests may fetch them: a browser checks
the worker for updates whether or not its session is still logged in.
"""

from pathlib import Path

import frappe
from frappe import _
from werkzeug.wrappers import Response

SW_PATH = Path(__file__).resolve().parents[1] / "public" / "js" / "driver_sw.js"
SCOPE = "/driver"


@frappe.whitelist(allow_guest=True, methods=["GET"])
def service_worker() -> Response:
	response = Response(SW_PATH.read_bytes(), mimetype="text/javascript")
	response.headers["Service-Worker-Allowed"] = SCOPE
	response.headers["Cache-Control"] = "no-cache"
	return response


@frappe.whitelist(allow_guest=True, methods=["GET"])
def manifest() -> Response:
	body = {
		"name": _("My deliveries"),
		"short_name": _("Deliveries"),
		"description": _("Today's trips and stops: deliver with photo and signature, offline too."),
		"id": SCOPE,
		"start_url": SCOPE,
		"scope": SCOPE,
		"display": "standalone",
		"orientation": "portrait",
		"background_color": "#ffffff",
		"theme_color": "#2490ef",
		"lang": frappe.local.lang or "en",
		"icons": [
			{"src": f"/assets/wms_tms/images/driver-{n}.png", "sizes": f"{n}x{n}", "type": "image/png"}
			for n in (192, 512)
		]
		+ [
			{
				"src": "/assets/wms_tms/images/driver-512.png",
				"sizes": "512x512",
				"type": "image/png",
				"purpose": "maskable",
			}
		],
	}
	response = Response(frappe.as_json(body, indent=None), mimetype="application/manifest+json")
	response.headers["Cache-Control"] = "no-cache"
	return response
