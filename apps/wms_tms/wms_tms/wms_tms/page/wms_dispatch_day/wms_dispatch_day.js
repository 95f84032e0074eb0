// Dispatch a Day: a store's open Delivery Notes planned over its vehicles at once, one draft
// Delivery Trip per vehicle, re-planned in place (what moved is listed), then dispatched.
// The map is an SVG drawn here from the stops' coordinates (Web Mercator); map tiles are drawn
// under it only when the site sets `wms_tms_map_tile_url` (no online service otherwise).
// Every name that comes from a document is put on the page as text, never as HTML.

frappe.pages["wms-dispatch-day"].on_page_load = function (wrapper) {
	const page = frappe.ui.make_app_page({ parent: wrapper, title: __("Dispatch a Day"), single_column: true });
	new WmsDispatchDay(page, wrapper);
};

const WMS_COLOURS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777", "#4b5563", "#65a30d"];

function wms_el(tag, attrs, children) {
	const node = document.createElement(tag);
	for (const [k, v] of Object.entries(attrs || {})) {
		if (v === undefined || v === null) continue;
		if (k === "text") node.textContent = v;
		else if (k === "style") node.style.cssText = v;
		else node.setAttribute(k, v);
	}
	for (const c of [].concat(children || [])) if (c) node.appendChild(c);
	return node;
}

// a server call; a refusal is shown by the desk (msgprint) and the promise simply never resolves
function wms_call(method, args, freeze) {
	return new Promise((resolve) => {
		frappe.call({ method, args, freeze: !!freeze, freeze_message: freeze || undefined, callback: (r) => resolve(r.message) });
	});
}

function wms_svg(tag, attrs) {
	const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
	for (const [k, v] of Object.entries(attrs || {})) {
		if (k === "text") node.textContent = v;
		else node.setAttribute(k, v);
	}
	return node;
}

class WmsDispatchDay {
	constructor(page, wrapper) {
		this.page = page;
		this.data = null;
		this.store = page.add_field({
			fieldname: "store",
			label: __("Store"),
			fieldtype: "Link",
			options: "Warehouse",
			get_query: () => ({ filters: { is_group: 1 } }),
			change: () => this.load(),
		});
		this.day = page.add_field({
			fieldname: "day",
			label: __("Day"),
			fieldtype: "Date",
			default: frappe.datetime.add_days(frappe.datetime.get_today(), 1),
			change: () => this.load(),
		});
		page.set_primary_action(__("Plan"), () => this.plan(), "map");
		page.add_menu_item(__("Dispatch trips"), () => this.send());
		this.body = wms_el("div", { class: "wms-dispatch", style: "padding: 8px 0" });
		$(page.body).append(this.body);
		const style = document.createElement("style");
		style.textContent = `
			.wms-dispatch .wms-grid { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 16px; }
			@media (max-width: 900px) { .wms-dispatch .wms-grid { grid-template-columns: minmax(0, 1fr); } }
			.wms-dispatch table { width: 100%; font-size: 12px; }
			.wms-dispatch td, .wms-dispatch th { padding: 3px 6px; border-bottom: 1px solid var(--border-color); vertical-align: top; }
			.wms-dispatch .wms-card { border: 1px solid var(--border-color); border-radius: 8px; padding: 8px 10px; margin-bottom: 10px; overflow-x: auto; }
			.wms-dispatch .wms-swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; margin-right: 6px; vertical-align: middle; }
			.wms-dispatch .wms-map svg { width: 100%; height: auto; background: #f8fafc; border: 1px solid var(--border-color); border-radius: 8px; }
			.wms-dispatch .wms-over { color: var(--red-600); font-weight: 600; }
			.wms-dispatch h5 { margin: 12px 0 6px; }
			.wms-dispatch select { max-width: 100%; }
		`;
		this.body.appendChild(style);
		this.content = wms_el("div");
		this.body.appendChild(this.content);
		this.message(__("Choose a store and a day."));
	}

	message(text) {
		this.content.replaceChildren(wms_el("p", { class: "text-muted", text }));
	}

	args() {
		return { store: this.store.get_value(), day: this.day.get_value() };
	}

	load() {
		const a = this.args();
		if (!a.store || !a.day) return;
		wms_call("wms_tms.api.dispatch.day", a).then((d) => {
			this.data = d;
			this.render();
		});
	}

