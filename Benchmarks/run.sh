#!/usr/bin/env bash
# Builds Benchmarks/ (its own package, release) and runs aftercare-bench against this repository:
#   run.sh echo [options]      raw SwiftNIO vs Aftercare vs grpc-swift-2 over one Unix-socket connection
#   run.sh services [options]  each service's main mutating call vs the storage floor
#   run.sh sagas [options]     end-to-end sagas through the gateway's public API, the six
#                              release-built executables of this repository as processes
#                              (--database sqlite,postgresql: on SQLite, then on PostgreSQL)
#   run.sh load [options]      1,000 callers on one connection and on 64, a fragment attack and
#                              silent connections against one in-process server (memory, descriptors)
#   run.sh                     all four
# Prints markdown reports; options go to aftercare-bench (see `aftercare-bench <command> --help`).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# SwiftPM does not notice files added to the path dependency (`aftercare`, a symlink to the root)
# and would reuse a stale build plan: drop the plan so it is made again.
rm -f "$root/Benchmarks/.build/release.yaml"
swift build -c release --package-path "$root/Benchmarks" --product aftercare-bench >&2
bench="$root/Benchmarks/.build/release/aftercare-bench"
# The sagas run the main package's own executables, release-built through this package (a path
# dependency's products build here too), so they share its release build of every dependency
# instead of a second cold one in the root's .build/release.
build_services() {
    for service in orders payments logistics aftersales feedback gateway; do
        swift build -c release --package-path "$root/Benchmarks" --product "aftercare-$service" >&2
    done
}
binaries="$root/Benchmarks/.build/release"
if [ $# -eq 0 ]; then
    "$bench" echo "$root"
    echo
    "$bench" load "$root"
    echo
    "$bench" services "$root"
    echo
    build_services
    exec "$bench" sagas "$root" --binaries "$binaries"
fi
command="$1"
shift
if [ "$command" = sagas ]; then
    build_services
    exec "$bench" sagas "$root" --binaries "$binaries" "$@"
fi
exec "$bench" "$command" "$root" "$@"
