"""An electronic waybill (电子面单) client for the "data digest" open API of Chinese express carriers.

The scheme (as several carriers' open platforms sign requests):

    POST {api_url}/waybill/create
    Content-Type: application/json; charset=utf-8
    x-appKey:     <app key>
    x-dataDigest: base64( md5( body_bytes + secret_bytes ) )

`body_bytes` is the exact UTF-8 JSON body sent (compact separators, keys as written, non-ASCII
characters kept as UTF-8, not \\u escapes); `secret_bytes` is the app secret in UTF-8. md5 gives 16
raw bytes, which are base64-encoded with the standard alphabet and padding. The carrier recomputes
the digest over the bytes it received, so the body must not be re-serialised after signing.

Body:
    {"partnerOrderCode": "<our order: the Delivery Note>", "accountId": "<customer code>",
     "timestamp": <ms since epoch>,
     "sender":   {"name","mobile","prov","city","county","address"},
     "receiver": {"name","mobile","prov","city","county","address"},
     "parcel":   {"weight": "<kg>", "quantity": <n>, "goods": "<text>"}, "remark": "<text>"}

Answer (HTTP 200 either way):
    {"status": true,  "code": "0",   "result": {"billCode", "sortCode", "bigMark", "siteName"}}
    {"status": false, "code": "<c>", "message": "<reason>"}
with codes S01 (unknown app key) and S02 (bad digest): our settings; A01 (address not served)
and A02 (address incomplete): the receiver; anything else: the carrier's own failure. The carrier
dedupes on partnerOrderCode: asking again for the same order returns the same bill code, so a
request that timed out is safe to send again.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from collections.abc import Callable

import requests

from wms_tms.carriers.base import CarrierError, Party, Waybill, WaybillRequest

AUTH_CODES = frozenset({"S01", "S02"})
ADDRESS_CODES = frozenset({"A01", "A02"})


def data_digest(body: bytes, secret: str) -> str:
	return base64.b64encode(hashlib.md5(body + secret.encode("utf-8")).digest()).decode("ascii")


def encode_body(payload: dict) -> bytes:
	return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _party(p: Party) -> dict:
	return {
		"name": p.name,
		"mobile": p.phone,
		"prov": p.province,
		"city": p.city,
		"county": p.district,
		"address": p.address,
	}


def request_body(req: WaybillRequest, account_id: str, timestamp_ms: int) -> dict:
	return {
		"partnerOrderCode": req.order_code,
		"accountId": account_id,
		"timestamp": timestamp_ms,
		"sender": _party(req.sender),
		"receiver": _party(req.receiver),
		"parcel": {"weight": str(req.weight_kg), "quantity": req.parcels, "goods": req.goods},
		"remark": req.remark,
	}


def parse_answer(answer) -> Waybill:
	"""The carrier's JSON answer as a Waybill, or the CarrierError it stands for."""
	if not isinstance(answer, dict):
		raise CarrierError("the carrier answered something that is not a JSON object", "carrier")
	code = str(answer.get("code") or "")
	message = str(answer.get("message") or "")[:300]
	if answer.get("status") is not True:
		detail = f"{message or 'no reason given'} ({code or '?'})"
		if code in AUTH_CODES:
			raise CarrierError(f"the carrier refused our credentials: {detail}", "auth", code, False, detail)
		if code in ADDRESS_CODES:
			raise CarrierError(f"the carrier refused the address: {detail}", "address", code, False, detail)
		raise CarrierError(f"the carrier failed: {detail}", "carrier", code, True, detail)
	result = answer.get("result")
	bill = str((result or {}).get("billCode") or "").strip() if isinstance(result, dict) else ""
	if not bill or len(bill) > 40 or not bill.replace("-", "").isalnum():
		raise CarrierError("the carrier answered without a usable tracking number", "carrier", code)
	return Waybill(
		tracking_no=bill,
		sort_code=str(result.get("sortCode") or "")[:40],
		mark=str(result.get("bigMark") or "")[:60],
		site=str(result.get("siteName") or "")[:140],
		raw=answer,
	)


class ExpressOpenClient:
	"""One carrier account. `clock` returns ms since epoch (injectable for tests)."""

	def __init__(
		self,
		api_url: str,
		app_key: str,
		secret: str,
		account_id: str = "",
		session: requests.Session | None = None,
		timeout: tuple[float, float] = (5.0, 15.0),
		clock: Callable[[], int] = lambda: int(time.time() * 1000),
	):
		if not (api_url or "").strip():
			raise CarrierError("the carrier has no API URL", "input", retryable=False)
		if not app_key or not secret:
			raise CarrierError("the carrier has no app key or secret", "input", retryable=False)
		self.api_url = api_url.rstrip("/")
		self.app_key, self.secret, self.account_id = app_key, secret, account_id
		self.session = session or requests.Session()
		self.timeout = timeout
		self.clock = clock

	def signed(self, payload: dict) -> tuple[bytes, dict]:
		body = encode_body(payload)
		headers = {
			"Content-Type": "application/json; charset=utf-8",
			"x-appKey": self.app_key,
			"x-dataDigest": data_digest(body, self.secret),
		}
		return body, headers

	def create_waybill(self, request: WaybillRequest) -> Waybill:
		body, headers = self.signed(request_body(request, self.account_id, self.clock()))
		try:
			resp = self.session.post(
				f"{self.api_url}/waybill/create", data=body, headers=headers, timeout=self.timeout
			)
		except requests.Timeout:
			raise CarrierError("the carrier did not answer in time", "timeout") from None
		except requests.ConnectionError:
			raise CarrierError("the carrier could not be reached", "timeout") from None
		if resp.status_code >= 500 or resp.status_code == 429:
			raise CarrierError(f"the carrier is unavailable (HTTP {resp.status_code})", "carrier")
		if resp.status_code in (401, 403):
			raise CarrierError(
				f"the carrier refused our credentials (HTTP {resp.status_code})", "auth", retryable=False
			)
		if resp.status_code >= 400:
			raise CarrierError(
				f"the carrier refused the request (HTTP {resp.status_code})", "carrier", retryable=False
			)
		try:
			answer = resp.json()
		except ValueError:
			raise CarrierError("the carrier answered something that is not JSON", "carrier") from None
		return parse_answer(answer)
