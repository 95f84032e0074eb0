"""Freight: what a parcel costs by a carrier's template, what a trip of our own fleet costs, and how
a trip's cost is shared among the orders it carries.

A template (运费模板) has one row per group of regions (provinces): the first weight and its charge
(首重), then a charge for each further step, one kilogram unless set (续重, every started step is
charged). The weight charged is the larger of the parcel's actual weight and its volume weight
(length × width × height in cm divided by the template's divisor, e.g. 6000 or 8000). An order
worth at least `free_above` ships free to the customer (包邮); the carrier still charges us.

Money is Decimal to the cent, half up; weights are Decimal kilograms to the gram.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, InvalidOperation

from wms_tms.core.errors import WmsInputError

CENT = Decimal("0.01")
GRAM = Decimal("0.001")
ANYWHERE = "*"


def dec(value, what: str) -> Decimal:
	"""A finite Decimal from a number or numeric text, or a WmsInputError naming `what`."""
	try:
		d = Decimal(str(value).strip()) if value is not None and str(value).strip() != "" else Decimal(0)
	except (InvalidOperation, ValueError):
		raise WmsInputError(what, f"{value!r} is not a number") from None
	if not d.is_finite():
		raise WmsInputError(what, f"{value!r} is not a number")
	return d


def money(value) -> Decimal:
	return dec(value, "amount").quantize(CENT, ROUND_HALF_UP)


def region_key(name: str | None) -> str:
	"""Provinces as people write them: '广东省', '广东', ' Guangdong ' and 'guangdong province' meet."""
	text = (name or "").strip().lower()
	for suffix in (
		"维吾尔自治区",
		"壮族自治区",
		"回族自治区",
		"自治区",
		"特别行政区",
		"省",
		"市",
		" province",
	):
		if text.endswith(suffix) and len(text) > len(suffix):
			text = text[: -len(suffix)]
			break
	return text.strip()


@dataclass(frozen=True)
class RegionRate:
	regions: tuple[str, ...]  # province names; ("*",) or () = every region no other row names
	first_weight: Decimal  # kg covered by the first charge
	first_charge: Decimal
	step_charge: Decimal  # for each started further step
	step_weight: Decimal = Decimal(1)  # kg per further step

	def __post_init__(self):
		name = ",".join(self.regions) or ANYWHERE
		if self.first_weight <= 0:
			raise WmsInputError(name, "the first weight must be above 0 kg")
		if self.step_weight <= 0:
			raise WmsInputError(name, "each further step must be above 0 kg")
		if self.first_charge < 0 or self.step_charge < 0:
			raise WmsInputError(name, "charges cannot be negative")

	@property
	def is_default(self) -> bool:
		return not self.regions or ANYWHERE in self.regions


@dataclass(frozen=True)
class FreightTemplate:
	rates: tuple[RegionRate, ...]
	divisor: Decimal = Decimal(0)  # cm³ per kg; 0 = no volume weight
	free_above: Decimal = Decimal(0)  # order value from which the customer pays nothing; 0 = never

	def __post_init__(self):
		if self.divisor < 0:
			raise WmsInputError("divisor", "cannot be negative")
		seen: dict[str, int] = {}
		for i, rate in enumerate(self.rates):
			for region in rate.regions:
				key = region_key(region)
				if key == ANYWHERE:
					continue
				if key in seen:
					raise WmsInputError(region, f"is in rows {seen[key] + 1} and {i + 1}")
				seen[key] = i
		if sum(1 for r in self.rates if r.is_default) > 1:
			raise WmsInputError(ANYWHERE, "only one row may cover every other region")

	def rate_for(self, region: str | None) -> RegionRate:
		key = region_key(region)
		for rate in self.rates:
			if key and any(region_key(r) == key for r in rate.regions if r != ANYWHERE):
				return rate
		for rate in self.rates:
			if rate.is_default:
				return rate
		raise WmsInputError(region or "(no region)", "the template has no rate for this region")


@dataclass(frozen=True)
class Quote:
	actual_weight: Decimal
	volume_weight: Decimal
	chargeable_weight: Decimal
	carrier_charge: Decimal  # what the carrier bills us
	customer_charge: Decimal  # what the order pays: 0 above the free-shipping amount
	free: bool


def volume_weight(length_cm, width_cm, height_cm, divisor) -> Decimal:
	"""Dimensional weight in kg: l × w × h (cm) ÷ divisor (cm³/kg), to the gram; 0 without a divisor."""
	d = dec(divisor, "divisor")
	dims = [dec(x, "dimension") for x in (length_cm, width_cm, height_cm)]
	if any(x < 0 for x in dims):
		raise WmsInputError("dimension", "cannot be negative")
	if d <= 0:
		return Decimal(0)
	return (dims[0] * dims[1] * dims[2] / d).quantize(GRAM, ROUND_CEILING)


def charge_for_weight(rate: RegionRate, weight: Decimal) -> Decimal:
	"""First charge up to the first weight, then one step charge for every started further step."""
	if weight < 0:
		raise WmsInputError("weight", "cannot be negative")
	extra = weight - rate.first_weight
	steps = (extra / rate.step_weight).to_integral_value(ROUND_CEILING) if extra > 0 else Decimal(0)
	return (rate.first_charge + steps * rate.step_charge).quantize(CENT, ROUND_HALF_UP)


def quote(
	template: FreightTemplate,
	region: str | None,
	actual_kg,
	volume_cm3=0,
	order_value=0,
) -> Quote:
	actual = dec(actual_kg, "weight").quantize(GRAM, ROUND_CEILING)
	volume = dec(volume_cm3, "volume")
	if actual < 0 or volume < 0:
		raise WmsInputError("parcel", "weight and volume cannot be negative")
	vol_weight = (
		(volume / template.divisor).quantize(GRAM, ROUND_CEILING) if template.divisor > 0 else Decimal(0)
	)
	chargeable = max(actual, vol_weight)
	carrier = charge_for_weight(template.rate_for(region), chargeable)
	free = template.free_above > 0 and money(order_value) >= template.free_above
	return Quote(actual, vol_weight, chargeable, carrier, Decimal("0.00") if free else carrier, free)


# ---------------------------------------------------------------- our own fleet


def trip_cost(distance_km, rate_per_km, hours, hourly_rate) -> Decimal:
	"""A trip of our own vehicle: distance × the vehicle's rate per km plus the driver's time × rate."""
	parts = {
		"distance": dec(distance_km, "distance"),
		"rate per km": dec(rate_per_km, "rate per km"),
		"hours": dec(hours, "hours"),
		"hourly rate": dec(hourly_rate, "hourly rate"),
	}
	for what, value in parts.items():
		if value < 0:
			raise WmsInputError(what, "cannot be negative")
	total = parts["distance"] * parts["rate per km"] + parts["hours"] * parts["hourly rate"]
	return total.quantize(CENT, ROUND_HALF_UP)


def allocate(total, shares) -> list[Decimal]:
	"""Split `total` over the orders by their shares (weights), to the cent, the parts adding up to
	the total exactly: largest remainders get the odd cents, earlier orders first on a tie. Orders
	with no share at all split it evenly."""
	amount = money(total)
	weights = [dec(s, "share") for s in shares]
	if not weights:
		return []
	if any(w < 0 for w in weights):
		raise WmsInputError("share", "cannot be negative")
	if sum(weights) == 0:
		weights = [Decimal(1)] * len(weights)
	cents = int(amount / CENT)
	whole = sum(weights)
	exact = [Decimal(cents) * w / whole for w in weights]
	floors = [int(e) if cents >= 0 else -int(-e) for e in exact]
	left = cents - sum(floors)
	order = sorted(range(len(exact)), key=lambda i: (-(abs(exact[i] - floors[i])), i))
	for i in order[: abs(left)]:
		floors[i] += 1 if left > 0 else -1
	return [(Decimal(c) * CENT).quantize(CENT) for c in floors]
