#!/usr/bin/env bash
# Start (or report) what a bench needs to run: MariaDB and the bench's Redis instances.
#   scripts/bench_services.sh start|status [BENCH_DIR]
#   scripts/bench_services.sh mariadb            (MariaDB only)
# Nothing here uses systemd: after a reboot nothing runs, so `make test` and `make run` call this first.
set -euo pipefail
action=${1:-status}
[ "$action" = mariadb ] || BENCH=$(cd "${2:-${BENCH_DIR:-.}}" && pwd)
config=${BENCH:+$BENCH/sites/common_site_config.json}

redis_ports() {
	python3 - "$config" <<'PY'
import json, sys, urllib.parse
conf = json.load(open(sys.argv[1]))
ports = {urllib.parse.urlparse(conf[k]).port for k in ("redis_cache", "redis_queue", "redis_socketio") if conf.get(k)}
print(" ".join(str(p) for p in sorted(ports)))
PY
}

mariadb_up() { mariadb-admin ping --silent >/dev/null 2>&1 || mysqladmin ping --silent >/dev/null 2>&1; }
redis_up() { redis-cli -p "$1" ping >/dev/null 2>&1; }

start_mariadb() {
	if ! mariadb_up; then
		mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
		(setsid mysqld_safe >/dev/null 2>&1 &)
		for _ in $(seq 60); do mariadb_up && break; sleep 1; done
		mariadb_up || { echo "MariaDB did not start" >&2; exit 1; }
	fi
}

case $action in
mariadb)
	start_mariadb
	;;
start)
	start_mariadb
	for port in $(redis_ports); do
		if ! redis_up "$port"; then
			mkdir -p "$BENCH/config" "$BENCH/logs"
			redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
				--dir "$BENCH/config" --logfile "$BENCH/logs/redis-$port.log" >/dev/null
			for _ in $(seq 20); do redis_up "$port" && break; sleep 0.5; done
		fi
	done
	;;
status)
	mariadb_up && echo "mariadb: up" || echo "mariadb: down"
	for port in $(redis_ports); do redis_up "$port" && echo "redis $port: up" || echo "redis $port: down"; done
	;;
*)
	echo "usage: $0 start|status [BENCH_DIR]" >&2
	exit 2
	;;
esac
