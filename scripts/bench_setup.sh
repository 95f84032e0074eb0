#!/usr/bin/env bash
# Build (or check) a Frappe v15 + ERPNext v15 bench. Shared by `make run` and `make test`; every
# step checks before it acts, so a second run on a working bench only looks.
#
#   BENCH_DIR=<folder> scripts/bench_setup.sh
#
# System packages (Debian): MariaDB, Redis, nginx, Node tools; MariaDB root password checked the way
# Frappe connects (TCP to 127.0.0.1); the bench CLI (PyPI: frappe-bench); Frappe and ERPNext sources;
# the bench's Python env and node modules; common_site_config.json with this bench's own Redis,
# web and socketio ports; the built assets.
#
# FRAPPE_SRC / ERPNEXT_SRC             git URL, local directory or .tar.gz (default: the official
#                                      GitHub repositories, branch FRAPPE_BRANCH / ERPNEXT_BRANCH)
# GUNICORN_SRC / AIR_DATEPICKER_SRC    Frappe's two GitHub-only dependencies, same forms (default:
#                                      what Frappe's pyproject.toml and package.json name)
# MARIADB_ROOT_PASSWORD (default root), PORT (web port of a new bench; default: first free from 8000)
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
B=${BENCH_DIR:?BENCH_DIR names the bench folder}
mkdir -p "$B"
B=$(cd "$B" && pwd)
export MARIADB_ROOT_PASSWORD=${MARIADB_ROOT_PASSWORD:-root}
FRAPPE_SRC=${FRAPPE_SRC:-https://github.com/frappe/frappe}
ERPNEXT_SRC=${ERPNEXT_SRC:-https://github.com/frappe/erpnext}
FRAPPE_BRANCH=${FRAPPE_BRANCH:-version-15}
ERPNEXT_BRANCH=${ERPNEXT_BRANCH:-version-15}
step() { printf '\n== %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
t0=$(date +%s)

step "system packages (MariaDB, Redis, nginx, Node tools)"
need=()
command -v mariadbd >/dev/null || need+=(mariadb-server mariadb-client)
command -v redis-server >/dev/null || need+=(redis-server)
command -v nginx >/dev/null || need+=(nginx)
command -v pkg-config >/dev/null || need+=(pkg-config)
command -v git >/dev/null || need+=(git)
command -v curl >/dev/null || need+=(curl)
command -v wkhtmltopdf >/dev/null || need+=(wkhtmltopdf) # Frappe's PDF print (invoices, statements)
command -v node >/dev/null || need+=(nodejs npm)
if [ ${#need[@]} -gt 0 ]; then
	as_root apt-get update -q
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"
fi
command -v yarn >/dev/null || as_root npm install -g -q yarn@1

step "MariaDB for Frappe (utf8mb4), root password over TCP"
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
scripts/bench_services.sh mariadb
tcp_ok() { mariadb -h 127.0.0.1 -P 3306 -uroot -p"$MARIADB_ROOT_PASSWORD" -e "select 1" >/dev/null 2>&1; }
if ! tcp_ok; then
	# Debian's root@localhost is unix_socket only: Frappe (TCP) is refused until a password is set.
	# The socket stays open to the OS root as well.
	as_root mariadb -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('$MARIADB_ROOT_PASSWORD') OR unix_socket; FLUSH PRIVILEGES;" ||
		true
	tcp_ok || {
		echo "MariaDB refuses root over TCP with MARIADB_ROOT_PASSWORD; set it to the server's root password" >&2
		exit 1
	}
fi

step "bench CLI (PyPI: frappe-bench) and uv"
TOOLS=${BENCH_TOOLS:-$HOME/.bench-cli}
if [ ! -x "$TOOLS/bin/bench" ] || [ ! -x "$TOOLS/bin/uv" ]; then
	python3 -m venv "$TOOLS"
	"$TOOLS/bin/pip" install -q frappe-bench uv
fi
command -v bench >/dev/null || as_root ln -sf "$TOOLS/bin/bench" /usr/local/bin/bench
UV=$TOOLS/bin/uv

# get_src SRC BRANCH DEST: a .tar.gz (one top folder), a local directory, or a git URL.
get_src() {
	local src=$1 branch=$2 dest=$3
	mkdir -p "$dest"
	case $src in
	*.tar.gz | *.tgz) tar xzf "$src" -C "$dest" --strip-components=1 ;;
	*)
		if [ -d "$src" ]; then
			cp -a "$src/." "$dest/"
		else
			rmdir "$dest"
			git clone -q --depth 1 ${branch:+-b "$branch"} "$src" "$dest"
		fi
		;;
	esac
	if [ ! -d "$dest/.git" ]; then # Frappe asks git for versions and branches
		git -C "$dest" init -q && git -C "$dest" add -A &&
			git -C "$dest" -c user.email=bench@localhost -c user.name=bench commit -qm "source snapshot" --no-verify
	fi
}

mkdir -p "$B/apps" "$B/sites" "$B/config/pids" "$B/logs" "$B/config/src"
if [ ! -f "$B/apps/frappe/pyproject.toml" ]; then
	step "Frappe v15 from $FRAPPE_SRC"
	rm -rf "$B/apps/frappe"
	get_src "$FRAPPE_SRC" "$FRAPPE_BRANCH" "$B/apps/frappe"
	if [ -n "${GUNICORN_SRC:-}" ]; then
		rm -rf "$B/config/src/gunicorn"
		get_src "$GUNICORN_SRC" "" "$B/config/src/gunicorn"
		sed -i -E "s#\"gunicorn @ git\+https://github.com/frappe/gunicorn@[0-9a-f]+\"#\"gunicorn @ file://$B/config/src/gunicorn\"#" "$B/apps/frappe/pyproject.toml"
	fi
	if [ -n "${AIR_DATEPICKER_SRC:-}" ]; then
		rm -rf "$B/config/src/air-datepicker"
		get_src "$AIR_DATEPICKER_SRC" "" "$B/config/src/air-datepicker"
		sed -i "s#\"air-datepicker\": \"github:frappe/air-datepicker\"#\"air-datepicker\": \"file:$B/config/src/air-datepicker\"#" "$B/apps/frappe/package.json"
	fi
fi
if [ ! -f "$B/apps/erpnext/pyproject.toml" ]; then
	step "ERPNext v15 from $ERPNEXT_SRC"
	rm -rf "$B/apps/erpnext"
	get_src "$ERPNEXT_SRC" "$ERPNEXT_BRANCH" "$B/apps/erpnext"
fi

step "Python env"
[ -x "$B/env/bin/python" ] || python3 -m venv "$B/env"
if ! "$B/env/bin/python" -c "import frappe, erpnext" 2>/dev/null; then
	"$UV" pip install -q --python "$B/env/bin/python" pip wheel -e "$B/apps/frappe" -e "$B/apps/erpnext"
fi

step "node modules"
for app in frappe erpnext; do
	if [ -f "$B/apps/$app/package.json" ] && [ ! -f "$B/apps/$app/node_modules/.yarn-integrity" ]; then
		(cd "$B/apps/$app" && yarn install --non-interactive --silent --network-timeout 600000)
	fi
done

step "bench configuration (own Redis, web and socketio ports)"
[ -f "$B/sites/apps.txt" ] || printf 'frappe\nerpnext\n' >"$B/sites/apps.txt"
if [ ! -f "$B/sites/common_site_config.json" ]; then
	python3 - "$B" "${PORT:-}" <<'PY'
import hashlib, json, socket, sys, glob, os

bench, want_port = sys.argv[1], sys.argv[2]

def free(port):
	with socket.socket() as s:
		try:
			s.bind(("127.0.0.1", port))
			return True
		except OSError:
			return False

# Ports other benches on this machine already claim (their processes may be down right now).
taken = set()
for conf in glob.glob(os.path.expanduser("~/**/sites/common_site_config.json"), recursive=True) + glob.glob(
	"/work/**/sites/common_site_config.json", recursive=True
):
	try:
		c = json.load(open(conf))
	except Exception:
		continue
	for key in ("redis_cache", "redis_queue", "redis_socketio"):
		if c.get(key):
			taken.add(int(c[key].rsplit(":", 1)[1]))
	for key in ("webserver_port", "socketio_port", "gunicorn_port"):
		if c.get(key):
			taken.add(int(c[key]))

def pick(start, step=1, n=2):
	p = start
	while not all(free(p + i) and p + i not in taken for i in range(n)):
		p += step
	taken.update(range(p, p + n))
	return p

h = int(hashlib.sha1(bench.encode()).hexdigest(), 16)
redis = pick(11000 + (h % 300) * 10, 10)
web = int(want_port) if want_port else pick(8000, 1, 1)
taken.add(web)
sio = pick(9000, 1, 1)
gun = pick(web + 10000, 1, 1)
conf = {
	"background_workers": 1,
	"db_host": "127.0.0.1",
	"frappe_user": os.environ.get("USER") or "root",
	"live_reload": False,
	"redis_cache": f"redis://127.0.0.1:{redis}",
	"redis_queue": f"redis://127.0.0.1:{redis + 1}",
	"redis_socketio": f"redis://127.0.0.1:{redis + 1}",
	"serve_default_site": True,
	"socketio_port": sio,
	"webserver_port": web,
	"gunicorn_port": gun,
}
json.dump(conf, open(f"{bench}/sites/common_site_config.json", "w"), indent=1)
print(f"redis {redis}/{redis + 1}, web {web}, socketio {sio}, gunicorn {gun}")
PY
fi
scripts/bench_services.sh start "$B"

if [ ! -f "$B/sites/assets/frappe/dist/.built" ]; then
	step "assets (esbuild; the download of prebuilt assets fails offline, then they are built here)"
	(cd "$B" && bench build) && touch "$B/sites/assets/frappe/dist/.built"
fi
echo "bench ready: $B ($(($(date +%s) - t0)) s)"
