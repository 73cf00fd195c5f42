import AftercareAftersalesAPI
import AftercareClient
import AftercareFeedbackAPI
import AftercareGatewayAPI
import AftercareLogisticsAPI
import AftercareOrdersAPI
import AftercareRPC
import AftercareTesting
import AftercareWire
import Foundation
import SwiftProtobuf
import Testing

extension GatewayExecutableTests {
    /// The client library (`AftercareClient`) against the six executables.
    @Suite("The client library")
    struct ClientLibraryTests {
        /// Each `rpc` of gateway.proto's services, by `<Service>/<Method>`, called through its typed method.
        static let calls: [String: @Sendable (AftercareClient, AftercareClient.CallOptions) async throws -> Void] = [
        "Gateway/CreateOrder": { _ = try await $0.createOrder(.init(), options: $1) },
        "Gateway/PayOrder": { _ = try await $0.payOrder(.init(), options: $1) },
        "Gateway/ShipOrder": { _ = try await $0.shipOrder(.init(), options: $1) },
        "Gateway/CompleteOrder": { _ = try await $0.completeOrder(.init(), options: $1) },
        "Gateway/CancelOrder": { _ = try await $0.cancelOrder(.init(), options: $1) },
        "Gateway/GetOrder": { _ = try await $0.getOrder(.init(), options: $1) },
        "Gateway/ListOrders": { _ = try await $0.listOrders(.init(), options: $1) },
        "Gateway/GetTotals": { _ = try await $0.getTotals(.init(), options: $1) },
        "Gateway/SetStock": { _ = try await $0.setStock(.init(), options: $1) },
        "Gateway/GetStock": { _ = try await $0.getStock(.init(), options: $1) },
        "Gateway/IngestCarrierEvent": { _ = try await $0.ingestCarrierEvent(.init(), options: $1) },
        "Gateway/AdvanceShipment": { _ = try await $0.advanceShipment(.init(), options: $1) },
        "Gateway/RegisterReturnTracking": { _ = try await $0.registerReturnTracking(.init(), options: $1) },
        "Gateway/GetShipment": { _ = try await $0.getShipment(.init(), options: $1) },
        "Gateway/Apply": { _ = try await $0.apply(.init(), options: $1) },
        "Gateway/GetCase": { _ = try await $0.getCase(.init(), options: $1) },
        "Gateway/ListCases": { _ = try await $0.listCases(.init(), options: $1) },
        "Gateway/AddEvidence": { _ = try await $0.addEvidence(.init(), options: $1) },
        "Gateway/Withdraw": { _ = try await $0.withdraw(.init(), options: $1) },
        "Gateway/AcceptOffer": { _ = try await $0.acceptOffer(.init(), options: $1) },
        "Gateway/DeclineOffer": { _ = try await $0.declineOffer(.init(), options: $1) },
        "Gateway/Escalate": { _ = try await $0.escalate(.init(), options: $1) },
        "Gateway/AcceptRejection": { _ = try await $0.acceptRejection(.init(), options: $1) },
        "Gateway/AcceptPartial": { _ = try await $0.acceptPartial(.init(), options: $1) },
        "Gateway/Approve": { _ = try await $0.approve(.init(), options: $1) },
        "Gateway/Reject": { _ = try await $0.reject(.init(), options: $1) },
        "Gateway/CounterOffer": { _ = try await $0.counterOffer(.init(), options: $1) },
        "Gateway/ConfirmReceipt": { _ = try await $0.confirmReceipt(.init(), options: $1) },
        "Gateway/Inspect": { _ = try await $0.inspect(.init(), options: $1) },
        "Gateway/DisputeReceipt": { _ = try await $0.disputeReceipt(.init(), options: $1) },
        "Gateway/RequestEvidence": { _ = try await $0.requestEvidence(.init(), options: $1) },
        "Gateway/RuleForBuyer": { _ = try await $0.ruleForBuyer(.init(), options: $1) },
        "Gateway/RuleForSeller": { _ = try await $0.ruleForSeller(.init(), options: $1) },
        "Gateway/SubmitReview": { _ = try await $0.submitReview(.init(), options: $1) },
        "Gateway/FollowUpReview": { _ = try await $0.followUpReview(.init(), options: $1) },
        "Gateway/DeleteReview": { _ = try await $0.deleteReview(.init(), options: $1) },
        "Gateway/ReplyToReview": { _ = try await $0.replyToReview(.init(), options: $1) },
        "Gateway/AppealReview": { _ = try await $0.appealReview(.init(), options: $1) },
        "Gateway/RuleOnAppeal": { _ = try await $0.ruleOnAppeal(.init(), options: $1) },
        "Gateway/GetReview": { _ = try await $0.getReview(.init(), options: $1) },
        "Gateway/ListReviews": { _ = try await $0.listReviews(.init(), options: $1) },
        "Gateway/GetSellerScores": { _ = try await $0.getSellerScores(.init(), options: $1) },
        "Gateway/SubmitPlatformFeedback": { _ = try await $0.submitPlatformFeedback(.init(), options: $1) },
        "Gateway/ListPlatformFeedback": { _ = try await $0.listPlatformFeedback(.init(), options: $1) },
        "Gateway/ListNotifications": { _ = try await $0.listNotifications(.init(), options: $1) },
        "Gateway/MarkNotificationsRead": { _ = try await $0.markNotificationsRead(.init(), options: $1) },
        "Gateway/FollowNotifications": { _ = try await $0.followNotifications(.init(), options: $1) { _ in } },
        "Operations/ListSagas": { _ = try await $0.listSagas(.init(), options: $1) },
        "Operations/GetSaga": { _ = try await $0.getSaga(.init(), options: $1) },
        "Operations/RetrySaga": { _ = try await $0.retrySaga(.init(), options: $1) },
        "Operations/ResolveSaga": { _ = try await $0.resolveSaga(.init(), options: $1) },
        "Operations/RetryRefund": { _ = try await $0.retryRefund(.init(), options: $1) },
        "Operations/RecordManualPayout": { _ = try await $0.recordManualPayout(.init(), options: $1) },
        "Operations/CloseCase": { _ = try await $0.closeCase(.init(), options: $1) },
        "Operations/GetTrace": { _ = try await $0.getTrace(.init(), options: $1) },
        "Operations/SystemHealth": { _ = try await $0.systemHealth(.init(), options: $1) },
        "Operations/Reconcile": { _ = try await $0.reconcile(.init(), options: $1) },
        "Operations/GetPolicy": { _ = try await $0.getPolicy(.init(), options: $1) },
        "Operations/ReplayDecision": { _ = try await $0.replayDecision(.init(), options: $1) },
        "Operations/DryRunPolicy": { _ = try await $0.dryRunPolicy(.init(), options: $1) },
        ]

