/* The driver's page (/driver): signature pad, and an outbox of actions kept in IndexedDB.
 *
 * Every action (deliver, fail) gets an idempotency key when the driver makes it and goes to the
 * outbox first; the outbox is then sent in order. Without a connection the actions stay there and
 * are sent when the browser is back online (the "online" event, a timer, the next page load). The
 * server keeps each key with its first answer, so an action sent twice acts once.
 * Everything a driver or buyer typed reaches the page as text (textContent), never as HTML. */
(function () {
	"use strict";
	const root = document.getElementById("driver-app");
	if (!root) return;
	const USER = root.dataset.user || "";
	const T = JSON.parse(document.getElementById("driver-i18n").textContent || "{}");
	const METHODS = {
		deliver: "/api/method/wms_tms.api.driver.deliver",
		fail: "/api/method/wms_tms.api.driver.fail",
	};

	// ---------------------------------------------------------------- service worker (installable app)
	if ("serviceWorker" in navigator && window.isSecureContext) {
		navigator.serviceWorker
			.register("/api/method/wms_tms.api.driver_pwa.service_worker", { scope: "/driver" })
			.catch((e) => console.warn("service worker not registered", e));
	}

	// ---------------------------------------------------------------- outbox (IndexedDB)
	const DB_NAME = "wms_tms_driver";
	const STORE = "outbox";
	function db() {
		return new Promise((resolve, reject) => {
			const req = indexedDB.open(DB_NAME, 1);
			req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: "key" });
			req.onsuccess = () => resolve(req.result);
			req.onerror = () => reject(req.error);
		});
	}
	async function tx(mode, fn) {
		const conn = await db();
		return new Promise((resolve, reject) => {
			const t = conn.transaction(STORE, mode);
			const out = fn(t.objectStore(STORE));
			t.oncomplete = () => resolve(out && "result" in out ? out.result : undefined);
			t.onerror = () => reject(t.error);
		});
	}
	const outbox = {
		put: (action) => tx("readwrite", (s) => s.put(action)),
		remove: (key) => tx("readwrite", (s) => s.delete(key)),
		all: async () =>
			((await tx("readonly", (s) => s.getAll())) || [])
				.filter((a) => a.user === USER)
				.sort((a, b) => a.at - b.at),
	};

	function newKey() {
		if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
		const bytes = new Uint8Array(16);
		crypto.getRandomValues(bytes);
		return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
	}

	// ---------------------------------------------------------------- status on the page
	const net = document.getElementById("driver-net");
	async function showState() {
		const pending = await outbox.all();
		document.querySelectorAll(".stop").forEach((el) => {
			el.classList.toggle("queued", pending.some((a) => a.stop === el.dataset.stop));
		});
		const lines = [];
		if (!navigator.onLine) lines.push(T.offline);
		if (pending.length) lines.push((T.pending || "{0}").replace("{0}", pending.length));
		net.textContent = lines.join(" ");
		net.classList.toggle("show", lines.length > 0);
	}

	function stopEl(stop) {
		return Array.from(document.querySelectorAll(".stop")).find((el) => el.dataset.stop === stop);
	}

	function serverMessage(body, fallback) {
		try {
			const msgs = JSON.parse(body._server_messages || "[]").map((m) => JSON.parse(m).message);
			if (msgs.length) return msgs.join(" ");
		} catch (e) {
			/* not Frappe's message list */
		}
		return body.exception || fallback;
	}

	// ---------------------------------------------------------------- sending
	let flushing = null;
	function flush() {
		if (!flushing) flushing = doFlush().finally(() => (flushing = null));
		return flushing;
	}
	async function doFlush() {
		let sent = 0;
		for (const action of await outbox.all()) {
			if (!navigator.onLine) break;
			const data = new FormData();
			Object.entries(action.fields).forEach(([k, v]) => v != null && data.append(k, v));
			Object.entries(action.files || {}).forEach(([k, f]) => f && data.append(k, f, f.name || `${k}.png`));
			data.append("stop", action.stop);
			data.append("idempotency_key", action.key);
			let res;
			try {
				res = await fetch(METHODS[action.kind], {
					method: "POST",
					headers: { "X-Frappe-CSRF-Token": frappe.csrf_token, Accept: "application/json" },
					body: data,
				});
			} catch (e) {
				break; // no connection: keep it, try again when it returns
			}
			if (res.ok) {
				await outbox.remove(action.key);
				sent += 1;
			} else if (res.status >= 400 && res.status < 500) {
				// refused for good (a wrong amount, a stop closed elsewhere): the driver must redo it
				const body = await res.json().catch(() => ({}));
				await outbox.remove(action.key);
				const el = stopEl(action.stop);
				const out = el && el.querySelector(action.kind === "fail" ? ".fail-result" : ".result");
				if (out) out.textContent = `${T.refused} ${serverMessage(body, res.statusText)}`;
			} else {
				break; // the server is in trouble: keep it for later
			}
		}
		await showState();
		if (sent) location.reload();
	}

	async function enqueue(kind, stop, fields, files) {
		await outbox.put({ key: newKey(), user: USER, kind, stop, fields, files, at: Date.now() });
		await showState();
		await flush();
	}

	// ---------------------------------------------------------------- signature pad
	function signaturePad(canvas) {
		const ctx = canvas.getContext("2d");
		let drawing = false;
		let inked = false;
		function fit() {
			const ratio = window.devicePixelRatio || 1;
			canvas.width = Math.round(canvas.clientWidth * ratio);
			canvas.height = Math.round(canvas.clientHeight * ratio);
			ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
			ctx.lineWidth = 2.5;
			ctx.lineCap = "round";
			ctx.lineJoin = "round";
			ctx.strokeStyle = "#111";
			inked = false;
		}
		function at(ev) {
			const r = canvas.getBoundingClientRect();
			return [ev.clientX - r.left, ev.clientY - r.top];
		}
		canvas.addEventListener("pointerdown", (ev) => {
			ev.preventDefault();
			canvas.setPointerCapture && canvas.setPointerCapture(ev.pointerId);
			drawing = true;
			ctx.beginPath();
			ctx.moveTo(...at(ev));
		});
		canvas.addEventListener("pointermove", (ev) => {
			if (!drawing) return;
			ctx.lineTo(...at(ev));
			ctx.stroke();
			inked = true;
		});
		["pointerup", "pointercancel", "pointerleave"].forEach((t) =>
			canvas.addEventListener(t, () => (drawing = false))
		);
		fit();
		return {
			clear: fit,
			inked: () => inked,
			png: () => new Promise((resolve) => canvas.toBlob(resolve, "image/png")),
		};
	}

	// ---------------------------------------------------------------- the stops
	document.querySelectorAll(".stop").forEach((el) => {
		const stop = el.dataset.stop;
		const form = el.querySelector("form.deliver");
		if (!form) return;
		const canvas = form.querySelector("canvas.signature");
		const pad = canvas ? signaturePad(canvas) : null;
		const clear = form.querySelector(".clear-signature");
		if (clear && pad) clear.addEventListener("click", () => pad.clear());

		form.addEventListener("submit", async (ev) => {
			ev.preventDefault();
			const out = form.querySelector(".result");
			out.textContent = "";
			const fields = {};
			new FormData(form).forEach((v, k) => {
				if (typeof v === "string") fields[k] = v;
			});
			const files = {};
			const photo = form.querySelector("input[name=proof]");
			if (photo && photo.files.length) files.proof = photo.files[0];
			if (pad && pad.inked()) {
				const blob = await pad.png();
				files.signature = new File([blob], "signature.png", { type: "image/png" });
			}
			await enqueue("deliver", stop, fields, files);
		});

		const fail = el.querySelector("details.fail");
		fail.querySelector(".record-failure").addEventListener("click", async () => {
			const reason = fail.querySelector("select[name=reason]").value;
			const out = fail.querySelector(".fail-result");
			if (!reason) {
				out.textContent = T.choose_reason;
				return;
			}
			out.textContent = "";
			await enqueue("fail", stop, { reason, note: fail.querySelector("textarea[name=note]").value }, {});
		});
	});

	window.addEventListener("online", () => flush());
	window.addEventListener("offline", () => showState());
	setInterval(() => navigator.onLine && flush(), 20000);
	showState().then(() => flush());
})();
