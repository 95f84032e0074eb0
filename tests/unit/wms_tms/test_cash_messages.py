"""The cash a driver types: what the phone shows back (record and sentence) and cent rounding, by hand."""

from decimal import Decimal

import pytest

from wms_tms.core.cod import cash_taken
from wms_tms.core.errors import WmsInputError


@pytest.mark.parametrize(
	"typed, message",
	[
		(None, "S7: enter the cash collected"),
		("  ", "S7: enter the cash collected"),
		(True, "S7: enter the cash collected"),
		("abc", "S7: the cash collected is not a number"),
		("nan", "S7: the cash collected is not a number"),
		(float("inf"), "S7: the cash collected is not a number"),
		("0.004", "S7: the cash collected must be above zero"),  # 0.004 is 0.00 to the cent
		("-1", "S7: the cash collected must be above zero"),
		("30.01", "S7: 30.01 is more than the 30.00 due"),
	],
)
def test_refusals_name_the_stop_and_say_why(typed, message):
	with pytest.raises(WmsInputError) as e:
		cash_taken(typed, 30, record="S7")
	assert str(e.value) == message and e.value.record == "S7"


def test_the_default_record_is_cash():
	with pytest.raises(WmsInputError) as e:
		cash_taken(None, 30)
	assert e.value.record == "cash"


@pytest.mark.parametrize(
	"typed, owed, taken",
	[
		(" 12.5 ", 30, Decimal("12.50")),
		("0.005", 30, Decimal("0.01")),  # half a cent rounds up, as the invoice does
		("12.345", "12.345", Decimal("12.35")),  # the amount due is rounded the same way: equal, accepted
		("12.344", Decimal("12.345"), Decimal("12.34")),
		(Decimal("7"), 7, Decimal("7.00")),
	],
)
def test_amounts_are_rounded_half_up_to_the_cent(typed, owed, taken):
	got = cash_taken(typed, owed)
	assert got == taken and got.as_tuple().exponent == -2
