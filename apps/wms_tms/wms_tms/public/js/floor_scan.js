// Shared by the floor's phone pages (/pick and /count): DOM helpers, feedback (message, sound,
// vibration), calls to the site's API with the session's CSRF token, and camera scanning where the
// browser has BarcodeDetector (the camera button stays hidden otherwise).
window.wmsFloor = (() => {
	const fmt = (s, ...a) => s.replace(/\{(\d+)\}/g, (_m, i) => (a[i] === undefined ? "" : String(a[i])));
	const $ = (id) => document.getElementById(id);
	const el = (tag, props = {}, ...kids) => {
		const e = document.createElement(tag);
		for (const [k, v] of Object.entries(props)) {
			if (k === "text") e.textContent = v;
			else if (k === "cls") e.className = v;
			else e.setAttribute(k, v);
		}
		kids.forEach((k) => k && e.appendChild(k));
		return e;
	};
	let audio = null;
	function beep(ok) {
		try {
			const C = window.AudioContext || window.webkitAudioContext;
			if (!C) return;
			audio = audio || new C();
			const o = audio.createOscillator();
			const g = audio.createGain();
			o.type = ok ? "sine" : "square";
			o.frequency.value = ok ? 880 : 200;
			g.gain.value = 0.15;
			o.connect(g);
			g.connect(audio.destination);
			o.start();
			o.stop(audio.currentTime + (ok ? 0.08 : 0.4));
		} catch (e) {
			/* no sound on this device */
		}
	}
	function say(text, ok) {
		const m = $("msg");
		m.textContent = text;
		m.className = ok ? "ok" : "err";
		m.dataset.kind = ok ? "ok" : "refused";
		beep(ok);
		if (!ok && navigator.vibrate) navigator.vibrate([200, 80, 200]);
	}
	async function call(method, args, get) {
		const url = "/api/method/" + method;
		const res = get
			? await fetch(url + "?" + new URLSearchParams(args), { headers: { Accept: "application/json" } })
			: await fetch(url, {
					method: "POST",
					headers: { "X-Frappe-CSRF-Token": frappe.csrf_token, "Content-Type": "application/json", Accept: "application/json" },
					body: JSON.stringify(args),
			  });
		const body = await res.json().catch(() => ({}));
		if (!res.ok) {
			let msgs = [];
			try {
				msgs = JSON.parse(body._server_messages || "[]").map((m) => JSON.parse(m).message);
			} catch (e) {
				/* keep the status text */
			}
			throw new Error(msgs.join(" ") || body.exception || res.statusText);
		}
		return body.message;
	}
	// calls handle(code) for each code the camera reads (the same code again only after 1.5 s)
	function camera(handle) {
		if ("BarcodeDetector" in window) {
			const btn = $("camera-btn");
			btn.hidden = false;
			let stream = null;
			let last = ["", 0];
			const stop = () => {
				if (stream) stream.getTracks().forEach((t) => t.stop());
				stream = null;
				$("camera").hidden = true;
			};
			$("camera-close").addEventListener("click", stop);
			btn.addEventListener("click", async () => {
				try {
					const detector = new window.BarcodeDetector();
					stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
					const video = $("camera").querySelector("video");
					video.srcObject = stream;
					$("camera").hidden = false;
					await video.play();
					const tick = async () => {
						if (!stream) return;
						try {
							const found = await detector.detect(video);
							const now = Date.now();
							if (found.length && !(found[0].rawValue === last[0] && now - last[1] < 1500)) {
								last = [found[0].rawValue, now];
								handle(found[0].rawValue);
							}
						} catch (e) {
							/* a frame the detector could not read */
						}
						requestAnimationFrame(tick);
					};
					tick();
				} catch (e) {
					stop();
					say(e.message, false);
				}
			});
		}
	}
	return { fmt, $, el, beep, say, call, camera };
})();