	plan() {
		const a = this.args();
		if (!a.store || !a.day || !this.data) {
			frappe.msgprint(__("Choose a store and a day."));
			return;
		}
		const vehicles = [];
		this.content.querySelectorAll("tr[data-vehicle]").forEach((tr) => {
			if (tr.querySelector("input[type=checkbox]").checked) {
				vehicles.push({ vehicle: tr.dataset.vehicle, driver: tr.querySelector("select").value || null });
			}
		});
		if (!vehicles.length) {
			frappe.msgprint(__("Choose at least one vehicle."));
			return;
		}
		wms_call("wms_tms.api.dispatch.plan", { ...a, vehicles: JSON.stringify(vehicles) }, __("Planning…")).then((plan) => {
				this.data.plan = plan;
				this.data.chosen = vehicles.map((v) => v.vehicle);
				this.render();
			});
	}

	send() {
		const a = this.args();
		frappe.confirm(__("Submit the planned trips for their drivers?"), () => {
			wms_call("wms_tms.api.dispatch.send", a, __("Dispatching…")).then((trips) => {
				frappe.show_alert({ message: __("Dispatched {0} trips", [trips.length]), indicator: "green" });
				this.load();
			});
		});
	}

	render() {
		const d = this.data;
		const plan = d.plan || { trips: [] };
		const on_plan = new Set(plan.trips.map((t) => t.vehicle));
		const chosen = new Set(d.chosen || (on_plan.size ? [...on_plan] : d.vehicles.map((v) => v.vehicle)));
		const driver_of = Object.fromEntries(plan.trips.map((t) => [t.vehicle, t.driver]));
		const parts = [];

		parts.push(
			wms_el("p", {
				class: "wms-summary",
				text: __("{0} open Delivery Notes for this day; {1} trips planned.", [d.open_notes, plan.trips.length]),
			})
		);

		// vehicles: which go out, and who drives
		const vt = wms_el("table", { class: "wms-vehicles" }, [
			wms_el("tr", {}, [
				wms_el("th", { text: __("Use") }),
				wms_el("th", { text: __("Vehicle") }),
				wms_el("th", { text: __("Max Load (kg)") }),
				wms_el("th", { text: __("Max Volume (m³)") }),
				wms_el("th", { text: __("Driver") }),
			]),
		]);
		for (const v of d.vehicles) {
			const select = wms_el("select", { class: "form-control input-xs" }, [wms_el("option", { value: "", text: __("(no driver)") })]);
			for (const dr of d.drivers) {
				select.appendChild(wms_el("option", { value: dr.driver, text: `${dr.name} (${dr.shift})` }));
			}
			select.value = driver_of[v.vehicle] || v.driver || "";
			const box = wms_el("input", { type: "checkbox" });
			box.checked = chosen.has(v.vehicle);
			vt.appendChild(
				wms_el("tr", { "data-vehicle": v.vehicle }, [
					wms_el("td", {}, [box]),
					wms_el("td", { text: v.vehicle }),
					wms_el("td", { text: v.max_weight ? format_number(v.max_weight, null, 0) : __("not set") }),
					wms_el("td", { text: v.max_volume ? format_number(v.max_volume, null, 1) : __("not limited") }),
					wms_el("td", {}, [select]),
				])
			);
		}
		if (!d.vehicles.length) {
			parts.push(wms_el("p", { class: "text-muted", text: __("No vehicle is based at this store: set Based at Store on the Vehicle.") }));
		}
		parts.push(wms_el("div", { class: "wms-card" }, [wms_el("h5", { text: __("Vehicles") }), vt]));

		if (plan.trips.length) {
			const send = wms_el("button", { class: "btn btn-primary btn-sm wms-send", text: __("Dispatch trips") });
			send.addEventListener("click", () => this.send());
			parts.push(wms_el("p", {}, [send]));
		}
		if (plan.seconds !== undefined) {
			parts.push(
				wms_el("p", {
					class: "wms-timing text-muted",
					text: __("Planned in {0} s ({1} s searching routes).", [plan.seconds, plan.seconds_solving]),
				})
			);
		}

		const grid = wms_el("div", { class: "wms-grid" });
		grid.appendChild(wms_el("div", { class: "wms-map" }, [this.map(d, plan)]));
		const right = wms_el("div", { class: "wms-trips" });
		plan.trips.forEach((t, i) => right.appendChild(this.trip_card(t, i)));
		if (!plan.trips.length) right.appendChild(wms_el("p", { class: "text-muted", text: __("Nothing planned yet: choose the vehicles and press Plan.") }));
		grid.appendChild(right);
		parts.push(grid);

		if (plan.unserved && plan.unserved.length) {
			const ut = wms_el("table", { class: "wms-unserved" }, [
				wms_el("tr", {}, [wms_el("th", { text: __("Delivery Note") }), wms_el("th", { text: __("Customer") }), wms_el("th", { text: __("Reason") })]),
			]);
			for (const u of plan.unserved) {
				ut.appendChild(
					wms_el("tr", { "data-note": u.delivery_note, "data-reason": u.reason }, [
						wms_el("td", {}, [wms_el("a", { href: `/app/delivery-note/${encodeURIComponent(u.delivery_note)}`, text: u.delivery_note })]),
						wms_el("td", { text: u.customer || "" }),
						wms_el("td", { text: u.reason_label, title: u.detail || "" }),
					])
				);
			}
			parts.push(wms_el("div", { class: "wms-card" }, [wms_el("h5", { text: __("Not served ({0})", [plan.unserved.length]) }), ut]));
		}

		if (plan.moved !== undefined && plan.replanned) {
			const box = wms_el("div", { class: "wms-card wms-moved" }, [wms_el("h5", { text: __("What moved since the last plan ({0})", [plan.moved.length]) })]);
			if (!plan.moved.length) box.appendChild(wms_el("p", { class: "text-muted", text: __("Nothing moved.") }));
			const mt = wms_el("table");
			for (const m of plan.moved) {
				const where = (veh, pos) => (veh ? `${veh} #${pos}` : __("not planned"));
				const what = {
					added: __("added"),
					dropped: __("no longer planned"),
					vehicle: __("changed vehicle"),
					order: __("changed order"),
				}[m.kind];
				mt.appendChild(
					wms_el("tr", { "data-note": m.delivery_note, "data-kind": m.kind }, [
						wms_el("td", { text: m.delivery_note }),
						wms_el("td", { text: m.customer || "" }),
						wms_el("td", { text: what }),
						wms_el("td", { text: `${where(m.before, m.position_before)} → ${where(m.after, m.position_after)}` }),
					])
				);
			}
			box.appendChild(mt);
			parts.push(box);
		}
		this.content.replaceChildren(...parts);
	}

