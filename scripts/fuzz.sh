#!/usr/bin/env bash
# Builds the libFuzzer target (FuzzTesting/) and runs it for a bounded number of executions,
# seeded with the wire test vectors and the committed corpus (Tests/FuzzRegressions/corpus/), then
# merges into that corpus the inputs that reach code it did not (-merge=1: a minimal set, which
# FuzzRegressionTests replays). Crashes land in Tests/FuzzRegressions/ as crash-<hash>;
# minimise one with:  FuzzTesting/.build/release/AftercareWireFuzzer -minimize_crash=1 -runs=100000 FILE
# Usage: scripts/fuzz.sh [RUNS] [MAX_SECONDS]   (default 3,000,000 runs, at most 600 s)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3000000}"
seconds="${2:-600}"
(cd FuzzTesting && swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)
fuzzer=FuzzTesting/.build/release/AftercareWireFuzzer
corpus=$(mktemp -d /tmp/ac-fuzz-XXXXXX)
trap 'rm -rf "$corpus"' EXIT
# Seeds: every vector as a client-side input (mode 0) and as a server-side input after the
# preface (mode 3).
python3 - "$corpus" proto-spec/vectors/*.hex <<'PY'
import os, re, sys
corpus = sys.argv[1]
for path in sys.argv[2:]:
    text = "".join(line.split("#", 1)[0] for line in open(path))
    data = bytes.fromhex(re.sub(r"\s+", "", text))
    name = os.path.basename(path)[:-4]
    open(os.path.join(corpus, name + "-client"), "wb").write(b"\x00" + data)
    open(os.path.join(corpus, name + "-server"), "wb").write(b"\x03" + data)
PY
mkdir -p Tests/FuzzRegressions/corpus
cp Tests/FuzzRegressions/corpus/* "$corpus"/ 2>/dev/null || true
log=$(mktemp /tmp/ac-fuzz-log-XXXXXX)
status=0
"$fuzzer" -runs="$runs" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 \
    -artifact_prefix=Tests/FuzzRegressions/ "$corpus" 2>&1 | tee "$log" | grep -E "^#[0-9]+ +(DONE|pulse)|Done|ERROR|SUMMARY|stat::number_of_executed_units" || true
grep -q "ERROR: libFuzzer\|SUMMARY: AddressSanitizer\|==ERROR" "$log" && status=1
executed=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
crashes=$(ls Tests/FuzzRegressions/ | grep -c -E '^(crash|leak|timeout|oom)-' || true)
if [ $status -eq 0 ]; then
    "$fuzzer" -merge=1 -max_len=4096 Tests/FuzzRegressions/corpus "$corpus" >/dev/null 2>&1
fi
echo "fuzz: $executed executions, $crashes crash inputs in Tests/FuzzRegressions, $(ls Tests/FuzzRegressions/corpus | wc -l) inputs in its corpus"
rm -f "$log"
exit $status
