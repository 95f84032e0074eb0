#!/usr/bin/env bash
# Prints the bench the bench tests use, or nothing.
# FRAPPE_BENCH names it; by default the repository itself once `make run` has made it a bench,
# else $HOME/frappe-bench. A bench is a folder with apps/frappe and env/bin/python.
repo=$(cd "$(dirname "$0")/.." && pwd)
is_bench() { [ -d "$1/apps/frappe" ] && [ -x "$1/env/bin/python" ] && [ -d "$1/sites" ]; }
if [ -n "${FRAPPE_BENCH:-}" ]; then
	is_bench "$FRAPPE_BENCH" && (cd "$FRAPPE_BENCH" && pwd)
	exit 0
fi
for candidate in "$repo" "$HOME/frappe-bench"; do
	if is_bench "$candidate"; then
		(cd "$candidate" && pwd)
		exit 0
	fi
done
