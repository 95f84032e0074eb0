"""The default RFM segment map, written out by hand as the usual R × F chart (not read from the code).

Rows are R from 5 (bought most recently) down to 1, columns F from 1 to 5. Where two rules of the
table cover a cell (R1 F1 is both Lost and Hibernating), the cell holds the one listed first in the
documented order, which is the one a customer gets.
"""

CHART = """
      F1                  F2                  F3                  F4           F5
R5 |  New               | Potential Loyalist | Potential Loyalist | Champions  | Champions
R4 |  Promising         | Potential Loyalist | Potential Loyalist | Loyal      | Loyal
R3 |  About to Sleep    | About to Sleep     | Need Attention     | Loyal      | Loyal
R2 |  Hibernating       | Hibernating        | At Risk            | At Risk    | Can't Lose
R1 |  Lost              | Hibernating        | At Risk            | At Risk    | Can't Lose
"""


def _parse() -> dict[tuple[int, int], str]:
	out = {}
	for line in CHART.strip().splitlines()[1:]:
		head, *cells = line.split("|")
		r = int(head.strip()[1])
		for f, name in enumerate(cells, start=1):
			out[(r, f)] = name.strip()
	return out


SEGMENT_OF = _parse()
