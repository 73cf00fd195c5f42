#!/usr/bin/env bash
# Installs what a bare Debian machine with only Swift lacks, for `make run` or `make test`; as
# root it installs (apt-get, pip), otherwise it stops at once naming the command that would.
#
# Usage: scripts/install-deps.sh run|test
#   run   openssl (development certificates), SQLite's headers (GRDB links the system SQLite)
#   test  also protoc (the wire interop tests compile echo.proto), python3 with pip and the
#         protobuf package (the independent Python client), prometheus_client (its parser reads
#         the services' /metrics in the tests) and opentelemetry-proto (the OTLP receiver the trace
#         test runs), PostgreSQL (the services' SQL is checked on a throw-away server)
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
for_what="${1:?usage: install-deps.sh run|test}"

missing=()
command -v openssl >/dev/null || missing+=(openssl)
[ -f /usr/include/sqlite3.h ] || missing+=(libsqlite3-dev)
if [ "$for_what" = test ]; then
    command -v protoc >/dev/null || missing+=(protobuf-compiler)
    command -v python3 >/dev/null || missing+=(python3 python3-pip)
    python3 -m pip --version >/dev/null 2>&1 || missing+=(python3-pip)
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
fi

if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "install-deps: missing ${missing[*]}; install them with:" >&2
        echo "    sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
    echo "install-deps: installing ${missing[*]}"
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ "$for_what" = test ] && ! python3 -c 'import google.protobuf, prometheus_client, opentelemetry.proto' 2>/dev/null; then
    pip_install() { python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore "$@"; }
    echo "install-deps: installing the Python packages of Tests/Interop/requirements.txt"
    # Debian's own python3 refuses pip outside a virtual environment (PEP 668).
    pip_install -r Tests/Interop/requirements.txt 2>/dev/null || pip_install --break-system-packages -r Tests/Interop/requirements.txt
fi