	trip_card(t, i) {
		const colour = WMS_COLOURS[i % WMS_COLOURS.length];
		const over_w = t.max_weight && t.weight > t.max_weight + 1e-9;
		const over_v = t.max_volume && t.volume > t.max_volume + 1e-9;
		const head = wms_el("div", {}, [
			wms_el("span", { class: "wms-swatch", style: `background:${colour}` }),
			wms_el("a", { href: `/app/delivery-trip/${encodeURIComponent(t.trip)}`, text: t.trip }),
			wms_el("b", { text: `  ${t.vehicle}` }),
			wms_el("span", { text: `  ${t.driver_name || t.driver || __("(no driver)")}` }),
		]);
		const facts = wms_el("div", { class: "text-muted small" }, [
			wms_el("span", { text: __("Leaves {0}", [t.departure]) + " · " + __("{0} km", [t.distance_km]) + " · " }),
			wms_el("span", {
				class: over_w ? "wms-over" : "",
				text: __("{0} of {1} kg", [format_number(t.weight, null, 1), t.max_weight ? format_number(t.max_weight, null, 0) : "∞"]) + " · ",
			}),
			wms_el("span", {
				class: over_v ? "wms-over" : "",
				text: __("{0} of {1} m³", [format_number(t.volume, null, 2), t.max_volume ? format_number(t.max_volume, null, 1) : "∞"]),
			}),
		]);
		const st = wms_el("table", {}, [
			wms_el("tr", {}, [wms_el("th", { text: "#" }), wms_el("th", { text: __("ETA") }), wms_el("th", { text: __("Delivery Note") }), wms_el("th", { text: __("Customer") }), wms_el("th", { text: __("kg") })]),
		]);
		t.stops.forEach((s, n) =>
			st.appendChild(
				wms_el("tr", { "data-note": s.delivery_note }, [
					wms_el("td", { text: String(n + 1) }),
					wms_el("td", { text: s.eta }),
					wms_el("td", { text: s.delivery_note }),
					wms_el("td", { text: s.customer || "" }),
					wms_el("td", { text: format_number(s.weight, null, 1) }),
				])
			)
		);
		return wms_el("div", { class: "wms-card wms-trip", "data-vehicle": t.vehicle, "data-trip": t.trip }, [head, facts, st]);
	}

