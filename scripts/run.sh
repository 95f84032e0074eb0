#!/usr/bin/env bash
# `make run`: everything needed to use the suite, from a machine with only the official sources.
#
#   system packages → bench (scripts/bench_setup.sh) → site with the four apps and the demo data
#   (scripts/bench_site.sh) → nginx, gunicorn, socketio, scheduler and workers (scripts/bench_start.sh),
#   URLs printed. Every step checks before it acts, so running it twice is safe and quick.
#
# BENCH_DIR   bench to use (default: this repository, which then becomes the bench; an existing
#             Frappe v15 bench elsewhere only gets the site, our apps and the demo data)
# SITE        site name (default trade.localhost)
# FRAPPE_SRC / ERPNEXT_SRC / GUNICORN_SRC / AIR_DATEPICKER_SRC  git URL, local directory or .tar.gz
#             (default: the official GitHub repositories; see scripts/bench_setup.sh)
# MARIADB_ROOT_PASSWORD (default root), ADMIN_PASSWORD (default admin), PORT (default: 8000, or the
# next free port for a new bench)
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
export BENCH_DIR=${BENCH_DIR:-$REPO}
export SITE=${SITE:-trade.localhost}
t0=$(date +%s)

scripts/bench_setup.sh
SCHEDULER=1 scripts/bench_site.sh
B=$(cd "$BENCH_DIR" && pwd)
scripts/bench_start.sh start "$B"
PORT=$(python3 -c "import json; print(json.load(open('$B/sites/common_site_config.json'))['webserver_port'])")
grep -q " $SITE\$" /etc/hosts 2>/dev/null || { [ -w /etc/hosts ] && echo "127.0.0.1 $SITE" >>/etc/hosts; } || true

cat <<MSG

Ready in $(($(date +%s) - t0)) s.
  Desk:    http://$SITE:$PORT/app        Administrator / ${ADMIN_PASSWORD:-admin}
  Portal:  http://$SITE:$PORT/login      buyer.gold@demo.local / Demo@2026  (then /mall, /orders)
  Driver:  http://$SITE:$PORT/driver     driver@demo.local / Demo@2026
  Webhook: POST http://$SITE:$PORT/api/method/omni_channel.api.webhooks.receive?shop=demo-shopify
  Logs:    $B/logs/        Stop: scripts/bench_start.sh stop $B
MSG
