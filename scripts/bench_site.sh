#!/usr/bin/env bash
# Put this repository's four apps on a site of a Frappe v15 bench, with the demo data. Idempotent.
#   BENCH_DIR=<bench> SITE=<site> [ALLOW_TESTS=1] scripts/bench_site.sh
# Links apps/<app> into the bench (when the bench is not this repository), installs them into the
# bench's env, creates the site if missing (MariaDB root password MARIADB_ROOT_PASSWORD, default
# root; Administrator password ADMIN_PASSWORD, default admin), installs ERPNext and the apps,
# migrates, and loads fixtures/demo.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
BENCH=$(cd "${BENCH_DIR:?BENCH_DIR names the bench}" && pwd)
SITE=${SITE:-trade.localhost}
APPS="b2b_mall omni_channel wms_tms online_crm"
PY=$BENCH/env/bin/python
bench() { (cd "$BENCH" && command bench "$@"); }

for app in $APPS; do
	if [ "$BENCH" != "$REPO" ]; then
		target=$BENCH/apps/$app
		if [ -e "$target" ] && [ ! -L "$target" ]; then
			echo "$target exists and is not a link to this repository; remove it first" >&2
			exit 1
		fi
		ln -sfn "$REPO/apps/$app" "$target"
	fi
	"$PY" -m pip install -q -e "$BENCH/apps/$app" # again each time: picks up new dependencies
	grep -qx "$app" "$BENCH/sites/apps.txt" || printf '\n%s' "$app" >>"$BENCH/sites/apps.txt"
done
sed -i '/^$/d' "$BENCH/sites/apps.txt"

if [ ! -f "$BENCH/sites/$SITE/site_config.json" ]; then
	bench new-site "$SITE" --mariadb-root-password "${MARIADB_ROOT_PASSWORD:-root}" \
		--admin-password "${ADMIN_PASSWORD:-admin}"
fi
if [ "${ALLOW_TESTS:-0}" = 1 ]; then
	bench --site "$SITE" set-config allow_tests true >/dev/null
fi
installed=$(bench --site "$SITE" list-apps 2>/dev/null | awk '{print $1}')
for app in erpnext $APPS; do
	if ! grep -qx "$app" <<<"$installed"; then
		bench --site "$SITE" install-app "$app" --force # --force also completes a half-finished earlier install
	fi
done
bench --site "$SITE" migrate
"$PY" fixtures/demo/load.py --site "$SITE" --sites-path "$BENCH/sites"
