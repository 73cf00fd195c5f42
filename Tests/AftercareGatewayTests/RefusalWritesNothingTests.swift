import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareRPC
import AftercareTesting
import Foundation
import SwiftProtobuf
import Testing

extension GatewayExecutableTests {
    /// A call refused — by the gateway's checks or by the service behind it — leaves nothing in the
    /// gateway's database: no intent kept for a retry that has nothing to repeat.
    @Suite("A refusal writes nothing")
    struct RefusalWritesNothingTests {
        @Test("refused Apply, AddEvidence and RetryRefund leave no intent; an accepted call keeps one for its retries")
        func noIntentLeft() async throws {
            try await GatewayWorld.run { world in
                let order = try await world.deliveredOrder([("sku_noint", 2, 3_000)], tracking: "SFNOINT0001")
                let intents = { @Sendable () async throws -> Int64 in try await world.readDatabase("gateway", "SELECT COUNT(*) FROM gateway_intents") ?? -1 }
                let before = try await intents()
                let application = GatewayWorld.application(.refundOnly, order, reason: .noReason7D, replacementSKU: "")
                func changed(_ change: (inout Aftercare_Gateway_V1_ApplyRequest) -> Void) -> Aftercare_Gateway_V1_ApplyRequest {
                    var changed = application
                    change(&changed)
                    return changed
                }

                // The gateway's own size checks, before anything is kept.
                try await expectStatus(.invalidArgument, containing: "description") {
                    _ = try await world.buyer().call(GatewayMethods.apply, changed { $0.description_p = String(repeating: "x", count: 1 << 20) })
                }
                try await expectStatus(.invalidArgument, containing: "evidence[0].text") {
                    _ = try await world.buyer().call(
                        GatewayMethods.apply, changed { $0.evidence = [.with { $0.kind = .text; $0.text = String(repeating: "y", count: 5_000) }] })
                }
                // Padding in fields the contract does not have is kept as unknown fields: bounded.
                try await expectStatus(.invalidArgument, containing: "request") {
                    _ = try await world.buyer().call(GatewayMethods.apply, try Self.padded(application, bytes: 300 << 10))
                }
                // Refused by aftersales, after the gateway built the call: its intent goes too.
                let refused = await #expect(throws: RPCError.self) {
                    _ = try await world.buyer().call(GatewayMethods.apply, changed { $0.evidence = [.with { $0.kind = .photo; $0.uri = "x" }] })
                }
                #expect(refused?.message.contains("evidence[0].sha256") == true && refused?.outcome == .notExecuted, "\(String(describing: refused))")
                #expect(try await intents() == before)

                let opened = try await world.buyer().call(GatewayMethods.apply, application).record
                #expect(try await intents() == before + 1)
                // Not REFUND_FAILED: aftersales refuses the retry.
                let retry = await #expect(throws: RPCError.self) {
                    _ = try await world.cli.call(OperationsMethods.retryRefund, .with { $0.caseID = opened.caseID; $0.reason = "try" })
                }
                #expect(retry?.code == .failedPrecondition && retry?.outcome == .notExecuted, "\(String(describing: retry))")
                let evidence = await #expect(throws: RPCError.self) {
                    _ = try await world.buyer().call(
                        GatewayMethods.addEvidence,
                        .with {
                            $0.action = .with { $0.caseID = opened.caseID; $0.version = opened.version }
                            $0.evidence = [.with { $0.kind = .text }]
                        })
                }
                #expect(evidence?.code == .invalidArgument && evidence?.outcome == .notExecuted, "\(String(describing: evidence))")
                #expect(try await intents() == before + 1)
            }
        }

        /// `message` with `bytes` of an unknown length-delimited field (number 1000) in front.
        static func padded<Message: SwiftProtobuf.Message>(_ message: Message, bytes: Int) throws -> Message {
            var data = Data()
            func varint(_ value: Int) {
                var value = UInt64(value)
                while value >= 0x80 {
                    data.append(UInt8(value & 0x7F) | 0x80)
                    value >>= 7
                }
                data.append(UInt8(value))
            }
            varint(1_000 << 3 | 2)
            varint(bytes)
            data.append(Data(repeating: 0x61, count: bytes))
            data.append(try message.serializedData())
            return try Message(serializedBytes: data)
        }
    }
}
