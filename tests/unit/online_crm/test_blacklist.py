"""The blacklist: party keys, one day of expiry, and which entries each enforcement point sees."""

import datetime as dt

import pytest

from online_crm.core.blacklist import (
	CHANNEL_BUYER,
	CUSTOMER,
	Entry,
	applies,
	blocked_buyers,
	blocked_customers,
	buyer_key,
	customer_key,
)

TODAY = dt.date(2026, 12, 1)


def test_an_entry_applies_through_its_last_day_and_not_after():
	e = Entry(CUSTOMER, "Acme", "unpaid invoices", TODAY)
	assert applies(e, TODAY - dt.timedelta(days=30))
	assert applies(e, TODAY)
	assert not applies(e, TODAY + dt.timedelta(days=1))
	assert applies(Entry(CUSTOMER, "Acme", "fraud"), dt.date(2099, 1, 1))  # no day: until removed


def test_customers_and_buyers_are_kept_apart_and_expired_ones_drop_out():
	entries = [
		Entry(CUSTOMER, "Acme", "unpaid invoices"),
		Entry(CUSTOMER, "Old Co", "was late once", TODAY - dt.timedelta(days=1)),
		Entry(CHANNEL_BUYER, "7001", "chargebacks", None, "Shopify"),
		Entry(CHANNEL_BUYER, "Mei-Wang", "fake returns", TODAY, "Taobao"),
		Entry(CHANNEL_BUYER, "8002", "expired", TODAY - dt.timedelta(days=2), "Shopify"),
	]
	assert blocked_customers(entries, TODAY) == {"Acme": "unpaid invoices"}
	assert blocked_buyers(entries, "Shopify", TODAY) == {"7001": "chargebacks"}
	# a Taobao nick is compared the way omni_channel's review compares it: no dashes, any case
	assert blocked_buyers(entries, "Taobao", TODAY) == {"meiwang": "fake returns"}
	assert blocked_buyers(entries, "Taobao", TODAY + dt.timedelta(days=1)) == {}


def test_one_key_per_party():
	assert customer_key(" Acme ") == "Customer:Acme"
	assert (
		buyer_key("Shopify", "139 1234-5678") == buyer_key("Shopify", "13912345678") == "Shopify:13912345678"
	)
	assert buyer_key("Taobao", "Mei") != buyer_key("Shopify", "Mei")
	with pytest.raises(ValueError):
		buyer_key("Shopify", " - ")
	with pytest.raises(ValueError):
		customer_key("  ")
