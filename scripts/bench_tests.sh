#!/usr/bin/env bash
# Bench tests: put the current apps on the bench's test site, then run tests/bench with the bench's Python.
#   scripts/bench_tests.sh <bench>
# BENCH_SITE (default test.localhost) is created with allow_tests when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
BENCH=$(cd "$1" && pwd)
SITE=${BENCH_SITE:-test.localhost}

scripts/bench_services.sh start "$BENCH"
BENCH_DIR=$BENCH SITE=$SITE ALLOW_TESTS=1 START=0 scripts/bench_site.sh

pip="$BENCH/env/bin/python -m pip"
if ! "$BENCH/env/bin/python" -c "import pytest, factory, hypothesis" 2>/dev/null; then
	$pip install -q -r tests/requirements.txt
fi
echo "== bench tests on $SITE ($BENCH)"
cd "$REPO"
BENCH_SITE=$SITE "$BENCH/env/bin/python" -m pytest tests/bench -q -p no:cacheprovider -o pythonpath=. "${@:2}"
