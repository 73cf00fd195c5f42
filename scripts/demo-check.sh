#!/usr/bin/env bash
# `make run`'s scenario as a test (`make demo-test`, part of `make test`): starts the six services
# from the debug build in a fresh run directory, runs the six scenarios of aftercare-demo, then
# checks from `aftercare … --json` what each must show (scripts/check-demo.py); stops everything,
# whatever happened.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="$(mktemp -d /tmp/afc-demo.XXXXXX)"
stop() {
    scripts/services.sh stop "$dir" >/dev/null || true
    if [ "${keep:-}" != 1 ]; then rm -rf "$dir"; fi
}
trap stop EXIT
scripts/services.sh start "$dir" >/dev/null
if ! .build/debug/aftercare-demo --run-dir "$dir" --report "$dir/demo.json" >"$dir/demo.log" 2>&1; then
    keep=1
    tail -n 60 "$dir/demo.log" >&2
    echo "demo-check: aftercare-demo failed; its output and the services' logs are in $dir" >&2
    exit 1
fi
if ! python3 scripts/check-demo.py "$dir"; then
    keep=1
    echo "demo-check: the traces do not show what they must; the run is kept in $dir" >&2
    exit 1
fi
