"""Writing many Customers' own fields at once: one UPDATE per batch, a CASE per column keyed on the
name, as db.set_value(update_modified=False) would write them one by one (a full RFM run writes
every scored customer, 100,000 and more)."""

import frappe

BATCH = 500  # customers per statement


def update_by_name(doctype: str, rows: list[tuple[str, dict]], batch: int = BATCH) -> None:
	"""rows: (name, {column: value}); every row names the same columns. `modified` is left alone."""
	for start in range(0, len(rows), batch):
		chunk = rows[start : start + batch]
		columns = list(chunk[0][1])
		sets, values = [], []
		for col in columns:
			sets.append(f"`{col}` = case `name` " + " ".join(["when %s then %s"] * len(chunk)) + " end")
			for name, fields in chunk:
				values += [name, fields[col]]
		values.append(tuple(name for name, _f in chunk))
		frappe.db.sql(f"update `tab{doctype}` set {', '.join(sets)} where `name` in %s", values)
