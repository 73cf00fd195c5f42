#!/usr/bin/env bash
# Run every Swift suite in one `swift test --parallel` run as `make unit-tests` does (at most 8
# tests at once, unless SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH says otherwise), N times
# in a row (through scripts/swift-test.sh, so a hang ends the run naming its tests), and stop at the
# first failure. It is how a stall that shows only under the whole suite's load is looked for:
# each run's start, end, duration and result go to LOG_DIR/summary, its output to LOG_DIR/run-K.log.
#
# Usage: scripts/repeat-tests.sh N LOG_DIR   (after `make build`)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:?usage: repeat-tests.sh N LOG_DIR}"
logs="${2:?usage: repeat-tests.sh N LOG_DIR}"
mkdir -p "$logs"
for ((k = 1; k <= runs; k++)); do
    start=$(date -u +%FT%TZ); began=$(date +%s)
    if SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH="${SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH:-8}" \
        scripts/swift-test.sh >"$logs/run-$k.log" 2>&1; then result=passed; else result=FAILED; fi
    echo "run $k: $start .. $(date -u +%FT%TZ) ($(($(date +%s) - began)) s) $result" | tee -a "$logs/summary"
    if [ "$result" = FAILED ]; then
        grep -E "✘|error:" "$logs/run-$k.log" | head -20 >&2
        exit 1
    fi
done
