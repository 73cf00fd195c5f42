import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareLogisticsAPI
import AftercareOrdersAPI
import AftercarePaymentsAPI
import AftercareRPC
import AftercareTesting
import SwiftProtobuf
import Testing

extension GatewayExecutableTests {
    /// Who may call what through the public API, over the real executables: roles from certificates,
    /// actors from metadata, parties checked against the records, keys required.
    @Suite("Gateway access")
    struct PublicAPIAccessTests {
        @Test("roles, actors, parties and keys: each refusal names what is wrong and changes nothing")
        func refusals() async throws {
            try await GatewayWorld.run { world in
                let order = try await world.paidOrder([("sku_acc", 1, 5_000)])
                let get = Aftercare_Gateway_V1_GetOrderRequest.with { $0.orderID = order.orderID }

                // No role: the intruder's certificate is signed by the CA, but names no role; the
                // gateway refuses it before any handler runs.
                let intruder = GatewayWorld.Caller(client: world.clients["intruder"]!, actor: "buyer:\(GatewayWorld.buyer)")
                try await expectStatus(.permissionDenied, containing: "may not call") { _ = try await intruder.call(GatewayMethods.getOrder, get, key: nil) }
                // The buyer app may act only for buyers.
                let posing = GatewayWorld.Caller(client: world.clients["buyer-app"]!, actor: "seller:\(GatewayWorld.seller)")
                try await expectStatus(.permissionDenied, containing: "actor") { _ = try await posing.call(GatewayMethods.getOrder, get, key: nil) }
                // No actor, or a malformed one.
                for actor in [nil, "buyer", "customer:b1", "buyer:"] as [String?] {
                    let anonymous = GatewayWorld.Caller(client: world.clients["buyer-app"]!, actor: actor)
                    try await expectStatus(.unauthenticated, containing: "actor") { _ = try await anonymous.call(GatewayMethods.getOrder, get, key: nil) }
                }
                // Another buyer's order.
                try await expectStatus(.permissionDenied, containing: "order_id") { _ = try await world.buyer("buyer_other").call(GatewayMethods.getOrder, get, key: nil) }
                // A seller only ships its own orders.
                try await expectStatus(.permissionDenied, containing: "order_id") {
                    _ = try await world.seller("seller_other").call(
                        GatewayMethods.shipOrder, .with { $0.orderID = order.orderID; $0.carrier = "sf_express"; $0.trackingNumber = "SFACC0001" })
                }
                // A buyer cannot place an order for someone else.
                try await expectStatus(.permissionDenied, containing: "buyer_id") {
                    _ = try await world.buyer().call(
                        GatewayMethods.createOrder, .with { $0.buyerID = "buyer_other"; $0.sellerID = GatewayWorld.seller; $0.currency = "CNY" })
                }
                // Mutations need a key.
                try await expectStatus(.invalidArgument, containing: "idempotency_key") {
                    _ = try await world.buyer().call(GatewayMethods.payOrder, .with { $0.orderID = order.orderID; $0.channel = .alipay }, key: nil)
                }
                // The operator API is the CLI's; the carrier only posts carrier events.
                try await expectStatus(.permissionDenied, containing: "actor") { _ = try await world.support.call(OperationsMethods.listSagas, .init(), key: nil) }
                let carrier = GatewayWorld.Caller(client: world.clients["carrier"]!, actor: nil)
                try await expectStatus(.permissionDenied, containing: "carrier") { _ = try await carrier.call(GatewayMethods.getOrder, get, key: nil) }
                // An application naming a line the order does not have, or too many units.
                let line = order.lines[0].lineID
                let cases: [([(String, Int64)], String)] = [([("line_nope", 1)], "lines[0].line_id"), ([(line, 2)], "lines[0].quantity"), ([(line, 1), (line, 1)], "lines[1].line_id")]
                for (lines, field) in cases {
                    try await expectStatus(.invalidArgument, containing: field) {
                        _ = try await world.buyer().call(
                            GatewayMethods.apply,
                            .with {
                                $0.kind = .refundOnly
                                $0.orderID = order.orderID
                                $0.reason = .other
                                $0.lines = lines.map { id, quantity in .with { $0.lineID = id; $0.quantity = quantity } }
                            })
                    }
                }

                // Nothing above changed anything: the order is as paid, with no case.
                let view = try await world.buyer().call(GatewayMethods.getOrder, get, key: nil)
                #expect(view.order == order)
                #expect(view.cases.isEmpty)
                #expect(view.payments.count == 1)
            }
        }

