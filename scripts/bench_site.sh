#!/usr/bin/env bash
# Put this repository's four apps on a site of a Frappe v15 bench, with the demo data. Idempotent.
#   BENCH_DIR=<bench> SITE=<site> [ALLOW_TESTS=1] [SCHEDULER=1] scripts/bench_site.sh
# Links apps/<app> into the bench (when the bench is not this repository), installs them into the
# bench's env, creates the site if missing (MariaDB root password MARIADB_ROOT_PASSWORD, default
# root; Administrator password ADMIN_PASSWORD, default admin), installs ERPNext and the apps,
# migrates, and loads fixtures/demo. A site folder left by a failed run (no database, or Frappe
# never finished installing) is dropped and made again.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
BENCH=$(cd "${BENCH_DIR:?BENCH_DIR names the bench}" && pwd)
SITE=${SITE:-trade.localhost}
APPS="b2b_mall omni_channel wms_tms online_crm"
PY=$BENCH/env/bin/python
ROOTPW=${MARIADB_ROOT_PASSWORD:-root}
UV=${BENCH_TOOLS:-$HOME/.bench-cli}/bin/uv
bench() { (cd "$BENCH" && command bench "$@"); }
# long steps without their progress bars (one line per redraw in a log)
quiet() { "$@" 2>&1 | tr '\r' '\n' | awk '!/^(Updating DocTypes|Updating Dashboard|Syncing|Updating customizations)|^ *$/'; }

want=$(cat apps/*/pyproject.toml | sha1sum | cut -d' ' -f1)
stamp=$BENCH/env/.trade-suite-apps
for app in $APPS; do
	if [ "$BENCH" != "$REPO" ]; then
		target=$BENCH/apps/$app
		if [ -e "$target" ] && [ ! -L "$target" ]; then
			echo "$target exists and is not a link to this repository; remove it first" >&2
			exit 1
		fi
		ln -sfn "$REPO/apps/$app" "$target"
	fi
	if [ -d "$REPO/apps/$app/$app/public" ]; then
		mkdir -p "$BENCH/sites/assets"
		ln -sfn "$BENCH/apps/$app/$app/public" "$BENCH/sites/assets/$app"
	fi
	grep -qx "$app" "$BENCH/sites/apps.txt" || printf '\n%s' "$app" >>"$BENCH/sites/apps.txt"
done
sed -i '/^$/d' "$BENCH/sites/apps.txt"
# (re)install the apps into the env when their declared dependencies change, or the links moved
if [ "$(cat "$stamp" 2>/dev/null)" != "$want $REPO" ] || ! "$PY" -c "import b2b_mall, omni_channel, wms_tms, online_crm" 2>/dev/null; then
	args=()
	for app in $APPS; do args+=(-e "$BENCH/apps/$app"); done
	if [ -x "$UV" ]; then "$UV" pip install -q --python "$PY" "${args[@]}"; else "$PY" -m pip install -q "${args[@]}"; fi
	echo "$want $REPO" >"$stamp"
fi

# ok | missing | broken | error: is the site there, with Frappe fully installed in its database?
# broken (made again) only when nothing can be lost: its database does not exist, or Frappe never
# finished installing into it; a database that exists but refuses us is an error to look at.
site_state() {
	[ -d "$BENCH/sites/$SITE" ] || { echo missing; return; }
	local db
	db=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1])).get('db_name', ''))" "$BENCH/sites/$SITE/site_config.json" 2>/dev/null || true)
	if [ -z "$db" ] || [ "$(mariadb -h 127.0.0.1 -uroot -p"$ROOTPW" -N -e "select count(*) from information_schema.schemata where schema_name='$db'")" = 0 ]; then
		echo broken
		return
	fi
	(cd "$BENCH/sites" && "$PY" - "$SITE" <<'PY'
import sys
import frappe
try:
	frappe.init(site=sys.argv[1], sites_path=".")
	frappe.connect()
except Exception as e:
	print(f"site check: cannot open {sys.argv[1]}: {e}", file=sys.stderr)
	print("error")
else:
	try:
		print("ok" if "frappe" in frappe.get_installed_apps() else "broken")
	except Exception:  # no tables yet: Frappe's install stopped early
		print("broken")
PY
	) | tail -1
}

state=$(site_state)
if [ "$state" = error ]; then
	echo "site $SITE exists but its database refuses us (see above); fix site_config.json or remove sites/$SITE" >&2
	exit 1
fi
if [ "$state" = broken ]; then
	echo "site $SITE was left half-made by an earlier run: dropping it and making it again"
	bench drop-site "$SITE" --db-root-password "$ROOTPW" --no-backup --force || rm -rf "$BENCH/sites/$SITE"
	rm -rf "$BENCH/sites/$SITE"
	state=missing
fi
if [ "$state" = missing ]; then
	quiet bench new-site "$SITE" --db-root-password "$ROOTPW" --admin-password "${ADMIN_PASSWORD:-admin}"
fi
if [ "${ALLOW_TESTS:-0}" = 1 ]; then
	bench --site "$SITE" set-config allow_tests true >/dev/null
	# the tests make many logins an hour (buyers, drivers, desk users); Frappe refuses more than 60
	bench --site "$SITE" set-config --parse throttle_user_limit 100000 >/dev/null
fi
installed=$(bench --site "$SITE" list-apps 2>/dev/null | awk '{print $1}')
for app in erpnext $APPS; do
	if ! grep -qx "$app" <<<"$installed"; then
		quiet bench --site "$SITE" install-app "$app" --force # --force also completes a half-finished earlier install
	fi
done
# migrate and load the demo only when the apps, the demo data or the site changed since the last time
content=$( (cd "$REPO" && find $(printf 'apps/%s ' $APPS) fixtures -type f -not -path '*/__pycache__/*' -not -name '*.pyc' -print0 |
	sort -z | xargs -0 sha1sum; cat "$BENCH/apps/frappe/frappe/__init__.py" "$BENCH/apps/erpnext/erpnext/__init__.py") | sha1sum | cut -d' ' -f1)
done_stamp=$BENCH/sites/$SITE/.trade-suite-ready
if [ "$(cat "$done_stamp" 2>/dev/null)" != "$content" ] || [ "${FORCE_MIGRATE:-0}" = 1 ]; then
	quiet bench --site "$SITE" migrate
	if [ "${SCHEDULER:-0}" = 1 ]; then
		bench --site "$SITE" enable-scheduler >/dev/null
	fi
	"$PY" fixtures/demo/load.py --site "$SITE" --sites-path "$BENCH/sites" --demo
	echo "$content" >"$done_stamp"
else
	echo "site $SITE is up to date with these apps and the demo data"
fi
