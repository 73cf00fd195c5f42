#!/usr/bin/env bash
# Regenerates the committed Swift code of every .proto in proto-spec/ (`make proto`).
# Needs Debian's protoc and protoc-gen-swift built from our swift-protobuf dependency.
set -euo pipefail
cd "$(dirname "$0")/.."
plugin="${PROTOC_GEN_SWIFT:-.build/debug/protoc-gen-swift}"
[ -x "$plugin" ] || swift build --product protoc-gen-swift >/dev/null
# proto file → target that owns its generated code
generate() {
    local proto="$1" target="$2"
    protoc --plugin=protoc-gen-swift="$plugin" \
        --swift_opt=Visibility=Public --swift_opt=UseAccessLevelOnImports=true --swift_opt=FileNaming=DropPath \
        --swift_out="Sources/$target/Generated" -I proto-spec "proto-spec/$proto"
}
generate common.proto AftercareRPC
generate echo.proto AftercareEcho