        @Test("a refusal before the handler runs says NOT_EXECUTED; a malformed actor is quoted; the real field is named; an order ships once")
        func refusalsSayNotExecuted() async throws {
            try await GatewayWorld.run { world in
                let order = try await world.paidOrder([("sku_once", 1, 5_000)])
                let get = Aftercare_Gateway_V1_GetOrderRequest.with { $0.orderID = order.orderID }
                func refusal(_ body: () async throws -> Void) async -> RPCError? {
                    do {
                        try await body()
                        return nil
                    } catch {
                        return error as? RPCError
                    }
                }
                let refusals: [(String, RPCError?)] = [
                    ("no role", await refusal { _ = try await GatewayWorld.Caller(client: world.clients["intruder"]!, actor: "buyer:b").call(GatewayMethods.getOrder, get, key: nil) }),
                    ("posing", await refusal { _ = try await GatewayWorld.Caller(client: world.clients["buyer-app"]!, actor: "seller:s").call(GatewayMethods.getOrder, get, key: nil) }),
                    ("another's order", await refusal { _ = try await world.buyer("buyer_other").call(GatewayMethods.getOrder, get, key: nil) }),
                    ("malformed actor", await refusal { _ = try await GatewayWorld.Caller(client: world.clients["buyer-app"]!, actor: "bob").call(GatewayMethods.getOrder, get, key: nil) }),
                ]
                for (what, error) in refusals {
                    #expect(error?.outcome == .notExecuted, "\(what): \(String(describing: error))")
                }
                #expect(refusals[3].1?.message.contains("`actor` \"bob\" is not buyer:<id>") == true, "\(String(describing: refusals[3].1))")
                try await expectStatus(.invalidArgument, containing: "limit: at most 1000") {
                    _ = try await world.buyer().call(GatewayMethods.listNotifications, .with { $0.limit = 1_001 }, key: nil)
                }

                let first = try await world.seller().call(
                    GatewayMethods.shipOrder, .with { $0.orderID = order.orderID; $0.carrier = "sf_express"; $0.trackingNumber = "SFONCE0001" })
                let again = try await world.seller().call(
                    GatewayMethods.shipOrder, .with { $0.orderID = order.orderID; $0.carrier = "sf_express"; $0.trackingNumber = "SFONCE0001" })
                #expect(again.shipment.shipmentID == first.shipment.shipmentID && again.order.status == .shipped)
                let other = await refusal {
                    _ = try await world.seller().call(
                        GatewayMethods.shipOrder, .with { $0.orderID = order.orderID; $0.carrier = "sf_express"; $0.trackingNumber = "SFONCE0002" })
                }
                #expect(other?.code == .failedPrecondition && other?.outcome == .notExecuted)
                #expect(other?.message.contains("already ships as \(first.shipment.shipmentID)") == true, "\(String(describing: other))")
                let view = try await world.seller().call(GatewayMethods.getOrder, get, key: nil)
                #expect(view.shipments.filter { $0.kind == .outbound }.count == 1)
            }
        }
    }
}

/// Expects `body` to throw an RPCError with `code` whose message contains `text`.
func expectStatus(
    _ code: RPCError.Code, containing text: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async throws {
    do {
        try await body()
        Issue.record("expected \(code) containing \"\(text)\", got an answer", sourceLocation: sourceLocation)
    } catch let error as RPCError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        #expect(error.message.contains(text), "\(error)", sourceLocation: sourceLocation)
    }
}
