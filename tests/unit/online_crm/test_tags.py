"""Auto-tags from a party's facts, and a recompute that never touches a manual tag."""

import datetime as dt

from online_crm.core.tags import PartyFacts, auto_tags, merged, parse, spend_band


def test_auto_tags_name_segment_channels_region_spend_band_and_first_month():
	facts = PartyFacts(
		segment="Champions",
		channels=frozenset({"B2B Portal", "Shopify:Mei's Shop", "", "Shopify:Other"}),
		region="South China",
		spend=4999.99,
		first_order=dt.date(2026, 3, 31),
	)
	assert auto_tags(facts) == {
		"segment:Champions",
		"channel:B2B Portal",
		"channel:Shopify",
		"channel:Desk",  # an invoice without a channel was typed in the desk
		"region:South China",
		"spend:1k-5k",
		"first:2026-03",
	}
	# ERPNext's root territory says nothing about where someone is; no facts, no tags
	assert auto_tags(PartyFacts(region="All Territories")) == set()


def test_spend_bands_at_their_edges():
	assert [spend_band(x) for x in (-50, 0, 999.99, 1000, 4999.99, 5000, 19999.99, 20000, 1e9)] == [
		"<1k",
		"<1k",
		"<1k",
		"1k-5k",
		"1k-5k",
		"5k-20k",
		"5k-20k",
		"20k+",
		"20k+",
	]


def test_a_recompute_replaces_auto_tags_and_keeps_manual_ones_in_their_order():
	before = ",VIP,segment:Hibernating,wholesale,spend:<1k,VIP,"
	after = merged(before, {"segment:Champions", "spend:5k-20k"})
	assert parse(after) == ["VIP", "wholesale", "segment:Champions", "spend:5k-20k"]
	assert after.startswith(",")  # Frappe's own format for _user_tags
	assert merged(",segment:Lost", set()) == ""
