"""A store's layout as ERPNext hands it over (geometry fields and bin rows): every way of giving the
geometry, the defaults, and each refusal with the record and the field it names."""

import pytest

from wms_tms.core.errors import WmsInputError
from wms_tms.core.layout import Bin, Layout


def fields(s: Layout):
	return (
		s.aisles,
		s.positions,
		s.blocks,
		s.position_pitch,
		s.aisle_pitch,
		s.cross_aisle_width,
		s.depot_aisle,
	)


@pytest.mark.parametrize(
	"geometry, expected",
	[
		# only the two required numbers: 1 block, 1 m positions, 3 m aisles, 2 m cross aisles, depot at 0
		({"aisles": 4, "positions": 10}, (4, 10, 1, 1.0, 3.0, 2.0, 0.0)),
		# cross aisles = blocks + 1; an aisle of 15 m over 10 positions = 1.5 m each; aisle_spacing
		(
			{"aisles": "5", "positions": 10, "cross_aisles": 3, "aisle_length": 15, "aisle_spacing": 2.5},
			(5, 10, 2, 1.5, 2.5, 2.0, 0.0),
		),
		# explicit values win over the alternatives
		(
			{
				"aisles": 4,
				"positions": 8,
				"blocks": 3,
				"cross_aisles": 9,
				"position_pitch": 0.8,
				"aisle_length": 99,
				"aisle_pitch": 3.5,
				"aisle_spacing": 9,
				"cross_aisle_width": 3,
				"depot_aisle": 2.5,
			},
			(4, 8, 3, 0.8, 3.5, 3.0, 2.5),
		),
		# zeros (Frappe's unset number fields) take the defaults; blank text too
		(
			{
				"aisles": 4,
				"positions": 10,
				"blocks": 0,
				"position_pitch": 0,
				"aisle_pitch": 0,
				"cross_aisle_width": "",
			},
			(4, 10, 1, 1.0, 3.0, 2.0, 0.0),
		),
		({"aisles": 4, "positions": 10, "depot_aisle": 5}, (4, 10, 1, 1.0, 3.0, 2.0, 5.0)),
	],
)
def test_geometry_as_erpnext_hands_it_over(geometry, expected):
	assert fields(Layout.from_rows(geometry, [])) == expected


def test_bin_rows_become_bins():
	rows = [
		{"bin": " A1-01 ", "aisle": "1", "position": 1.0},
		{"bin": "A2-03", "aisle": 2, "position": 3, "side": "r", "level": "4", "block": 1},
		{"bin": "A3-02", "aisle": 3, "position": 2, "side": "", "level": "", "block": None},
	]
	s = Layout.from_rows({"aisles": 3, "positions": 5, "blocks": 2}, rows)
	assert s.bins == {
		"A1-01": Bin("A1-01", 1, 1, "L", 1, 0),
		"A2-03": Bin("A2-03", 2, 3, "R", 4, 1),
		"A3-02": Bin("A3-02", 3, 2, "L", 1, 0),
	}


@pytest.mark.parametrize(
	"geometry, message",
	[
		({"aisles": 4}, "layout: positions is missing"),
		({"aisles": 4, "positions": "ten"}, "layout: positions must be a number, not 'ten'"),
		({"aisles": 4, "positions": 2.5}, "layout: positions must be a whole number, not 2.5"),
		(
			{"aisles": 4, "positions": 10, "aisle_pitch": float("inf")},
			"layout: aisle_pitch must be a number, not inf",
		),
		({"aisles": 4, "positions": 10, "blocks": float("nan")}, "layout: blocks must be a number, not nan"),
		(
			{"aisles": 4, "positions": 10, "cross_aisle_width": -1},
			"layout: cross_aisle_width must be above zero, not -1.0",
		),
		({"aisles": 0.0, "positions": 10}, "layout: aisles must be a whole number of at least 1, not 0"),
	],
)
def test_bad_geometry_is_named(geometry, message):
	with pytest.raises(WmsInputError) as e:
		Layout.from_rows(geometry, [])
	assert str(e.value) == message


@pytest.mark.parametrize(
	"row, message",
	[
		({"bin": "X", "aisle": "one", "position": 1}, "X: aisle must be a whole number, not 'one'"),
		({"bin": "X", "aisle": 1, "position": None}, "X: position must be a whole number, not None"),
		(
			{"bin": "X", "aisle": 1, "position": 1, "level": float("inf")},
			"X: level must be a whole number, not inf",
		),
		({"bin": "X", "aisle": 9, "position": 1}, "X: aisle 9 is outside 1…4"),
		({"bin": "X", "aisle": 1, "position": 11}, "X: position 11 is outside 1…10"),
		({"bin": "X", "aisle": 1, "position": 1, "side": "M"}, "X: side must be L or R, not 'M'"),
	],
)
def test_bad_bin_rows_are_named(row, message):
	with pytest.raises(WmsInputError) as e:
		Layout.from_rows({"aisles": 4, "positions": 10}, [row])
	assert str(e.value) == message