	map(d, plan) {
		const W = 640,
			H = 480,
			pad = 28;
		const svg = wms_svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": __("Route map") });
		const merc = (lat, lng) => {
			const s = Math.sin((Math.max(-85, Math.min(85, lat)) * Math.PI) / 180);
			return [(lng + 180) / 360, 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)];
		};
		const pts = [[d.depot.lat, d.depot.lng]];
		for (const t of plan.trips) for (const s of t.stops) if (s.lat || s.lng) pts.push([s.lat, s.lng]);
		const xy = pts.map(([a, b]) => merc(a, b));
		let [x0, y0, x1, y1] = [Math.min(...xy.map((p) => p[0])), Math.min(...xy.map((p) => p[1])), Math.max(...xy.map((p) => p[0])), Math.max(...xy.map((p) => p[1]))];
		const span = Math.max(x1 - x0, y1 - y0, 1e-5);
		let scale = Math.min((W - 2 * pad) / Math.max(x1 - x0, span / 10), (H - 2 * pad) / Math.max(y1 - y0, span / 10));
		let zoom = null;
		if (d.tile_url) {
			zoom = Math.max(1, Math.min(18, Math.floor(Math.log2(scale / 256))));
			scale = 256 * Math.pow(2, zoom);
		}
		const cx = (x0 + x1) / 2,
			cy = (y0 + y1) / 2;
		const P = (lat, lng) => {
			const [x, y] = merc(lat, lng);
			return [W / 2 + (x - cx) * scale, H / 2 + (y - cy) * scale];
		};
		if (zoom !== null) {
			const n = Math.pow(2, zoom);
			const left = cx - W / 2 / scale,
				top = cy - H / 2 / scale;
			for (let tx = Math.floor(left * n); tx <= Math.floor((left + W / scale) * n); tx++) {
				for (let ty = Math.floor(top * n); ty <= Math.floor((top + H / scale) * n); ty++) {
					if (ty < 0 || ty >= n) continue;
					const href = d.tile_url.replace("{z}", zoom).replace("{x}", ((tx % n) + n) % n).replace("{y}", ty);
					svg.appendChild(
						wms_svg("image", { href, x: W / 2 + (tx / n - cx) * scale, y: H / 2 + (ty / n - cy) * scale, width: 256, height: 256, class: "wms-tile" })
					);
				}
			}
		} else {
			// a light grid so that distances read without tiles
			for (let g = 0; g <= 8; g++) {
				svg.appendChild(wms_svg("line", { x1: (g * W) / 8, y1: 0, x2: (g * W) / 8, y2: H, stroke: "#e2e8f0", "stroke-width": 1 }));
				svg.appendChild(wms_svg("line", { x1: 0, y1: (g * H) / 8, x2: W, y2: (g * H) / 8, stroke: "#e2e8f0", "stroke-width": 1 }));
			}
		}
		const [dx, dy] = P(d.depot.lat, d.depot.lng);
		plan.trips.forEach((t, i) => {
			const colour = WMS_COLOURS[i % WMS_COLOURS.length];
			const route = [[dx, dy], ...t.stops.filter((s) => s.lat || s.lng).map((s) => P(s.lat, s.lng)), [dx, dy]];
			svg.appendChild(
				wms_svg("polyline", {
					points: route.map((p) => p.map((v) => v.toFixed(1)).join(",")).join(" "),
					fill: "none",
					stroke: colour,
					"stroke-width": 2.5,
					"stroke-linejoin": "round",
					opacity: 0.85,
					class: "wms-route",
					"data-vehicle": t.vehicle,
				})
			);
			t.stops.forEach((s, n) => {
				if (!(s.lat || s.lng)) return;
				const [x, y] = P(s.lat, s.lng);
				const g = wms_svg("g", { class: "wms-stop", "data-note": s.delivery_note });
				g.appendChild(wms_svg("circle", { cx: x, cy: y, r: 9, fill: "#fff", stroke: colour, "stroke-width": 2.5 }));
				g.appendChild(wms_svg("text", { x, y: y + 3.5, "text-anchor": "middle", "font-size": 10, fill: "#111", text: String(n + 1) }));
				g.appendChild(wms_svg("title", { text: `${s.delivery_note} ${s.customer || ""} ${s.eta}` }));
				svg.appendChild(g);
			});
		});
		svg.appendChild(wms_svg("rect", { x: dx - 7, y: dy - 7, width: 14, height: 14, fill: "#111", class: "wms-depot" }));
		svg.appendChild(wms_svg("title", { text: __("Store") }));
		return svg;
	}
}
