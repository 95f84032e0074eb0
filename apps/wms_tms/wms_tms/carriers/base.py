"""What every parcel carrier client offers, and the error every one of them raises.

A carrier client (like omni_channel's marketplace clients) turns our request for an electronic
waybill (电子面单) into the carrier's signed HTTP call and the carrier's answer back into a
`Waybill`. It never touches Frappe: erp/parcels.py builds the request from a Delivery Note, calls
the client and stores the answer.

Every failure is a `CarrierError` with a `kind` the desk can explain and a `retryable` flag:
    address  — the carrier refuses the receiver's address (fix the address, then ask again)
    auth     — the carrier refuses our key or signature (fix the carrier's settings)
    timeout  — no answer in time, or no connection (ask again; the carrier dedupes by our order code)
    carrier  — the carrier failed or answered something we cannot read (ask again later)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

KINDS = ("address", "auth", "timeout", "carrier", "input")


class CarrierError(Exception):
	def __init__(
		self, message: str, kind: str = "carrier", code: str = "", retryable: bool = True, detail: str = ""
	):
		assert kind in KINDS, kind
		self.kind = kind
		self.code = code
		self.retryable = retryable
		self.detail = detail  # the carrier's own words (and code), shown as they came
		super().__init__(message)


@dataclass(frozen=True)
class Party:
	name: str
	phone: str
	province: str
	city: str
	district: str
	address: str


@dataclass(frozen=True)
class WaybillRequest:
	order_code: str  # ours, unique: the Delivery Note's name (the carrier dedupes on it)
	sender: Party
	receiver: Party
	weight_kg: Decimal
	parcels: int = 1
	goods: str = ""
	remark: str = ""


@dataclass(frozen=True)
class Waybill:
	tracking_no: str
	sort_code: str = ""  # 三段码: the carrier's sorting code printed big on the label
	mark: str = ""  # 大头笔: destination hub
	site: str = ""  # the carrier's branch that picks the parcel up
	raw: dict = field(default_factory=dict, compare=False)


class CarrierClient(Protocol):
	def create_waybill(self, request: WaybillRequest) -> Waybill: ...
