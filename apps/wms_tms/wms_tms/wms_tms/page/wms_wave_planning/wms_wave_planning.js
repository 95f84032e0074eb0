// Plan Waves: the store's open Sales Orders grouped into a round of waves for its carts (least
// walking under the cart's capacity, most urgent first), each wave measured against picking its
// orders one by one; the lead moves orders between waves, then accepts: Pick Waves with their
// Pick Lists in walking order. Orders left out are listed with the reason.
// Every name that comes from a document is put on the page as text, never as HTML.
(() => {
	const el = (tag, attrs, children) => {
		const node = document.createElement(tag);
		for (const [k, v] of Object.entries(attrs || {})) {
			if (v === undefined || v === null) continue;
			if (k === "text") node.textContent = v;
			else node.setAttribute(k, v);
		}
		for (const c of [].concat(children || [])) if (c) node.appendChild(c);
		return node;
	};

	// a server call; a refusal is shown by the desk (msgprint) and the promise never resolves
	const call = (method, args, freeze) =>
		new Promise((resolve) => {
			frappe.call({ method, args, freeze: !!freeze, freeze_message: freeze || undefined, callback: (r) => resolve(r.message) });
		});

	const REASONS = {
		after_cutoff: __("After the cutoff"),
		too_big: __("Fits no cart"),
		no_cart: __("No cart left"),
		no_stock: __("Not in the bins"),
		no_place: __("Bin not on the layout"),
		by_hand: __("Left out by you"),
	};
	const num = (x, d) => format_number(x || 0, null, d);

	class WavePlanning {
		constructor(page) {
			this.page = page;
			this.plan = null;
			// the round's settings, labelled (a page's own form bar shows labels only while empty)
			this.form_area = el("div", { class: "wms-waves-form" });
			this.form = new frappe.ui.FieldGroup({
				body: this.form_area,
				fields: [
					{
						fieldname: "store",
						label: __("Store"),
						fieldtype: "Link",
						options: "Warehouse",
						reqd: 1,
						get_query: () => ({ filters: { is_group: 1 } }),
					},
					{ fieldname: "cutoff", label: __("Cutoff"), fieldtype: "Datetime", default: frappe.datetime.now_datetime(), description: __("Orders placed later wait for the next round.") },
					{ fieldname: "carts", label: __("Carts"), fieldtype: "Int", default: 2 },
					{ fieldtype: "Column Break" },
					{ fieldname: "units", label: __("Units per Cart"), fieldtype: "Float", default: 60 },
					{ fieldname: "weight", label: __("kg per Cart"), fieldtype: "Float", description: __("0: not limited") },
					{ fieldname: "volume", label: __("m³ per Cart"), fieldtype: "Float", description: __("0: not limited") },
					{ fieldtype: "Column Break" },
					{ fieldname: "channel", label: __("Sales Channel"), fieldtype: "Data" },
					{ fieldname: "territory", label: __("Territory"), fieldtype: "Link", options: "Territory" },
					{ fieldname: "due_by", label: __("Due by"), fieldtype: "Date" },
				],
			});
			this.form.make();
			this.f = this.form.fields_dict;
			page.set_primary_action(__("Propose Waves"), () => this.propose(), "es-line-filter");
			page.set_secondary_action(__("Accept Waves"), () => this.accept());

			const style = document.createElement("style");
			style.textContent = `
				.wms-waves .wms-card { border: 1px solid var(--border-color); border-radius: 8px; padding: 8px 10px; margin-bottom: 12px; overflow-x: auto; }
				.wms-waves table { width: 100%; font-size: 12px; }
				.wms-waves td, .wms-waves th { padding: 3px 6px; border-bottom: 1px solid var(--border-color); vertical-align: middle; }
				.wms-waves .wms-over { color: var(--red-600); font-weight: 600; }
				.wms-waves .wms-gain { color: var(--green-600); font-weight: 600; }
				.wms-waves h5 { margin: 4px 0 6px; }
				.wms-waves select { max-width: 160px; }
			`;
			this.body = el("div", { class: "wms-waves", style: "padding: 8px 0" }, [style, this.form_area]);
			this.content = el("div");
			this.body.appendChild(this.content);
			$(page.body).append(this.body);
			this.message(__("Choose a store, the cutoff and the carts, then Propose Waves."));
		}

		message(text) {
			this.content.replaceChildren(el("p", { class: "text-muted", text }));
		}

		cart() {
			const v = (k) => this.f[k].get_value() || 0;
			return { store: this.f.store.get_value(), units: v("units"), weight: v("weight"), volume: v("volume") };
		}

		propose() {
			const c = this.cart();
			if (!c.store) {
				frappe.msgprint(__("Choose a store."));
				return;
			}
			const args = {
				...c,
				carts: this.f.carts.get_value() || 0,
				cutoff: this.f.cutoff.get_value() || null,
				channel: this.f.channel.get_value() || null,
				territory: this.f.territory.get_value() || null,
				due_by: this.f.due_by.get_value() || null,
			};
			call("wms_tms.api.wave_planning.propose", args, __("Planning waves…")).then((plan) => {
				this.plan = plan;
				this.render();
			});
		}

		// the lead moved an order: measure the waves again on the site
		move(sales_order, to) {
			const waves = this.plan.waves.map((w) => w.orders.map((o) => o.sales_order).filter((so) => so !== sales_order));
			let left = this.plan.left;
			const row = this.plan.waves.flatMap((w) => w.orders).find((o) => o.sales_order === sales_order);
			if (to === "out") {
				left = left.concat([{ ...row, reason: "by_hand", detail: "" }]);
			} else {
				while (waves.length <= to) waves.push([]);
				waves[to].push(sales_order);
			}
			call("wms_tms.api.wave_planning.evaluate", { ...this.cart(), waves: JSON.stringify(waves.filter((w) => w.length)) }).then((plan) => {
				this.plan = { ...plan, left };
				this.render();
			});
		}

		// an order left out by the lead goes back into a wave
		put_back(sales_order, to) {
			const waves = this.plan.waves.map((w) => w.orders.map((o) => o.sales_order));
			while (waves.length <= to) waves.push([]);
			waves[to].push(sales_order);
			const left = this.plan.left.filter((x) => x.sales_order !== sales_order);
			call("wms_tms.api.wave_planning.evaluate", { ...this.cart(), waves: JSON.stringify(waves) }).then((plan) => {
				this.plan = { ...plan, left };
				this.render();
			});
		}

		accept() {
			if (!this.plan || !this.plan.waves.length) {
				frappe.msgprint(__("Propose the waves first."));
				return;
			}
			if (this.plan.waves.some((w) => w.over.length)) {
				frappe.msgprint(__("A wave is more than a cart holds: move an order out first."));
				return;
			}
			const waves = this.plan.waves.map((w) => w.orders.map((o) => o.sales_order));
			frappe.confirm(__("Make {0} Pick Waves with their Pick Lists?", [waves.length]), () => {
				call("wms_tms.api.wave_planning.accept", { ...this.cart(), waves: JSON.stringify(waves) }, __("Making Pick Lists…")).then((made) => {
					frappe.show_alert({ message: __("{0} Pick Waves made", [made.length]), indicator: "green" });
					this.plan = null;
					this.render_made(made);
				});
			});
		}

		wave_choice(current, count, extra_out) {
			const select = el("select", { class: "form-control input-xs wms-move" });
			for (let i = 0; i <= count; i++) {
				const label = i < count ? __("Wave {0}", [i + 1]) : __("New wave");
				const opt = el("option", { value: String(i), text: label });
				if (i === current) opt.selected = true;
				select.appendChild(opt);
			}
			if (extra_out) select.appendChild(el("option", { value: "out", text: __("Leave out") }));
			return select;
		}

		render() {
			const p = this.plan;
			const parts = [];
			const orders = p.waves.reduce((n, w) => n + w.orders.length, 0);
			const share = p.one_by_one ? Math.round((100 * p.distance) / p.one_by_one) : 0;
			parts.push(
				el("p", { class: "wms-summary" }, [
					el("span", {
						text: __("{0} waves, {1} orders; {2} left out.", [p.waves.length, orders, p.left.length]) + " ",
					}),
					el("span", {
						class: "wms-gain",
						text: p.waves.length
							? __("Walk {0} m in waves against {1} m picking one by one ({2}%).", [num(p.distance, 0), num(p.one_by_one, 0), share])
							: "",
					}),
				])
			);
			const cart = this.cart();
			p.waves.forEach((w, i) => {
				const over = new Set(w.over);
				const cap = (used, max, unit, key, d) =>
					el("span", { class: over.has(key) ? "wms-over" : "", text: `${num(used, d)}${max ? " / " + num(max, d) : ""} ${unit}  ` });
				const head = el("div", {}, [
					el("h5", { text: __("Wave {0}", [i + 1]) }),
					el("div", { class: "text-muted small" }, [
						cap(w.units, cart.units, __("units"), "units", 0),
						cart.weight || w.weight ? cap(w.weight, cart.weight, "kg", "weight", 1) : null,
						cart.volume || w.volume ? cap(w.volume, cart.volume, "m³", "volume", 3) : null,
						el("span", {
							class: "wms-walk",
							text: __("walk {0} m (one by one {1} m)", [num(w.distance, 0), num(w.one_by_one, 0)]),
						}),
					]),
				]);
				const t = el("table", {}, [
					el("tr", {}, [
						el("th", { text: __("Sales Order") }),
						el("th", { text: __("Customer") }),
						el("th", { text: __("Channel") }),
						el("th", { text: __("Delivery Date") }),
						el("th", { text: __("Lines") }),
						el("th", { text: __("Units") }),
						el("th", { text: "kg" }),
						el("th", { text: __("Move to") }),
					]),
				]);
				for (const o of w.orders) {
					const select = this.wave_choice(i, p.waves.length, true);
					select.addEventListener("change", () => this.move(o.sales_order, select.value === "out" ? "out" : Number(select.value)));
					t.appendChild(
						el("tr", { "data-order": o.sales_order }, [
							el("td", {}, [el("a", { href: `/app/sales-order/${encodeURIComponent(o.sales_order)}`, text: o.sales_order })]),
							el("td", { text: o.customer_name || o.customer }),
							el("td", { text: o.channel }),
							el("td", { text: o.delivery_date ? frappe.datetime.str_to_user(o.delivery_date) : "" }),
							el("td", { text: String(o.lines) }),
							el("td", { text: num(o.units, 0) }),
							el("td", { text: num(o.weight, 1) }),
							el("td", {}, [select]),
						])
					);
				}
				parts.push(el("div", { class: "wms-card wms-wave", "data-wave": String(i + 1) }, [head, t]));
			});
			if (!p.waves.length) parts.push(el("p", { class: "text-muted", text: __("No order can go on a wave now.") }));

			if (p.left.length) {
				const t = el("table", {}, [
					el("tr", {}, [
						el("th", { text: __("Sales Order") }),
						el("th", { text: __("Customer") }),
						el("th", { text: __("Reason") }),
						el("th", { text: "" }),
					]),
				]);
				for (const x of p.left) {
					const back = x.reason === "by_hand" ? this.wave_choice(-1, p.waves.length, false) : null;
					if (back) {
						back.prepend(el("option", { value: "", text: __("Put back in…") }));
						back.value = "";
						back.addEventListener("change", () => back.value !== "" && this.put_back(x.sales_order, Number(back.value)));
					}
					t.appendChild(
						el("tr", { "data-order": x.sales_order, "data-reason": x.reason }, [
							el("td", {}, [el("a", { href: `/app/sales-order/${encodeURIComponent(x.sales_order)}`, text: x.sales_order })]),
							el("td", { text: x.customer_name || x.customer || "" }),
							el("td", { text: [REASONS[x.reason] || x.reason, x.detail].filter(Boolean).join(": ") }),
							el("td", {}, [back]),
						])
					);
				}
				parts.push(el("div", { class: "wms-card wms-left" }, [el("h5", { text: __("Left out ({0})", [p.left.length]) }), t]));
			}
			this.content.replaceChildren(...parts);
		}

		render_made(made) {
			const t = el("table", {}, [
				el("tr", {}, [el("th", { text: __("Pick Wave") }), el("th", { text: __("Pick List") }), el("th", { text: __("Orders") }), el("th", { text: __("Walk (m)") })]),
			]);
			for (const m of made) {
				t.appendChild(
					el("tr", { "data-wave": m.wave }, [
						el("td", {}, [el("a", { href: `/app/pick-wave/${encodeURIComponent(m.wave)}`, text: m.wave })]),
						el("td", {}, [el("a", { href: `/app/pick-list/${encodeURIComponent(m.pick_list)}`, text: m.pick_list })]),
						el("td", { text: String(m.orders.length) }),
						el("td", { text: num(m.distance, 0) }),
					])
				);
			}
			this.content.replaceChildren(el("div", { class: "wms-card wms-made" }, [el("h5", { text: __("Accepted") }), t]));
		}
	}

	frappe.pages["wms-wave-planning"].on_page_load = function (wrapper) {
		const page = frappe.ui.make_app_page({ parent: wrapper, title: __("Plan Waves"), single_column: true });
		wrapper.wave_planning = new WavePlanning(page);
	};
})();
