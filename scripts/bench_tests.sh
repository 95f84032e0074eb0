#!/usr/bin/env bash
# Bench and browser tests: the current apps on the bench's test site, the bench's services running
# as in production, then tests/bench and tests/browser with the bench's Python.
#   scripts/bench_tests.sh <bench> [pytest args…]      (TESTS="tests/browser/test_x.py" runs only those)
# BENCH_SITE (default test.localhost) is created with allow_tests when missing. The browser tests
# drive Debian's chromium through Playwright for Python; both are installed here when missing.
# Screenshots of failing pages go to tests/browser/screenshots/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
BENCH=$(cd "$1" && pwd)
SITE=${BENCH_SITE:-test.localhost}
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

scripts/bench_services.sh start "$BENCH"
BENCH_DIR=$BENCH SITE=$SITE ALLOW_TESTS=1 scripts/bench_site.sh

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -d /usr/share/fonts/opentype/noto ] || need+=(fonts-noto-cjk) # Chinese text in screenshots
if [ ${#need[@]} -gt 0 ]; then
	as_root apt-get update -q
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"
fi
if ! "$BENCH/env/bin/python" -c "import pytest, factory, hypothesis, playwright" 2>/dev/null; then
	UV=${BENCH_TOOLS:-$HOME/.bench-cli}/bin/uv
	if [ -x "$UV" ]; then
		"$UV" pip install -q --python "$BENCH/env/bin/python" -r tests/requirements.txt -r tests/browser/requirements.txt
	else
		"$BENCH/env/bin/python" -m pip install -q -r tests/requirements.txt -r tests/browser/requirements.txt
	fi
fi

# scripts (send_webhook.py) reach the site by name, as the README's walk-through does
grep -q " $SITE\$" /etc/hosts 2>/dev/null || { [ -w /etc/hosts ] && echo "127.0.0.1 $SITE" >>/etc/hosts; } || true

# the web server, workers and scheduler must run this checkout's code
scripts/bench_start.sh restart "$BENCH"

rm -rf tests/browser/screenshots
echo "== bench and browser tests on $SITE ($BENCH)"
cd "$REPO"
BENCH_SITE=$SITE "$BENCH/env/bin/python" -m pytest ${TESTS:-tests/bench tests/browser} -q -p no:cacheprovider \
	-p tests.strict_skips -o pythonpath=. --durations=30 "${@:2}"
