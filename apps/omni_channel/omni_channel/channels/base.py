"""What every channel client shares: an HTTP session that backs off, and webhook signatures.

A client subclasses `HttpClient`, sends through `request`, and gets back-off for free:
429 honours `Retry-After` (seconds or an HTTP date), 5xx and connection errors back off
exponentially with jitter, and a non-idempotent call is retried only when the platform
surely did not act on it (429, or a refused connection).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

import requests

from omni_channel.core.errors import ChannelInputError


class ChannelError(Exception):
	"""A platform call that failed after the retries it deserved."""

	def __init__(self, message: str, status: int | None = None, body: str = "", retryable: bool = False):
		self.status = status
		self.body = body[:2000]
		self.retryable = retryable
		super().__init__(message if status is None else f"{message} (HTTP {status})")


@dataclass(frozen=True)
class RetryPolicy:
	max_attempts: int = 5
	base_delay: float = 0.5  # seconds; doubles per attempt
	max_delay: float = 60.0  # a Retry-After above this is capped
	jitter: float = 0.1  # ± fraction


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
	"""Seconds to wait from a Retry-After header: '2', '2.0' (Shopify) or an HTTP date."""
	if not value:
		return None
	value = value.strip()
	try:
		secs = float(value)
	except ValueError:
		try:
			at = parsedate_to_datetime(value)
		except (TypeError, ValueError, IndexError):
			return None
		if at is None:
			return None
		if at.tzinfo is None:
			at = at.replace(tzinfo=timezone.utc)
		secs = (at - (now or datetime.now(timezone.utc))).total_seconds()
	if secs != secs:  # NaN
		return None
	return max(0.0, secs)


class HttpClient:
	"""A `requests` session with timeouts and back-off. `sleep` is injectable for tests."""

	retryable_statuses = frozenset({429, 500, 502, 503, 504})

	def __init__(
		self,
		base_url: str,
		session: requests.Session | None = None,
		timeout: float | tuple[float, float] = (5.0, 30.0),
		retry: RetryPolicy | None = None,
		sleep: Callable[[float], None] = time.sleep,
	):
		self.base_url = base_url.rstrip("/")
		self.session = session or requests.Session()
		self.timeout = timeout
		self.retry = retry or RetryPolicy()
		self.sleep = sleep
		self.waits: list[float] = []  # what we slept, for the log and the tests

	def url(self, path: str) -> str:
		if not path:
			return self.base_url
		return path if path.startswith(("http://", "https://")) else f"{self.base_url}/{path.lstrip('/')}"

	def backoff(self, attempt: int) -> float:
		d = min(self.retry.max_delay, self.retry.base_delay * (2 ** (attempt - 1)))
		return d * (1 + random.uniform(-self.retry.jitter, self.retry.jitter))

	def _wait(self, seconds: float) -> None:
		seconds = min(seconds, self.retry.max_delay)
		self.waits.append(seconds)
		self.sleep(seconds)

	def request(self, method: str, path: str, idempotent: bool | None = None, **kw) -> requests.Response:
		if idempotent is None:
			idempotent = method.upper() in ("GET", "HEAD", "PUT", "DELETE", "OPTIONS")
		kw.setdefault("timeout", self.timeout)
		url = self.url(path)
		last = ""
		for attempt in range(1, self.retry.max_attempts + 1):
			final = attempt == self.retry.max_attempts
			try:
				resp = self.session.request(method, url, **kw)
			except requests.ConnectionError as e:
				# a refused connection never reached the platform; a dropped one might have
				msg = str(e)
				unsent = (
					isinstance(e, requests.exceptions.ConnectTimeout)
					or "NewConnectionError" in msg
					or "refused" in msg.lower()
				)
				last = f"{type(e).__name__}: {e}"
				if final or (not unsent and not idempotent):
					raise ChannelError(f"{method} {path} failed: {last}", retryable=True) from e
				self._wait(self.backoff(attempt))
				continue
			except requests.Timeout as e:
				last = f"timeout: {e}"
				if final or not idempotent:
					raise ChannelError(f"{method} {path} timed out", retryable=True) from e
				self._wait(self.backoff(attempt))
				continue
			status = resp.status_code
			if status in self.retryable_statuses:
				wait = retry_after_seconds(resp.headers.get("Retry-After"))
				may_retry = idempotent or status == 429 or (status == 503 and wait is not None)
				if final or not may_retry:
					raise ChannelError(f"{method} {path} gave up", status, resp.text, retryable=True)
				self._wait(wait if wait is not None else self.backoff(attempt))
				continue
			if status >= 400:
				raise ChannelError(f"{method} {path} refused", status, resp.text, retryable=False)
			return resp
		raise ChannelError(f"{method} {path} failed: {last}", retryable=True)  # pragma: no cover

	def json(self, resp: requests.Response):
		try:
			return resp.json()
		except ValueError:
			raise ChannelError(
				"platform answered with something that is not JSON", resp.status_code, resp.text
			) from None


# ---- webhook signatures -------------------------------------------------------------------------


def hmac_sha256_b64(secret: str | bytes, body: bytes) -> str:
	key = secret.encode() if isinstance(secret, str) else secret
	return base64.b64encode(hmac.new(key, body, hashlib.sha256).digest()).decode()


def header(headers, name: str) -> str:
	"""A header value regardless of case (works for plain dicts, requests and Werkzeug headers)."""
	v = headers.get(name)
	if v is None:
		low = name.lower()
		for k, val in headers.items():
			if k.lower() == low:
				return str(val).strip()
		return ""
	return str(v).strip()


def require_b64_hmac(secret: str, raw_body: bytes, signature: str, header_name: str) -> None:
	"""Refuse unless `signature` is the base64 HMAC-SHA256 of the raw body (constant-time)."""
	if not secret:
		raise ChannelInputError("bad_signature", "no webhook secret is configured for this shop")
	if not signature:
		raise ChannelInputError("bad_signature", f"{header_name} header is missing")
	expected = hmac_sha256_b64(secret, raw_body)
	if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
		raise ChannelInputError("bad_signature", f"{header_name} does not match the body")


def chunks(items: Iterable, size: int):
	buf = []
	for it in items:
		buf.append(it)
		if len(buf) == size:
			yield buf
			buf = []
	if buf:
		yield buf


@dataclass(frozen=True)
class StockUpdate:
	"""One quantity to set on a platform; the ids are the platform's, found through the SKU map."""

	sku: str
	quantity: int
	product_id: str = ""  # Shopify inventory_item_id, Taobao num_iid, WooCommerce product id
	variant_id: str = ""  # Taobao sku_id, WooCommerce variation id
	location_id: str = ""  # Shopify location


