"""What the benchmarks that measure a bench site share: opening the site the way a bench command does."""

import os
from pathlib import Path

import frappe


def connect(site: str) -> None:
	"""frappe.init + connect on `site` of the bench that holds this frappe, as Administrator (from the
	bench's sites folder: Frappe resolves sites and logs relative to the working directory)."""
	bench = Path(frappe.__file__).resolve().parents[3]
	os.chdir(bench / "sites")
	frappe.init(site=site, sites_path=str(bench / "sites"))
	frappe.connect()
	frappe.set_user("Administrator")
