"""Prints the PyPI dependencies the four apps declare in their pyproject.toml, one per line."""

import pathlib

import tomllib

root = pathlib.Path(__file__).resolve().parents[1] / "apps"
for app in ("b2b_mall", "omni_channel", "wms_tms", "online_crm"):
	for dep in tomllib.loads((root / app / "pyproject.toml").read_text())["project"].get("dependencies", []):
		print(dep)