@dataclass(frozen=True)
class Shipment:
	external_order_id: str
	tracking_number: str
	carrier: str  # Shopify tracking company / Taobao company code / free text
	line_ids: tuple[str, ...] = ()  # empty = whole order
	tracking_url: str = ""


@dataclass
class SyncResult:
	"""Orders fetched by a poll; a payload the core refuses is reported, never silently skipped."""

	orders: list = None  # CanonicalOrder
	failures: list = None  # (external id, ChannelInputError)
	passes: int = 0
	requests: int = 0
	raws: list = None  # every order payload as the platform sent it (mapped or not), for the order log

	def __post_init__(self):
		self.orders = self.orders or []
		self.failures = self.failures or []
		self.raws = self.raws or []


def sweep(read_pass: Callable[[], tuple[list[dict], int]], id_of: Callable[[dict], str], max_passes: int = 4):
	"""Page through a listing until nothing was missed.

	Page-number listings shift while you read them: an order updated between two pages moves
	and a neighbour is read twice while another is never read. `read_pass` reads every page
	once and returns (rows, total the platform reported on its last page). When fewer distinct
	ids than that total were seen, the listing moved under us: read it again and keep the union.
	"""
	seen: dict[str, dict] = {}
	passes = 0
	while passes < max_passes:
		passes += 1
		rows, total = read_pass()
		for r in rows:
			seen[id_of(r)] = r  # a later read of the same id is the fresher one
		if len({id_of(r) for r in rows}) >= total:
			break
	return list(seen.values()), passes
