import pytest

from tests.contract import checks


@pytest.fixture(scope="session")
def v15() -> checks.Meta:
	"""Frappe v15 + ERPNext v15 metadata alone."""
	return checks.Meta.load()


@pytest.fixture(scope="session")
def meta(v15: checks.Meta) -> checks.Meta:
	"""v15 metadata with our doctypes and custom fields added, as on a site with the suite installed."""
	return v15.with_ours(checks.load_our_doctypes(), checks.load_custom_fields())
