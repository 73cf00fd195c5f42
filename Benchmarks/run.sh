#!/usr/bin/env bash
# Builds Benchmarks/ (its own package, release) and runs aftercare-bench against this repository:
# raw SwiftNIO vs Aftercare vs grpc-swift-2 over one Unix-socket connection, plaintext and mutual
# TLS. Prints a markdown report; extra arguments go to aftercare-bench (see --help).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
swift build -c release --package-path "$root/Benchmarks" --product aftercare-bench >&2
exec "$root/Benchmarks/.build/release/aftercare-bench" "$root" "$@"
