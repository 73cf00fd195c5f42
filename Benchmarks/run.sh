#!/usr/bin/env bash
# Builds Benchmarks/ (its own package, release) and runs aftercare-bench against this repository:
#   run.sh echo [options]      raw SwiftNIO vs Aftercare vs grpc-swift-2 over one Unix-socket connection
#   run.sh services [options]  each service's main mutating call vs the storage floor
#   run.sh                     both
# Prints markdown reports; options go to aftercare-bench (see `aftercare-bench <command> --help`).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# SwiftPM does not notice files added to the path dependency (`aftercare`, a symlink to the root)
# and would reuse a stale build plan: drop the plan so it is made again.
rm -f "$root/Benchmarks/.build/release.yaml"
swift build -c release --package-path "$root/Benchmarks" --product aftercare-bench >&2
bench="$root/Benchmarks/.build/release/aftercare-bench"
if [ $# -eq 0 ]; then
    "$bench" echo "$root"
    echo
    exec "$bench" services "$root"
fi
command="$1"
shift
exec "$bench" "$command" "$root" "$@"
