#!/usr/bin/env bash
# The independent Python client (Tests/Interop, written from WIRE.md alone) against the Swift
# aftercare-echo server over a Unix socket with mutual TLS. Run by `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
server=.build/debug/aftercare-echo
[ -x "$server" ] || { echo "interop: build first ($server is missing)" >&2; exit 2; }
# AFTERCARE_RUN_DIR (as `make run` sets it) keeps certificates and socket in a run directory that
# stays; otherwise a temporary one is made and removed.
if [ -n "${AFTERCARE_RUN_DIR:-}" ]; then
    work="$AFTERCARE_RUN_DIR"; keep=yes
else
    work=$(mktemp -d /tmp/ac-interop-XXXXXX); keep=
fi
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
    [ -n "$keep" ] || rm -rf "$work"
}
trap cleanup EXIT
scripts/make-certs.sh "$work/certs" echo python-interop >/dev/null
"$server" --socket "$work/run/echo.sock" \
    --tls-cert "$work/certs/echo.pem" --tls-key "$work/certs/echo.key" --tls-ca "$work/certs/ca.pem" \
    --log-level warning &
pid=$!
for _ in $(seq 100); do [ -S "$work/run/echo.sock" ] && break; sleep 0.05; done
python3 Tests/Interop/interop_client.py --socket "$work/run/echo.sock" --ca "$work/certs/ca.pem" \
    --cert "$work/certs/python-interop.pem" --key "$work/certs/python-interop.key" \
    --server-name echo.aftercare.internal --proto-dir proto-spec
kill -TERM "$pid"
wait "$pid"
pid=
echo "interop: aftercare-echo drained and exited cleanly"
