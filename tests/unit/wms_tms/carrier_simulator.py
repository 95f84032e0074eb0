"""A loopback express carrier: the "data digest" waybill API of carriers/express_open.py, in-process.

    with CarrierSimulator() as sim:
        client = ExpressOpenClient(sim.url, sim.app_key, sim.secret, "ACC-1")
        sim.refuse_province("西藏")        # A01 for receivers there
        sim.hang(1)                        # the next request gets no answer for `hang_seconds`

It binds 127.0.0.1 on a port the OS picks, checks the app key and the digest the way the carrier
does (its own md5/base64 below, apart from the code under test), dedupes on partnerOrderCode and
keeps every request it accepted for assertions.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def reference_digest(body: bytes, secret: str) -> str:
	h = hashlib.md5()
	h.update(body)
	h.update(secret.encode("utf-8"))
	return base64.standard_b64encode(h.digest()).decode()


class _Server(ThreadingHTTPServer):
	daemon_threads = True
	allow_reuse_address = True


class CarrierSimulator:
	def __init__(self, app_key: str = "app-test", secret: str = "secret-测试", prefix: str = "7730"):
		self.app_key, self.secret, self.prefix = app_key, secret, prefix
		self.bills: dict[str, str] = {}  # partnerOrderCode → billCode
		self.accepted: list[dict] = []
		self.refused: list[tuple[str, str]] = []  # (code, reason)
		self.refused_provinces: set[str] = set()
		self.hangs = 0
		self.hang_seconds = 3.0
		self.lock = threading.Lock()
		self._server: _Server | None = None

	def refuse_province(self, province: str) -> None:
		self.refused_provinces.add(province)

	def hang(self, n: int = 1, seconds: float = 3.0) -> None:
		with self.lock:
			self.hangs += n
			self.hang_seconds = seconds

	@property
	def url(self) -> str:
		host, port = self._server.server_address[:2]
		return f"http://{host}:{port}"

	def __enter__(self):
		sim = self

		class Handler(BaseHTTPRequestHandler):
			def log_message(self, *a):
				pass

			def _send(self, status: int, payload: dict):
				data = json.dumps(payload, ensure_ascii=False).encode()
				self.send_response(status)
				self.send_header("Content-Type", "application/json; charset=utf-8")
				self.send_header("Content-Length", str(len(data)))
				self.end_headers()
				try:
					self.wfile.write(data)
				except (BrokenPipeError, ConnectionResetError):
					pass

			def do_POST(self):
				body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
				with sim.lock:
					hang = sim.hangs > 0
					if hang:
						sim.hangs -= 1
				if hang:
					time.sleep(sim.hang_seconds)
				if self.path != "/waybill/create":
					return self._send(404, {"status": False, "code": "404", "message": "no such API"})
				out = sim.answer(body, self.headers.get("x-appKey"), self.headers.get("x-dataDigest"))
				self._send(200, out)

		self._server = _Server(("127.0.0.1", 0), Handler)
		threading.Thread(target=self._server.serve_forever, daemon=True).start()
		return self

	def __exit__(self, *exc):
		self._server.shutdown()
		self._server.server_close()

	def _refuse(self, code: str, message: str) -> dict:
		self.refused.append((code, message))
		return {"status": False, "code": code, "message": message}

	def answer(self, body: bytes, app_key: str | None, digest: str | None) -> dict:
		with self.lock:
			if app_key != self.app_key:
				return self._refuse("S01", "unknown appKey")
			if digest != reference_digest(body, self.secret):
				return self._refuse("S02", "签名错误 (data digest mismatch)")
			order = json.loads(body.decode("utf-8"))
			receiver = order.get("receiver") or {}
			if not (receiver.get("address") and receiver.get("prov") and receiver.get("mobile")):
				return self._refuse("A02", "收件人地址不完整")
			if any(p in receiver["prov"] for p in self.refused_provinces):
				return self._refuse("A01", f"收件地址超区: {receiver['prov']}")
			code = order["partnerOrderCode"]
			bill = self.bills.get(code)
			if bill is None:
				bill = f"{self.prefix}{len(self.bills) + 1:08d}"
				self.bills[code] = bill
				self.accepted.append(order)
			return {
				"status": True,
				"code": "0",
				"result": {
					"billCode": bill,
					"sortCode": "300-W01-00",
					"bigMark": f"{receiver['prov']}转运中心",
					"siteName": "天河营业部",
				},
			}
