#!/usr/bin/env bash
# Start, stop or list the Aftercare services of this checkout, each on its Unix socket with mutual
# TLS and its own SQLite database, in a short run directory (`make run`, `make stop`).
#
# Usage: scripts/services.sh start|stop|status RUN_DIR [SERVICE ...]
#   start   makes development certificates if missing, starts each service (default: every service
#           built so far) in test mode, and waits until each one's socket answers
#   stop    SIGTERM to each service (they drain and remove their sockets), then waits for them
#   status  which services run, with pid, socket and database
#
# Layout of RUN_DIR: certs/ (CA and certificates), run/<service>.sock, data/<service>.sqlite,
# log/<service>.log, pid/<service>.pid.
#
# With AFTERCARE_METRICS_PORT=<port> (`make run` sets 9464), each service serves Prometheus metrics
# on 127.0.0.1 from that port on, in the order orders, payments, logistics, aftersales, feedback,
# gateway (9464 to 9469); unset, none does.
set -euo pipefail
cd "$(dirname "$0")/.."
action="${1:?usage: services.sh start|stop|status RUN_DIR [SERVICE ...]}"
dir="${2:?usage: services.sh start|stop|status RUN_DIR [SERVICE ...]}"
shift 2
services=("$@")
bin=.build/debug
all_services=(orders payments logistics aftersales feedback gateway)
[ ${#services[@]} -gt 0 ] || services=("${all_services[@]}")

# The metrics port of service $1 ("" when metrics are off).
metrics_port() {
    [ -n "${AFTERCARE_METRICS_PORT:-}" ] || return 0
    local i
    for i in "${!all_services[@]}"; do
        if [ "${all_services[$i]}" = "$1" ]; then echo $((AFTERCARE_METRICS_PORT + i)); fi
    done
}

running() { [ -f "$dir/pid/$1.pid" ] && kill -0 "$(cat "$dir/pid/$1.pid")" 2>/dev/null; }

start() {
    # Databases, logs and pid files are for this user and group only.
    umask 0007
    scripts/make-certs.sh "$dir/certs" >/dev/null
    mkdir -p "$dir/data" "$dir/log" "$dir/pid"
    chmod -R o-rwx "$dir/data" "$dir/log" "$dir/pid"
    for service in "${services[@]}"; do
        if running "$service"; then echo "aftercare-$service already runs (pid $(cat "$dir/pid/$service.pid"))"; continue; fi
        [ -x "$bin/aftercare-$service" ] || { echo "services: $bin/aftercare-$service is not built (make build)" >&2; exit 2; }
        extra=()
        # Closed by default: the domain services admit the gateway; in test mode the Operator
        # methods (clock, faults, crash points) also admit the CLI's certificate, which the demo
        # uses. The gateway admits its public API by role (gateway.roles).
        operators="name:gateway.aftercare.internal,name:cli.aftercare.internal"
        if [ "$service" = gateway ]; then
            operators="name:cli.aftercare.internal"
            for peer in orders payments logistics aftersales feedback; do extra+=(--gateway-peers-$peer "unix:$dir/run/$peer.sock"); done
        else
            extra+=(--access-callers name:gateway.aftercare.internal)
        fi
        # Feedback follows aftersales' feed with its own certificate: aftersales admits it to that
        # method alone (beside the gateway, which follows every feed).
        [ "$service" = aftersales ] &&
            extra+=(--access-methods "aftercare.common.v1.Feed/FollowEvents=name:gateway.aftercare.internal,name:feedback.aftercare.internal")
        [ "$service" = feedback ] && extra+=(--feedback-peers-aftersales "unix:$dir/run/aftersales.sock")
        for method in AdvanceClock GetClock SetFaults ArmCrashPoint; do
            extra+=(--access-methods "aftercare.common.v1.Operator/$method=$operators")
        done
        # The demo's declined refund (scenario 3): the first refund of a charge for an amount ending
        # in 98 is declined by the simulated provider, a retry is paid.
        [ "$service" = payments ] && extra+=(--payments-simulator-decline-first-refund-ending-in 98)
        port=$(metrics_port "$service")
        [ -n "$port" ] && extra+=(--metrics-listen "127.0.0.1:$port")
        "$bin/aftercare-$service" "${extra[@]}" \
            --listen-socket "$dir/run/$service.sock" --database-path "$dir/data/$service.sqlite" \
            --tls-cert "$dir/certs/$service.pem" --tls-key "$dir/certs/$service.key" --tls-ca "$dir/certs/ca.pem" \
            --test-mode true --log-level "${AFTERCARE_LOG_LEVEL:-info}" \
            >>"$dir/log/$service.log" 2>&1 &
        echo $! >"$dir/pid/$service.pid"
    done
    for service in "${services[@]}"; do
        pid=$(cat "$dir/pid/$service.pid")
        sock="$dir/run/$service.sock"
        # Started when its own socket is up (newer than its pid file: not one a killed run left) and
        # it still runs.
        for _ in $(seq 200); do
            { [ -S "$sock" ] && [ "$sock" -nt "$dir/pid/$service.pid" ]; } && break
            running "$service" || break
            sleep 0.05
        done
        if ! running "$service"; then
            status=0
            wait "$pid" 2>/dev/null || status=$?
            echo "services: aftercare-$service (pid $pid) exited during start with status $status; its log:" >&2
            tail -n 20 "$dir/log/$service.log" >&2
            exit 1
        fi
        if ! [ -S "$sock" ] || ! [ "$sock" -nt "$dir/pid/$service.pid" ]; then
            echo "services: aftercare-$service (pid $pid) did not open $sock within 10 s; its log:" >&2
            tail -n 20 "$dir/log/$service.log" >&2
            exit 1
        fi
        port=$(metrics_port "$service")
        echo "aftercare-$service: pid $pid, $sock, $dir/data/$service.sqlite${port:+, metrics http://127.0.0.1:$port/metrics}"
    done
}

stop() {
    for service in "${services[@]}"; do
        running "$service" || { rm -f "$dir/pid/$service.pid"; continue; }
        pid=$(cat "$dir/pid/$service.pid")
        kill -TERM "$pid"
        for _ in $(seq 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
        if kill -0 "$pid" 2>/dev/null; then echo "aftercare-$service (pid $pid) did not stop within 30 s" >&2; exit 1; fi
        rm -f "$dir/pid/$service.pid"
        echo "aftercare-$service stopped"
    done
}

status() {
    for service in "${services[@]}"; do
        if running "$service"; then
            echo "aftercare-$service: running, pid $(cat "$dir/pid/$service.pid"), $dir/run/$service.sock"
        else
            echo "aftercare-$service: stopped"
        fi
    done
}

"$action"
