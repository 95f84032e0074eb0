#!/usr/bin/env bash
# `make test`: everything that can run here.
#   1. a virtualenv (.venv) with pytest, factory-boy, hypothesis, ruff and the apps' own dependencies;
#   2. ruff, then the core unit tests and the contract tests (no Frappe needed);
#   3. when a bench is found (FRAPPE_BENCH, see README), the current apps are installed into its
#      test site and the bench tests run there with the bench's own Python.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
PY=${PYTHON:-python3}
VENV=$REPO/.venv

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
"$VENV/bin/python" -m pytest tests/unit tests/contract -q -p no:cacheprovider

echo "== bench tests"
BENCH=$(scripts/find_bench.sh || true)
if [ -z "$BENCH" ]; then
	echo "bench tests skipped: no Frappe v15 bench found (looked at ${FRAPPE_BENCH:-$REPO and $HOME/frappe-bench}; set FRAPPE_BENCH to a bench to run them)"
	exit 0
fi
scripts/bench_tests.sh "$BENCH"
