"""The canonical order: what every channel's payload becomes, and what the ERPNext adapter writes.

Money is `Decimal`, quantities are whole units, timestamps are timezone-aware. An order's
identity is (shop, external id) — `order_key` turns it into a Frappe-safe document name — and
its version is `Version`: the platform's own updated-at, then the status rank, then a digest
of the content that matters (`compare_order_versions`): a newer version replaces, an older one
is ignored, the same one replayed is a duplicate.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from omni_channel.core.errors import ChannelInputError

# ISO 4217 active codes (2024)
CURRENCIES = frozenset(
	"AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD "
	"CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD "
	"GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT "
	"LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR "
	"NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP "
	"STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF "
	"XPF YER ZAR ZMW ZWL".split()
)

# Order status, one vocabulary for every platform
STATUSES = (
	"pending",  # placed, not paid (or awaiting payment confirmation)
	"paid",  # paid, nothing shipped
	"partially_shipped",
	"shipped",  # every line shipped
	"completed",  # buyer confirmed / platform closed it successfully
	"cancelled",  # cancelled or closed before shipping (incl. fully refunded before shipping)
)

KEY_MAX = 140
_SAFE = re.compile(r"[A-Za-z0-9._@-]+")


def currency(code) -> str:
	if not isinstance(code, str) or code.strip().upper() not in CURRENCIES:
		raise ChannelInputError("unknown_currency", f"currency {str(code)[:12]!r} is not an ISO 4217 code")
	return code.strip().upper()


def order_key(shop: str, external_id: str) -> str:
	"""The order's document name: `<shop>:<external id>`, stable, at most 140 characters.

	Only letters, digits and `. _ @ -` survive as they are; anything else (or an over-long
	key) is replaced by a readable prefix and a SHA-1 digest of the exact pair, so two
	different pairs never share a key and the same pair always gets the same one.
	"""
	if not isinstance(shop, str) or not shop.strip():
		raise ChannelInputError("missing_field", "shop is required for an order key", "shop")
	if not isinstance(external_id, str) or not external_id.strip():
		raise ChannelInputError("missing_field", "external id is required for an order key", "external_id")
	shop, external_id = shop.strip(), external_id.strip()
	key = f"{shop}:{external_id}"
	if _SAFE.fullmatch(shop) and _SAFE.fullmatch(external_id) and len(key) <= KEY_MAX:
		return key
	digest = hashlib.sha1(f"{len(shop)}|{shop}|{external_id}".encode()).hexdigest()
	readable = re.sub(r"[^A-Za-z0-9._@-]+", "-", key).strip("-")[: KEY_MAX - 42]
	return f"{readable}~{digest}"


def compare_versions(incoming: datetime | None, stored: datetime | None) -> str:
	"""'newer' | 'older' | 'equal' — of an incoming version against the stored one.

	Nothing stored yet counts as older than anything; an incoming order without a version
	can never replace a stored one (it is treated as 'older').
	"""
	if stored is None:
		return "newer" if incoming is not None else "equal"
	if incoming is None:
		return "older"
	if incoming > stored:
		return "newer"
	if incoming < stored:
		return "older"
	return "equal"


# Where a status stands in an order's life. Two versions with the same `updated_at` are ordered
# by this rank first: a cancellation (or a refund in full, which maps to "cancelled") is always
# later than the open order it ends, so it is never dropped as a "duplicate" of it.
STATUS_RANK = {s: i for i, s in enumerate(STATUSES)}


@dataclass(frozen=True, slots=True)
class Version:
	"""An order's version: the platform's `updated_at`, then its status rank, then a digest of the
	content that matters. Equal only when all three are; otherwise totally ordered."""

	updated_at: datetime | None
	rank: int = 0
	digest: str = ""


def compare_order_versions(incoming: Version | None, stored: Version | None) -> str:
	"""'newer' | 'older' | 'equal' — the rule for which delivery of an order wins.

	1. A later `updated_at` is newer, an earlier one older (as `compare_versions`); nothing
	   stored counts as older than anything, a version without a timestamp never replaces one.
	2. The same `updated_at`: the status later in the order's life (STATUS_RANK) is newer,
	   so a same-second cancellation is applied whatever order the deliveries come in.
	3. The same `updated_at` and rank: the same content digest is a replay ('equal'); another
	   digest is a new version, and the greater digest wins — a stable order, so every worker
	   that sees the same deliveries, in any order, ends on the same one.
	"""
	if stored is None:
		return "newer" if incoming is not None and incoming.updated_at is not None else "equal"
	if incoming is None:
		return "older"
	by_time = compare_versions(incoming.updated_at, stored.updated_at)
	if by_time != "equal" or incoming.updated_at is None:
		return by_time
	if incoming.rank != stored.rank:
		return "newer" if incoming.rank > stored.rank else "older"
	if incoming.digest == stored.digest:
		return "equal"
	return "newer" if incoming.digest > stored.digest else "older"


def _money(d: Decimal) -> str:
	return f"{Decimal(d).normalize():f}" if d is not None else ""


def content_digest(order: CanonicalOrder) -> str:
	"""SHA-256 over what matters in an order (status, lines, money, refunds, ship-to, notes).

	Spelling does not count: 19.9 and 19.90 are one amount, an address differing only in case
	or punctuation is one address. `updated_at` and the payload's other noise do not count.
	"""
	parts = [
		order.status,
		order.raw_status,
		order.currency,
		order.paid_at.isoformat() if order.paid_at else "",
		_money(order.shipping_amount),
		_money(order.discount_total),
		_money(order.tax_total),
		_money(order.grand_total),
		order.ship_to.fingerprint(),
		order.buyer_note,
		order.seller_note,
		"1" if order.cash_on_delivery else "0",
		order.payment_state,
		_money(order.outstanding),
		_money(order.order_discount),
	]
	for ln in sorted(order.lines, key=lambda x: x.external_line_id):
		parts.append(
			"L|"
			+ "|".join(
				(
					ln.external_line_id,
					ln.sku,
					str(ln.quantity),
					_money(ln.unit_price),
					_money(ln.discount),
					str(ln.shipped_qty),
					str(ln.refunded_qty),
				)
			)
		)
	for r in sorted(order.refunds, key=lambda x: x.external_id):
		parts.append(f"R|{r.external_id}|{_money(r.amount)}|{_money(r.shipping_amount)}")
	return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def version_of(order: CanonicalOrder) -> Version:
	return Version(order.updated_at, STATUS_RANK.get(order.status, 0), content_digest(order))


@dataclass(frozen=True, slots=True)
class Address:
	name: str = ""
	phone: str = ""
	country_code: str = ""  # ISO 3166-1 alpha-2
	province: str = ""  # state / province / 省
	city: str = ""
	district: str = ""  # 区 / county
	line1: str = ""
	line2: str = ""
	postcode: str = ""
	latitude: float | None = None  # when the platform geocoded it (Shopify does); routes need it
	longitude: float | None = None

	def missing_parts(self) -> list[str]:
		"""The parts a parcel cannot go without (phone is judged by its own rule)."""
		need = {
			"recipient name": self.name,
			"country": self.country_code,
			"city": self.city,
			"street": self.line1,
		}
		if self.country_code == "CN":
			need["province"] = self.province
		return [k for k, v in need.items() if not v.strip()]

	def fingerprint(self) -> str:
		"""Equal for two spellings of the same address (case, spaces, punctuation ignored)."""
		parts = (
			self.name,
			self.phone,
			self.country_code,
			self.province,
			self.city,
			self.district,
			self.line1,
			self.line2,
			self.postcode,
		)
		return "|".join(re.sub(r"[\W_]+", "", p).casefold() for p in parts)


@dataclass(frozen=True, slots=True)
class Buyer:
	external_id: str = ""  # platform customer id; Taobao gives an open id / nick only
	name: str = ""
	email: str = ""
	phone: str = ""
	nick: str = ""  # Taobao buyer nick

	@property
	def identity(self) -> str:
		return self.external_id or self.nick or self.email.casefold() or self.phone


@dataclass(frozen=True, slots=True)
class OrderLine:
	external_line_id: str
	sku: str  # may be blank: some platforms allow products without SKU
	title: str
	quantity: int
	unit_price: Decimal
	discount: Decimal = Decimal(0)  # for the whole line
	barcode: str = ""
	shipped_qty: int = 0
	refunded_qty: int = 0
	presale: bool = False
	weight_grams: int = 0  # per unit
	product_id: str = ""
	variant_id: str = ""

	@property
	def amount(self) -> Decimal:
		return self.unit_price * self.quantity - self.discount

	@property
	def open_qty(self) -> int:
		"""Still to ship: ordered − shipped − refunded, never below zero."""
		return max(0, self.quantity - self.shipped_qty - self.refunded_qty)


@dataclass(frozen=True, slots=True)
class Fee:
	kind: str  # commission | service_fee | payment_fee | shipping | …
	amount: Decimal


@dataclass(frozen=True, slots=True)
class RefundLine:
	external_line_id: str
	quantity: int
	amount: Decimal
	restock: bool = True


@dataclass(frozen=True, slots=True)
class Refund:
	external_id: str
	created_at: datetime | None
	amount: Decimal
	lines: tuple[RefundLine, ...] = ()
	reason: str = ""
	shipping_amount: Decimal = Decimal(0)


@dataclass(frozen=True, slots=True)
class CanonicalOrder:
	platform: str
	shop: str
	external_id: str
	name: str  # the number a person sees (#1001, Taobao tid …)
	status: str
	currency: str
	buyer: Buyer
	ship_to: Address
	lines: tuple[OrderLine, ...]
	created_at: datetime
	updated_at: datetime  # the platform's version of this order
	paid_at: datetime | None = None
	shipping_amount: Decimal = Decimal(0)
	discount_total: Decimal = Decimal(0)
	tax_total: Decimal = Decimal(0)
	grand_total: Decimal = Decimal(0)
	fees: tuple[Fee, ...] = ()
	refunds: tuple[Refund, ...] = ()
	buyer_note: str = ""
	seller_note: str = ""
	tags: tuple[str, ...] = ()
	raw_status: str = ""  # the platform's own words, for a person
	cash_on_delivery: bool = False  # the buyer pays the driver; the invoice stays open until then
	# money as the platform states it (core.totals reconciles it to grand_total)
	payment_state: str = ""  # unpaid | partially_paid | paid | partially_refunded | refunded | ""
	outstanding: Decimal = Decimal(0)  # what the buyer still owes by the platform
	taxes_included: bool = False  # tax_total is inside the line prices (not added on top)
	order_discount: Decimal = Decimal(0)  # a discount on the order not already inside the lines
	total_net_of_refunds: bool = False  # grand_total already leaves out refunded lines (Taobao)
	extra: dict = field(default_factory=dict, compare=False, hash=False)

	@property
	def key(self) -> str:
		return order_key(self.shop, self.external_id)

	@property
	def version(self) -> datetime:
		return self.updated_at

	@property
	def lines_total(self) -> Decimal:
		return sum((ln.amount for ln in self.lines), Decimal(0))

	@property
	def refunded_total(self) -> Decimal:
		return sum((r.amount for r in self.refunds), Decimal(0))

	@property
	def is_paid(self) -> bool:
		return self.status in ("paid", "partially_shipped", "shipped", "completed")

	@property
	def any_shipped(self) -> bool:
		return self.status in ("partially_shipped", "shipped", "completed") or any(
			ln.shipped_qty for ln in self.lines
		)


def status_from_lines(paid: bool, cancelled: bool, lines: tuple[OrderLine, ...]) -> str:
	"""Derive the canonical status from payment and per-line shipped quantities."""
	if cancelled:
		return "cancelled"
	if not paid:
		return "pending"
	to_ship = sum(max(0, ln.quantity - ln.refunded_qty) for ln in lines)
	shipped = sum(min(ln.shipped_qty, max(0, ln.quantity - ln.refunded_qty)) for ln in lines)
	if to_ship and shipped >= to_ship:
		return "shipped"
	if shipped:
		return "partially_shipped"
	return "paid"
