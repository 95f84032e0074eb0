"""pytest plugin: under CI=true a skipped bench or browser test is a failure.

A bench or browser test that cannot run (no Frappe, no browser, no server) would otherwise pass CI
silently; scripts/bench_tests.sh loads this plugin with `-p tests.strict_skips`.
"""

import os

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
	outcome = yield
	report = outcome.get_result()
	if (
		os.environ.get("CI", "").lower() in ("1", "true", "yes")
		and report.skipped
		and not hasattr(report, "wasxfail")
	):
		report.outcome = "failed"
		reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
		report.longrepr = f"skipped under CI=true, which counts as a failure: {reason}"


def pytest_collection_finish(session):
	if os.environ.get("CI", "").lower() in ("1", "true", "yes") and not session.items:
		raise pytest.UsageError("CI=true and no bench or browser test was collected")