        /// `<Service>/<Method>` for every `rpc` of `service` in gateway.proto.
        static func protoMethods() throws -> Set<String> {
            let text = try String(contentsOfFile: "\(RepositoryPaths.root)/proto-spec/gateway.proto", encoding: .utf8)
            var methods = Set<String>()
            var service: String?
            for line in text.split(separator: "\n") {
                let words = line.split(separator: " ")
                if words.first == "service", words.count > 1 { service = String(words[1]) }
                if line.hasPrefix("}") { service = nil }
                if let service, let rpc = words.firstIndex(of: "rpc"), rpc + 1 < words.count {
                    methods.insert("\(service)/\(words[rpc + 1].prefix { $0 != "(" })")
                }
            }
            return methods
        }

        @Test("every rpc of gateway.proto has a typed method, and each one calls that rpc (the gateway's span says so)")
        func everyCallHasItsMethod() async throws {
            let methods = try Self.protoMethods()
            #expect(methods.count == GatewayMethods.allNames.count + OperationsMethods.allNames.count)
            #expect(Set(Self.calls.keys) == methods, "missing: \(methods.subtracting(Self.calls.keys).sorted()), extra: \(Set(Self.calls.keys).subtracting(methods).sorted())")
            try await GatewayWorld.run { world in
                try await Self.withClient(world, as: "cli", party: .operator("oncall"), retries: .never) { client in
                    var traces: [String: String] = [:]
                    for (method, call) in Self.calls.sorted(by: { $0.key < $1.key }) {
                        let trace = TraceID.random().description
                        traces[method] = trace
                        // Empty requests: most are refused; the call reached the gateway either way.
                        try? await call(client, AftercareClient.CallOptions(timeout: .seconds(2), traceID: trace))
                    }
                    for (method, trace) in traces {
                        // A stream's span is written when the gateway has seen its cancellation.
                        var spans: [Aftercare_Common_V1_Span] = []
                        _ = try await Self.poll {
                            spans = try await client.getTrace(.with { $0.traceID = trace }).services.first { $0.service == "gateway" }?.spans ?? []
                            return !spans.isEmpty
                        }
                        #expect(spans.map(\.method) == ["aftercare.gateway.v1.\(method)"], "\(method)")
                    }
                }
            }
        }

        @Test("several gateways listed, the first down: every call reaches the one that is up, with no retry of the policy")
        func severalGateways() async throws {
            try await GatewayWorld.run { world in
                let certificates = try await SharedCertificates.get()
                let configuration = AftercareClient.Configuration(
                    endpoints: [.unix(path: world.directory.appending("gateway-down.sock")), .unix(path: world.process("gateway").socketPath)],
                    tls: .init(
                        caFile: certificates.caFile, certificateFile: certificates.certificateFile("support"),
                        privateKeyFile: certificates.keyFile("support")),
                    party: .platform("agent_1"), defaultTimeout: .seconds(20),
                    retries: RetryPolicy(maxAttempts: 1, initialBackoff: .milliseconds(10), maximumBackoff: .milliseconds(20)))
                try await AftercareClient.withClient(configuration) { client in
                    // No retries by the policy: only the runtime's move to the next gateway gets a call through.
                    for index in 0..<6 {
                        let stock = try await client.setStock(.with { $0.sku = "sku_two_gw_\(index)"; $0.quantity = 3 })
                        #expect(stock.stock.quantity == 3)
                    }
                }
            }
        }

        /// Runs `body` with a client of the world's gateway as `certificate`.
        static func withClient(
            _ world: GatewayWorld, as certificate: String, party: Party, retries: RetryPolicy = .default,
            _ body: @Sendable (AftercareClient) async throws -> Void
        ) async throws {
            let certificates = try await SharedCertificates.get()
            let configuration = AftercareClient.Configuration(
                endpoint: .unix(path: world.process("gateway").socketPath),
                tls: .init(caFile: certificates.caFile, certificateFile: certificates.certificateFile(certificate), privateKeyFile: certificates.keyFile(certificate)),
                party: party, defaultTimeout: .seconds(20), retries: retries)
            try await AftercareClient.withClient(configuration, body)
        }
    }
}
