#!/usr/bin/env bash
# Run a bench the way a production bench runs: nginx in front (webserver_port), gunicorn with
# workers for the cores behind it, Frappe's socketio (realtime: the desk's updates and progress
# bars), the scheduler, and RQ workers for the short, default and long queues.
#   scripts/bench_start.sh start|stop|restart|status <bench>
# Ports come from the bench's sites/common_site_config.json (scripts/bench_setup.sh gives each bench
# its own). Processes are detached; their pids are in <bench>/config/pids, their logs in <bench>/logs.
set -euo pipefail
action=${1:-status}
B=$(cd "${2:-${BENCH_DIR:?name the bench}}" && pwd)
PIDS=$B/config/pids
mkdir -p "$PIDS" "$B/logs"
conf() { python3 -c "import json,sys; print(json.load(open('$B/sites/common_site_config.json')).get('$1') or '$2')"; }
WEB=$(conf webserver_port 8000)
SIO=$(conf socketio_port 9000)
GUN=$(conf gunicorn_port $((WEB + 10000)))
WORKERS=${WEB_WORKERS:-$(($(nproc) * 2 + 1))}

running() { [ -f "$PIDS/$1.pid" ] && kill -0 "$(cat "$PIDS/$1.pid")" 2>/dev/null; }
launch() { # name dir command...
	local name=$1 dir=$2
	shift 2
	running "$name" && return 0
	(
		cd "$dir" || exit 1
		setsid nohup "$@" >>"$B/logs/$name.log" 2>&1 </dev/null &
		echo $! >"$PIDS/$name.pid"
	)
}
halt() {
	local name=$1
	if running "$name"; then
		local pid
		pid=$(cat "$PIDS/$name.pid")
		kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
		for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
		kill -KILL -- "-$pid" 2>/dev/null || true
	fi
	rm -f "$PIDS/$name.pid"
}
# any answer from gunicorn through nginx (a site-less request answers 404; 502 means gunicorn is not up yet)
up() {
	local code
	code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$WEB/api/method/ping" || true)
	[ "$code" != 000 ] && [ "$code" != 502 ]
}

nginx_conf() {
	local user=""
	# nginx workers write large request bodies to its temp folders, which belong to this user
	[ "$(id -u)" = 0 ] && user="user $(id -un) $(id -gn);"
	cat >"$B/config/nginx.conf" <<EOF
$user
worker_processes 1;
pid $PIDS/nginx.pid;
error_log $B/logs/nginx-error.log warn;
daemon off;
events { worker_connections 1024; }
http {
	access_log off;
	client_max_body_size 50m;
	client_body_buffer_size 1m;
	client_body_temp_path $B/config/nginx-tmp/body;
	proxy_temp_path $B/config/nginx-tmp/proxy;
	fastcgi_temp_path $B/config/nginx-tmp/fastcgi;
	uwsgi_temp_path $B/config/nginx-tmp/uwsgi;
	scgi_temp_path $B/config/nginx-tmp/scgi;
	map \$http_upgrade \$connection_upgrade { default upgrade; '' close; }
	server {
		listen 127.0.0.1:$WEB;
		location /socket.io {
			proxy_http_version 1.1;
			proxy_set_header Upgrade \$http_upgrade;
			proxy_set_header Connection \$connection_upgrade;
			proxy_set_header X-Frappe-Site-Name \$host;
			proxy_set_header Origin \$scheme://\$http_host;
			proxy_set_header Host \$host;
			proxy_pass http://127.0.0.1:$SIO;
		}
		# marketplace webhooks: Frappe parses a JSON body before our code runs, so the cap is here
		location = /api/method/omni_channel.api.webhooks.receive {
			client_max_body_size 2m;
			proxy_set_header Host \$http_host;
			proxy_set_header X-Forwarded-For \$remote_addr;
			proxy_set_header X-Forwarded-Proto \$scheme;
			proxy_pass http://127.0.0.1:$GUN;
		}
		location / {
			proxy_set_header Host \$http_host;
			proxy_set_header X-Forwarded-For \$remote_addr;
			proxy_set_header X-Forwarded-Proto \$scheme;
			proxy_read_timeout 120;
			proxy_redirect off;
			proxy_pass http://127.0.0.1:$GUN;
		}
	}
}
EOF
	mkdir -p "$B/config/nginx-tmp"
}

start() {
	# gunicorn serves /assets and /files itself (application_with_statics), nginx adds socket.io
	launch web "$B/sites" "$B/env/bin/gunicorn" --bind "127.0.0.1:$GUN" --workers "$WORKERS" \
		--threads 4 --worker-class gthread --worker-tmp-dir /dev/shm --timeout 120 --graceful-timeout 30 \
		--preload "frappe.app:application_with_statics()"
	launch socketio "$B" node "$B/apps/frappe/socketio.js"
	nginx_conf
	launch nginx "$B" nginx -c "$B/config/nginx.conf" -p "$B/config"
	launch schedule "$B/sites" "$B/env/bin/python" -m frappe.utils.bench_helper frappe schedule
	launch worker "$B/sites" "$B/env/bin/python" -m frappe.utils.bench_helper frappe worker --queue short,default,long
	for _ in $(seq 90); do up && break; sleep 1; done
	up || {
		echo "the web server did not come up on port $WEB; see $B/logs/web.log" >&2
		tail -20 "$B/logs/web.log" >&2
		exit 1
	}
	echo "bench $B: web on port $WEB ($WORKERS gunicorn workers), socketio $SIO, scheduler, worker"
}
stop() { for name in nginx web socketio schedule worker; do halt $name; done; }

case $action in
start) start ;;
stop) stop ;;
restart)
	stop
	start
	;;
status)
	for name in nginx web socketio schedule worker; do
		running $name && echo "$name: up (pid $(cat "$PIDS/$name.pid"))" || echo "$name: down"
	done
	;;
*)
	echo "usage: $0 start|stop|restart|status <bench>" >&2
	exit 2
	;;
esac
