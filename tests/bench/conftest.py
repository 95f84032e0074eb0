"""Bench tests: real Frappe v15 + ERPNext v15 documents on a test site.

Run with the bench's own Python (scripts/bench_tests.sh does it):
    <bench>/env/bin/python -m pytest tests/bench
The site is BENCH_SITE (default test.localhost) of the bench that holds the frappe package.
Each test runs inside a transaction that is rolled back afterwards; tests that need other
connections to see their data (concurrency) use the `committed` fixture and clean up.
"""

import os
from pathlib import Path

import pytest

frappe = pytest.importorskip("frappe", reason="bench tests need Frappe; run them with the bench's Python")

SITE = os.environ.get("BENCH_SITE", "test.localhost")


def bench_dir() -> Path:
	"""<bench>/apps/frappe/frappe/__init__.py → <bench>."""
	return Path(frappe.__file__).resolve().parents[3]


@pytest.fixture(scope="session", autouse=True)
def site():
	sites = bench_dir() / "sites"
	os.chdir(sites)  # frappe.init resolves sites and logs relative to the working directory
	frappe.init(site=SITE, sites_path=str(sites))
	frappe.connect()
	frappe.set_user("Administrator")
	frappe.flags.in_test = True
	yield SITE
	frappe.db.rollback()
	frappe.destroy()


@pytest.fixture(autouse=True)
def rollback(site):
	"""Every test starts clean and leaves nothing behind."""
	frappe.db.rollback()
	frappe.set_user("Administrator")
	yield
	frappe.db.rollback()
	frappe.set_user("Administrator")
	frappe.local.response = frappe._dict()


@pytest.fixture
def company():
	from tests.bench import builders

	return builders.company()
