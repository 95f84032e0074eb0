#!/usr/bin/env bash
# make mutate: mutation testing (mutmut, from tests/requirements-mutate.txt) over every app's core/
# and omni_channel's channels/, one app at a time, against that app's unit tests.
#
#   scripts/mutate.sh                    all four apps
#   scripts/mutate.sh wms_tms b2b_mall   some of them
#   MUTATE_JOBS=2 MUTATE_DIR=/tmp/x      parallel workers (default: number of CPUs), scratch folder
#   MUTATE_ONLY="wms_tms/core/cod.py"    only these files (globs, package-relative), for a quick check
#
# Each app is copied into a scratch folder (never the work tree: a mutant is never seen by anything
# else running here) with its package at the top level, so that mutmut's module names are the ones
# the tests import. Prints the score per app and every surviving mutant; the survivors we keep on
# purpose, with the reason each is harmless, are listed in tests/mutation-survivors.md.
# Exit status: 1 when an app's score is under MUTATE_MIN (default 85).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ALL="b2b_mall omni_channel wms_tms online_crm"
APPS=${*:-$ALL}
WORK=${MUTATE_DIR:-${TMPDIR:-/tmp}/mutate-$(basename "$ROOT")}
JOBS=${MUTATE_JOBS:-$(nproc)}
MIN=${MUTATE_MIN:-85}

if [ ! -x .venv/bin/python ]; then
	python3 -m venv .venv
	.venv/bin/pip install -q -r tests/requirements.txt $(.venv/bin/python scripts/app_requirements.py)
fi
.venv/bin/python -c "import mutmut" 2>/dev/null || .venv/bin/pip install -q -r tests/requirements-mutate.txt

status=0
summary=()
for app in $APPS; do
	case " $ALL " in *" $app "*) ;; *) echo "unknown app: $app" >&2; exit 2 ;; esac
	d=$WORK/$app
	rm -rf "$d"
	mkdir -p "$d/tests/unit" "$d/apps/omni_channel/omni_channel"
	for a in $ALL; do
		cp -r "apps/$a/$a" "$d/$a"
	done
	# fixtures the omni_channel tests find by their path in the repository
	cp -r apps/omni_channel/omni_channel/channels "$d/apps/omni_channel/omni_channel/"
	cp tests/__init__.py "$d/tests/"
	cp tests/unit/__init__.py "$d/tests/unit/"
	cp -r "tests/unit/$app" "$d/tests/unit/"
	find "$d" -name __pycache__ -prune -exec rm -rf {} +
	only="    $app/core/*"
	if [ "$app" = omni_channel ]; then
		only="$only
    $app/channels/*"
	fi
	if [ -n "${MUTATE_ONLY:-}" ]; then
		only=$(for g in $MUTATE_ONLY; do case $g in "$app"/*) printf '    %s\n' "$g" ;; esac; done)
		[ -n "$only" ] || continue
	fi
	others=$(for a in $ALL; do [ "$a" = "$app" ] || printf '    %s\n' "$a"; done)
	cat >"$d/setup.cfg" <<-EOF
		[mutmut]
		source_paths = $app
		only_mutate =
		$only
		also_copy =
		$others
		    apps
		pytest_add_cli_args_test_selection = tests/unit/$app
		pytest_add_cli_args = -p no:cacheprovider -q --hypothesis-seed=0
		use_git_change_detection = false
	EOF
	cat >"$d/pyproject.toml" <<-'EOF'
		[tool.pytest.ini_options]
		testpaths = ["tests/unit"]
		markers = ["bench: needs a real site", "slow: reads a large dataset"]
	EOF
	echo "== $app: mutating $app/core$([ "$app" = omni_channel ] && echo ' and omni_channel/channels') in $d"
	(cd "$d" && "$ROOT/.venv/bin/mutmut" run --max-children "$JOBS" >mutmut-run.log 2>&1) || {
		echo "mutmut failed for $app; see $d/mutmut-run.log" >&2
		tail -20 "$d/mutmut-run.log" >&2
		status=1
		continue
	}
	(cd "$d" && "$ROOT/.venv/bin/mutmut" export-cicd-stats >/dev/null 2>&1 || true)
	(cd "$d" && "$ROOT/.venv/bin/mutmut" results >mutmut-results.txt 2>&1 || true)
	line=$("$ROOT/.venv/bin/python" - "$d" "$app" "$MIN" <<-'PY'
		import json, sys
		from pathlib import Path
		d, app, minimum = Path(sys.argv[1]), sys.argv[2], float(sys.argv[3])
		s = json.loads((d / "mutants" / "mutmut-cicd-stats.json").read_text())
		# killed, plus timeouts and crashes (the mutant broke the run): caught; no_tests counts as survived
		caught = s["killed"] + s["timeout"] + s["segfault"] + s["suspicious"]
		total = caught + s["survived"] + s["no_tests"]
		score = 100.0 * caught / total if total else 100.0
		print(f"{app}: {score:.1f}% ({caught} of {total} mutants caught; {s['survived']} survived, {s['no_tests']} without a covering test)")
		sys.exit(0 if score >= minimum else 3)
	PY
	) || status=1
	summary+=("$line")
	echo "$line"
	echo "-- surviving mutants of $app (show one: cd $d && $ROOT/.venv/bin/mutmut show NAME):"
	grep -E ': (survived|no tests)' "$d/mutmut-results.txt" | sed 's/^ */   /' || echo "   none"
done

echo
echo "== mutation scores (minimum $MIN%)"
printf '%s\n' "${summary[@]}"
exit $status
