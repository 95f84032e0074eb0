"""Alipay open platform (支付宝开放平台), RSA2: computer-website payment (alipay.trade.page.pay) or a QR
to scan (alipay.trade.precreate's cashier), and the asynchronous notification.

The signature scheme, as the open platform defines it:
- the string to sign is every parameter whose value is not empty, sorted by name (byte order), as
  `name=value` joined with `&`; values raw, not URL-encoded. A request leaves out `sign` only; a
  notification leaves out `sign` and `sign_type`.
- RSA2 is SHA256withRSA (PKCS#1 v1.5) over that string's bytes in the request's charset, the
  signature base64-encoded. We sign with the app's private key; a notification is verified with the
  platform's (支付宝公钥) public key.
- the notification is a form POST; the answer that stops its retries is the 7 characters `success`.
Keys come as the platform's tools give them (bare base64, PKCS#1 or PKCS#8 private, X.509 public)
or as PEM.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from b2b_mall.core.payment_gateway import (
	GatewayOrder,
	Notification,
	PaymentGateway,
	Rejected,
	Status,
	form_fields,
	money,
)

PAGE_PAY = "alipay.trade.page.pay"
PRECREATE = "alipay.trade.precreate"
METHODS = (PAGE_PAY, PRECREATE)
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
STATUSES = {
	"TRADE_SUCCESS": Status.PAID,
	"TRADE_FINISHED": Status.PAID,
	"WAIT_BUYER_PAY": Status.WAITING,
	"TRADE_CLOSED": Status.CLOSED,
}


def signing_string(params: Mapping[str, object], exclude: tuple[str, ...] = ("sign",)) -> str:
	"""`k1=v1&k2=v2…` over the non-empty parameters but `exclude`, sorted by name."""
	return "&".join(
		f"{k}={v}" for k, v in sorted(params.items()) if k not in exclude and v is not None and str(v) != ""
	)


def _der(text: str) -> bytes | None:
	body = "".join(text.split())
	try:
		return base64.b64decode(body, validate=True)
	except (binascii.Error, ValueError):
		return None


def load_private_key(text: str) -> rsa.RSAPrivateKey:
	text = (text or "").strip()
	try:
		if text.startswith("-----BEGIN"):
			key = serialization.load_pem_private_key(text.encode(), password=None)
		else:
			der = _der(text)
			if der is None:
				raise ValueError("not base64")
			key = serialization.load_der_private_key(der, password=None)
	except (ValueError, TypeError) as e:
		raise ValueError(f"the app private key cannot be read ({e})") from None
	if not isinstance(key, rsa.RSAPrivateKey):
		raise ValueError("the app private key is not an RSA key")
	return key


def load_public_key(text: str) -> rsa.RSAPublicKey:
	text = (text or "").strip()
	try:
		if text.startswith("-----BEGIN"):
			key = serialization.load_pem_public_key(text.encode())
		else:
			der = _der(text)
			if der is None:
				raise ValueError("not base64")
			key = serialization.load_der_public_key(der)
	except (ValueError, TypeError) as e:
		raise ValueError(f"the platform public key cannot be read ({e})") from None
	if not isinstance(key, rsa.RSAPublicKey):
		raise ValueError("the platform public key is not an RSA key")
	return key


def rsa2_sign(message: str, key: rsa.RSAPrivateKey, charset: str = "utf-8") -> str:
	return base64.b64encode(key.sign(message.encode(charset), padding.PKCS1v15(), hashes.SHA256())).decode()


def rsa2_verify(message: str, signature: str, key: rsa.RSAPublicKey, charset: str = "utf-8") -> bool:
	try:
		raw = base64.b64decode("".join((signature or "").split()), validate=True)
		key.verify(raw, message.encode(charset), padding.PKCS1v15(), hashes.SHA256())
		return True
	except (InvalidSignature, binascii.Error, ValueError, UnicodeEncodeError):
		return False


@dataclass(frozen=True)
class Config:
	app_id: str
	private_key: str  # ours (应用私钥)
	platform_public_key: str  # Alipay's (支付宝公钥)
	gateway_url: str = "https://openapi.alipay.com/gateway.do"
	method: str = PAGE_PAY
	charset: str = "utf-8"


class Gateway(PaymentGateway):
	provider = "Alipay"
	currencies = frozenset({"CNY"})
	ack = "success"

	def __init__(self, config: Config):
		if not config.app_id:
			raise ValueError("the Alipay app id is missing")
		if config.method not in METHODS:
			raise ValueError(f"method must be one of {METHODS}")
		self.config = config
		self._private = load_private_key(config.private_key)
		self._public = load_public_key(config.platform_public_key)

	# ------------------------------------------------------------ the request

	def request_params(self, order: GatewayOrder, now: datetime.datetime) -> dict[str, str]:
		"""The signed parameters of the cashier request for this order."""
		self.check_currency(order.currency)
		if not 0 < order.amount <= money("100000000"):
			raise Rejected("amount", f"Alipay takes 0.01 to 100000000.00, not {order.amount}")
		biz = {
			"out_trade_no": order.trade_no,
			"total_amount": f"{money(order.amount):.2f}",
			"subject": order.subject[:256],
			"time_expire": order.expires_at.strftime(TIME_FORMAT),
		}
		if self.config.method == PAGE_PAY:
			biz["product_code"] = "FAST_INSTANT_TRADE_PAY"
		params = {
			"app_id": self.config.app_id,
			"method": self.config.method,
			"format": "JSON",
			"charset": self.config.charset,
			"sign_type": "RSA2",
			"timestamp": now.strftime(TIME_FORMAT),
			"version": "1.0",
			"notify_url": order.notify_url,
			"return_url": order.return_url,
			"biz_content": json.dumps(biz, ensure_ascii=False, separators=(",", ":")),
		}
		params["sign"] = rsa2_sign(signing_string(params), self._private, self.config.charset)
		return params

	def checkout_url(self, order: GatewayOrder, now: datetime.datetime) -> str:
		params = self.request_params(order, now)
		sep = "&" if "?" in self.config.gateway_url else "?"
		return self.config.gateway_url + sep + urlencode(params, encoding=self.config.charset)

	# ------------------------------------------------------------ the notification

	def verify(self, fields: Mapping[str, str]) -> None:
		"""Rejected unless the fields carry Alipay's RSA2 signature and our app id."""
		if fields.get("sign_type") != "RSA2":
			raise Rejected("sign_type", f"expected RSA2, got {fields.get('sign_type')!r}")
		charset = fields.get("charset") or self.config.charset
		if not rsa2_verify(
			signing_string(fields, exclude=("sign", "sign_type")),
			fields.get("sign", ""),
			self._public,
			charset,
		):
			raise Rejected("signature", "the signature does not verify with the platform public key")
		if fields.get("app_id") != self.config.app_id:
			raise Rejected("app_id", f"notification for app {fields.get('app_id')!r}, not ours")

	def parse_notification(self, body: bytes, content_type: str = "") -> Notification:
		if content_type and "application/x-www-form-urlencoded" not in content_type.lower():
			raise Rejected("malformed", f"expected a form POST, got {content_type}")
		charset = "utf-8"
		if b"charset=" in body:  # the body says which charset it (and its signature) is in
			for part in body.split(b"&"):
				if part.startswith(b"charset="):
					charset = part[8:].decode("ascii", "replace").strip().lower() or charset
		fields = form_fields(body, charset)
		self.verify(fields)
		missing = [
			k for k in ("out_trade_no", "trade_no", "trade_status", "total_amount") if not fields.get(k)
		]
		if missing:
			raise Rejected("malformed", f"missing {', '.join(missing)}")
		if fields["trade_status"] not in STATUSES:
			raise Rejected("trade_status", f"unknown trade status {fields['trade_status']!r}")
		try:
			amount = money(fields["total_amount"])
		except ValueError:
			raise Rejected("amount", f"total_amount {fields['total_amount']!r} is not an amount") from None
		return Notification(
			trade_no=fields["out_trade_no"],
			gateway_trade_no=fields["trade_no"],
			amount=amount,
			status=STATUSES[fields["trade_status"]],
			raw_status=fields["trade_status"],
		)
