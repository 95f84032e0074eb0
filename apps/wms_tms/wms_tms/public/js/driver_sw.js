/* Service worker of the driver's page (/driver). Served by wms_tms.api.driver_pwa.service_worker
 * with "Service-Worker-Allowed: /driver", registered with scope /driver.
 * The page is fetched from the network when there is one (and kept), else from the cache; its
 * script, icons and manifest come from the cache first. Writes (POST) are not touched here: the page
 * queues them itself while offline and sends them when the connection returns. */
const CACHE = "wms-tms-driver-v1";
const SHELL = [
	"/driver",
	"/assets/wms_tms/js/driver_app.js",
	"/assets/wms_tms/images/driver-192.png",
	"/assets/wms_tms/images/driver-512.png",
	"/api/method/wms_tms.api.driver_pwa.manifest",
];

self.addEventListener("install", (event) => {
	event.waitUntil(
		caches.open(CACHE).then((cache) =>
			Promise.all(
				SHELL.map((url) =>
					fetch(url, { credentials: "same-origin" })
						.then((res) => (res.ok && !res.redirected ? cache.put(url, res) : null))
						.catch(() => null)
				)
			)
		).then(() => self.skipWaiting())
	);
});

self.addEventListener("activate", (event) => {
	event.waitUntil(
		caches.keys()
			.then((keys) => Promise.all(keys.filter((k) => k.startsWith("wms-tms-driver-") && k !== CACHE).map((k) => caches.delete(k))))
			.then(() => self.clients.claim())
	);
});

function isShell(url) {
	return url.pathname.startsWith("/assets/wms_tms/") || url.pathname === "/api/method/wms_tms.api.driver_pwa.manifest";
}

self.addEventListener("fetch", (event) => {
	const req = event.request;
	if (req.method !== "GET") return;
	const url = new URL(req.url);
	if (url.origin !== self.location.origin) return;
	if (req.mode === "navigate" && url.pathname === "/driver") {
		// network first; the last page seen when offline
		event.respondWith(
			fetch(req)
				.then((res) => {
					if (res.ok && !res.redirected) {
						const copy = res.clone();
						caches.open(CACHE).then((cache) => cache.put("/driver", copy));
					}
					return res;
				})
				.catch(() => caches.match("/driver").then((hit) => hit || Response.error()))
		);
		return;
	}
	if (isShell(url)) {
		event.respondWith(
			caches.match(req, { ignoreSearch: true }).then(
				(hit) =>
					hit ||
					fetch(req).then((res) => {
						if (res.ok) {
							const copy = res.clone();
							caches.open(CACHE).then((cache) => cache.put(req, copy));
						}
						return res;
					})
			)
		);
	}
});
