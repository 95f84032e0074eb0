#!/usr/bin/env bash
# `make run`: everything needed to use the suite, from a machine with only the official sources.
#
#   MariaDB + Redis (Debian) → bench CLI (PyPI) → Frappe v15 + ERPNext v15 → site with the four apps
#   and the demo data → started in the background, URLs printed. Every step checks before it acts,
#   so running it twice is safe.
#
# BENCH_DIR   bench to use (default: this repository, which then becomes the bench; an existing
#             Frappe v15 bench elsewhere only gets the site, our apps and the demo data)
# SITE        site name (default trade.localhost)
# FRAPPE_SRC / ERPNEXT_SRC       git URL or local path (default: the official GitHub repositories)
# FRAPPE_BRANCH / ERPNEXT_BRANCH (default version-15)
# GUNICORN_SRC / AIR_DATEPICKER_SRC  local checkouts of Frappe's two GitHub-only dependencies (offline)
# MARIADB_ROOT_PASSWORD (default root), ADMIN_PASSWORD (default admin), PORT (default 8000)
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
export BENCH_DIR=${BENCH_DIR:-$REPO}
export SITE=${SITE:-trade.localhost}
export MARIADB_ROOT_PASSWORD=${MARIADB_ROOT_PASSWORD:-root}
FRAPPE_SRC=${FRAPPE_SRC:-https://github.com/frappe/frappe}
ERPNEXT_SRC=${ERPNEXT_SRC:-https://github.com/frappe/erpnext}
FRAPPE_BRANCH=${FRAPPE_BRANCH:-version-15}
ERPNEXT_BRANCH=${ERPNEXT_BRANCH:-version-15}
PORT=${PORT:-8000}
step() { printf '\n== %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

step "system packages (MariaDB, Redis, Node tools)"
need=()
command -v mariadbd >/dev/null || need+=(mariadb-server mariadb-client)
command -v redis-server >/dev/null || need+=(redis-server)
command -v pkg-config >/dev/null || need+=(pkg-config)
command -v git >/dev/null || need+=(git)
command -v node >/dev/null || need+=(nodejs npm)
if [ ${#need[@]} -gt 0 ]; then
	as_root apt-get update -q
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"
fi
command -v yarn >/dev/null || as_root npm install -g yarn

step "MariaDB for Frappe (utf8mb4), root password"
cnf=/etc/mysql/mariadb.conf.d/99-frappe.cnf
if [ ! -f $cnf ]; then
	as_root tee $cnf >/dev/null <<'EOF'
[mysqld]
character-set-client-handshake = FALSE
character-set-server = utf8mb4
collation-server = utf8mb4_unicode_ci
innodb-file-per-table = 1
max_allowed_packet = 256M

[mysql]
default-character-set = utf8mb4
EOF
fi
if ! mariadb-admin ping --silent >/dev/null 2>&1; then
	as_root mkdir -p /run/mysqld && as_root chown mysql:mysql /run/mysqld
	(as_root mysqld_safe >/dev/null 2>&1 &)
	for _ in $(seq 60); do mariadb-admin ping --silent >/dev/null 2>&1 && break; sleep 1; done
fi
if ! mariadb -uroot -p"$MARIADB_ROOT_PASSWORD" -e "select 1" >/dev/null 2>&1; then
	as_root mariadb -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('$MARIADB_ROOT_PASSWORD'); FLUSH PRIVILEGES;"
fi

step "bench CLI (PyPI: frappe-bench)"
if ! command -v bench >/dev/null; then
	python3 -m venv "$HOME/.bench-cli"
	"$HOME/.bench-cli/bin/pip" install -q frappe-bench
	as_root ln -sf "$HOME/.bench-cli/bin/bench" /usr/local/bin/bench
fi

B=$BENCH_DIR
if [ ! -d "$B/apps/frappe" ]; then
	step "Frappe v15 and ERPNext v15 into $B"
	mkdir -p "$B/apps" "$B/sites" "$B/config/pids" "$B/logs"
	git clone --depth 1 -b "$FRAPPE_BRANCH" "$FRAPPE_SRC" "$B/apps/frappe"
	[ -d "$B/apps/erpnext" ] || git clone --depth 1 -b "$ERPNEXT_BRANCH" "$ERPNEXT_SRC" "$B/apps/erpnext"
	if [ -n "${GUNICORN_SRC:-}" ]; then
		sed -i -E "s#\"gunicorn @ git\+https://github.com/frappe/gunicorn@[0-9a-f]+\"#\"gunicorn @ file://$(cd "$GUNICORN_SRC" && pwd)\"#" "$B/apps/frappe/pyproject.toml"
	fi
	if [ -n "${AIR_DATEPICKER_SRC:-}" ]; then
		sed -i "s#\"air-datepicker\": \"github:frappe/air-datepicker\"#\"air-datepicker\": \"file:$(cd "$AIR_DATEPICKER_SRC" && pwd)\"#" "$B/apps/frappe/package.json"
	fi
fi
if [ ! -x "$B/env/bin/python" ]; then
	python3 -m venv "$B/env"
	"$B/env/bin/pip" install -q -U pip wheel
fi
if ! "$B/env/bin/python" -c "import frappe, erpnext" 2>/dev/null; then
	"$B/env/bin/pip" install -q -e "$B/apps/frappe" -e "$B/apps/erpnext"
fi
for app in frappe erpnext; do
	[ -d "$B/apps/$app/node_modules" ] || (cd "$B/apps/$app" && yarn install --non-interactive)
done
if [ ! -f "$B/sites/common_site_config.json" ]; then
	cat >"$B/sites/common_site_config.json" <<EOF
{
 "background_workers": 1,
 "db_host": "127.0.0.1",
 "frappe_user": "$(id -un)",
 "live_reload": false,
 "redis_cache": "redis://127.0.0.1:13000",
 "redis_queue": "redis://127.0.0.1:11000",
 "redis_socketio": "redis://127.0.0.1:11000",
 "serve_default_site": true,
 "socketio_port": 9000,
 "webserver_port": $PORT
}
EOF
fi
[ -f "$B/sites/apps.txt" ] || printf 'frappe\nerpnext\n' >"$B/sites/apps.txt"

step "services"
scripts/bench_services.sh start "$B"

step "site $SITE with the four apps and the demo data"
scripts/bench_site.sh

if [ ! -d "$B/sites/assets/frappe/dist" ]; then
	step "assets"
	(cd "$B" && bench build)
fi

step "start"
bench_py=$B/env/bin/python
frappe_cmd() { (cd "$B/sites" && nohup "$bench_py" -m frappe.utils.bench_helper frappe "$@" >>"$B/logs/$1.log" 2>&1 &); }
up() { curl -fs -o /dev/null "http://127.0.0.1:$PORT/api/method/ping" -H "Host: $SITE"; }
if ! up; then
	frappe_cmd serve --port "$PORT" --noreload
	frappe_cmd worker
	frappe_cmd schedule
	for _ in $(seq 60); do up && break; sleep 1; done
	up || { echo "the web server did not come up; see $B/logs/serve.log" >&2; exit 1; }
fi
grep -q "$SITE" /etc/hosts || as_root sh -c "echo '127.0.0.1 $SITE' >> /etc/hosts" || true

cat <<EOF

Ready.
  Desk:    http://$SITE:$PORT/app        Administrator / ${ADMIN_PASSWORD:-admin}
  Portal:  http://$SITE:$PORT/login      buyer.gold@demo.local / Demo@2026  (then /orders)
  Driver:  driver@demo.local / Demo@2026
  Webhook: POST http://$SITE:$PORT/api/method/omni_channel.api.webhooks.receive?shop=demo-shopify
  Logs:    $B/logs/
EOF
