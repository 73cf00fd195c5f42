#!/usr/bin/env bash
# Regenerates the committed Swift code of every .proto in proto-spec/ and of aftersales' stored
# records (`make proto`).
# Needs Debian's protoc and protoc-gen-swift built from our swift-protobuf dependency.
set -euo pipefail
cd "$(dirname "$0")/.."
plugin="${PROTOC_GEN_SWIFT:-.build/debug/protoc-gen-swift}"
[ -x "$plugin" ] || swift build --product protoc-gen-swift >/dev/null
# Which Swift module holds each proto's generated code, so a service's messages can use common.proto's.
mappings="$(mktemp)"
trap 'rm -f "$mappings"' EXIT
cat >"$mappings" <<'MAP'
mapping { module_name: "AftercareRPC" proto_file_path: "common.proto" }
mapping { module_name: "AftercareEcho" proto_file_path: "echo.proto" }
mapping { module_name: "AftercareOrdersAPI" proto_file_path: "orders.proto" }
mapping { module_name: "AftercarePaymentsAPI" proto_file_path: "payments.proto" }
mapping { module_name: "AftercareLogisticsAPI" proto_file_path: "logistics.proto" }
mapping { module_name: "AftercareFeedbackAPI" proto_file_path: "feedback.proto" }
mapping { module_name: "AftercareAftersalesAPI" proto_file_path: "aftersales.proto" }
mapping { module_name: "AftercareGatewayAPI" proto_file_path: "gateway.proto" }
MAP
# proto file → target that owns its generated code, and the code's access level (Public for the
# contract applications import; Package for the echo service, which only our tests and benchmark use)
generate() {
    local proto="$1" target="$2" visibility="${3:-Public}"
    [ -f "proto-spec/$proto" ] || return 0
    mkdir -p "Sources/$target/Generated"
    protoc --plugin=protoc-gen-swift="$plugin" \
        --swift_opt=Visibility="$visibility" --swift_opt=UseAccessLevelOnImports=true --swift_opt=FileNaming=DropPath \
        --swift_opt=ProtoPathModuleMappings="$mappings" \
        --swift_out="Sources/$target/Generated" -I proto-spec -I /usr/include "proto-spec/$proto"
}
generate common.proto AftercareRPC
generate echo.proto AftercareEcho Package
generate orders.proto AftercareOrdersAPI
generate payments.proto AftercarePaymentsAPI
generate logistics.proto AftercareLogisticsAPI
generate feedback.proto AftercareFeedbackAPI
generate aftersales.proto AftercareAftersalesAPI
generate gateway.proto AftercareGatewayAPI
# Aftersales' stored records: internal to the service, not part of the contract.
protoc --plugin=protoc-gen-swift="$plugin" \
    --swift_opt=Visibility=Internal --swift_opt=UseAccessLevelOnImports=true --swift_opt=FileNaming=DropPath \
    --swift_out=Sources/AftercareAftersales/Store/Records -I Sources/AftercareAftersales/Store/Records \
    Sources/AftercareAftersales/Store/Records/aftersales_records.proto
