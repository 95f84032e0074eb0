#!/usr/bin/env bash
# `make test`: every kind of test, on a real bench.
#   1. a virtualenv (.venv) with pytest, factory-boy, hypothesis, ruff and the apps' own dependencies;
#   2. ruff, then the core unit tests and the contract tests (no Frappe needed);
#   3. the test bench: FRAPPE_BENCH, else this repository once `make run` made it a bench, else
#      ~/frappe-bench, built there with the same steps as `make run` (scripts/bench_setup.sh) when
#      it is missing;
#   4. the bench and browser tests on its site BENCH_SITE (default test.localhost): scripts/bench_tests.sh.
# Under CI=true a bench or browser test that cannot run fails the run; it never skips.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
PY=${PYTHON:-python3}
VENV=$REPO/.venv
t0=$(date +%s)

if [ ! -x "$VENV/bin/python" ]; then
	"$PY" -m venv "$VENV"
fi
stamp=$VENV/.installed
want=$(cat tests/requirements.txt apps/*/pyproject.toml | sha1sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
	"$VENV/bin/python" -m pip install -q --upgrade pip
	"$VENV/bin/python" -m pip install -q -r tests/requirements.txt $("$VENV/bin/python" scripts/app_requirements.py)
	echo "$want" >"$stamp"
fi

echo "== lint (ruff)"
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .

echo "== core and contract tests"
# one worker per core (pytest-xdist); a module stays on one worker, so its fixtures load once
"$VENV/bin/python" -m pytest tests/unit tests/contract -q -p no:cacheprovider -n auto --dist loadscope

BENCH=$(scripts/find_bench.sh || true)
if [ -z "$BENCH" ]; then
	BENCH=${FRAPPE_BENCH:-$HOME/frappe-bench}
	echo "== no bench found: building one at $BENCH (scripts/bench_setup.sh)"
fi
BENCH_DIR=$BENCH scripts/bench_setup.sh
scripts/bench_tests.sh "$BENCH"
echo "make test: $(($(date +%s) - t0)) s"
