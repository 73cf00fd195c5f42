#!/usr/bin/env bash
# Runs the Swift suites (`swift test --skip-build --parallel`, further arguments passed on) with
# line-buffered output and a time limit. A run that outlives the limit is a hang, not a slow
# machine (the whole suite takes 5-10 minutes on two cores): the script then writes every
# thread's backtrace of the test runner to .build/test-hang-backtraces.txt, kills the runner and
# the services it started, and ends its output with the tests that had started and not finished.
#
#   AFTERCARE_TEST_LIMIT_SECONDS   the limit (default 1800)
#   AFTERCARE_TEST_OUTPUT          where the run's output is kept (default .build/test-output.log)
set -uo pipefail
cd "$(dirname "$0")/.."

limit="${AFTERCARE_TEST_LIMIT_SECONDS:-1800}"
log="${AFTERCARE_TEST_OUTPUT:-.build/test-output.log}"
backtraces=.build/test-hang-backtraces.txt
mkdir -p .build
rm -f "$log" "$backtraces"

# Line-buffered, so a log cut short still ends where the run was. The subshell ends with swift's
# status once tee has written everything.
(
    stdbuf -oL -eL "${SWIFT:-swift}" test --skip-build --parallel "$@" 2>&1 | tee "$log"
    exit "${PIPESTATUS[0]}"
) &
pid=$!
deadline=$((SECONDS + limit))
while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
    sleep 2
done
if ! kill -0 "$pid" 2>/dev/null; then
    wait "$pid"
    exit $?
fi

echo
echo "swift test still runs after ${limit} s: a hang."
# The test runner is a descendant of this run's swift (another run on the machine is left alone).
descendants() {
    local child
    for child in $(pgrep -P "$1"); do
        echo "$child"
        descendants "$child"
    done
}
runner=$(for process in $(descendants "$pid"); do
    [[ "$(ps -o args= -p "$process")" == *PackageTests.xctest* ]] && echo "$process"
done | head -n 1)
if [[ -n "$runner" ]]; then
    if command -v gdb > /dev/null; then
        gdb -p "$runner" -batch -ex 'thread apply all bt' > "$backtraces" 2>&1 || true
        echo "Every thread of the test runner (pid $runner): $backtraces"
    fi
    echo "Processes the runner started, still running:"
    ps -o pid=,etimes=,args= --ppid "$runner" | cut -c1-200 || true
    pkill -KILL -P "$runner" || true
    kill -KILL "$runner" 2> /dev/null || true
    # The runner's throw-away PostgreSQL servers (TestPostgres), which its exit would have stopped.
    pkill -KILL -f "/tmp/ac-pg-$runner/" || true
    pkill -KILL -f "/tmp/ac-pgtls-$runner/" || true
fi
# A program a test started that outlived the runner (its parent is gone) keeps whatever it
# inherited open; name it too.
stray=$(pgrep -f "$PWD/\.build/|$PWD/scripts/.*\.py" || true)
if [[ -n "$stray" ]]; then
    echo "Programs of this repository still running:"
    ps -o pid=,ppid=,etimes=,args= -p "$(echo $stray | tr ' ' ',')" | cut -c1-200 || true
    kill -KILL $stray 2> /dev/null || true
fi
kill "$pid" 2> /dev/null || true
sleep 1
python3 - "$log" <<'EOF'
import collections, re, sys
# Counted, not collected: two suites may hold tests of the same name.
open_tests = collections.Counter()
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    if m := re.match(r'◇ Test "(.*)" started\.$', line.rstrip("\n")):
        open_tests[m.group(1)] += 1
    elif m := re.match(r'[✔✘] Test "(.*?)"( with \d+ test cases?)? (passed|failed) after', line):
        open_tests[m.group(1)] -= 1
unfinished = [name for name, count in open_tests.items() if count > 0]
print(f"Tests started and not finished ({len(unfinished)}):")
for name in unfinished:
    print(f"  {name}")
EOF
exit 124
