import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareLogisticsAPI
import AftercareOrdersAPI
import AftercarePaymentsAPI
import AftercareRPC
import AftercareTesting
import SwiftProtobuf
import Testing

@testable import AftercareClient

extension GatewayExecutableTests.ClientLibraryTests {
    @Test("a return-and-refund through the library's plain Swift calls, as a shop, a seller back office and support would make them")
    func returnAndRefund() async throws {
        try await GatewayWorld.run { world in
            try await Self.withClient(world, as: "buyer-app", party: .buyer("buyer_lib")) { buyer in
                try await Self.withClient(world, as: "seller-app", party: .seller(GatewayWorld.seller)) { seller in
                    try await Self.withClient(world, as: "support", party: .platform("agent_lib")) { support in
                        let draft = NewOrder(
                            sellerID: GatewayWorld.seller, currency: "CNY",
                            lines: [.init(sku: "sku_lib_a", title: "Tea", quantity: 2, unitPriceMinor: 4_000), .init(sku: "sku_lib_b", title: "Cup", quantity: 1, unitPriceMinor: 2_500)],
                            shippingFeeMinor: 1_000)
                        let order = try await buyer.placeOrder(draft, options: .init(idempotencyKey: "lib-order-1"))
                        #expect(order.buyerID == "buyer_lib")
                        #expect(order.total.amountMinor == 11_500)
                        // The same key again: the same order, not a second one.
                        #expect(try await buyer.placeOrder(draft, options: .init(idempotencyKey: "lib-order-1")).orderID == order.orderID)
                        let paid = try await buyer.pay(orderID: order.orderID, channel: .wechatPay)
                        #expect(paid.payment.status == .paymentCaptured)
                        let shipped = try await seller.ship(orderID: order.orderID, carrier: "sf_express", trackingNumber: "SFLIB0000001")
                        _ = try await support.advanceShipment(.with { $0.shipmentID = shipped.shipment.shipmentID; $0.to = .delivered })
                        let delivered = try await Self.poll { try await support.getOrder(.with { $0.orderID = order.orderID }).order.status == .delivered }
                        #expect(delivered)

                        let lines = Dictionary(uniqueKeysWithValues: order.lines.map { ($0.lineID, $0.quantity) })
                        let opened = try await buyer.apply(.returnAndRefund, orderID: order.orderID, lines: lines, reason: .noReason7D)
                        let caseID = opened.record.caseID
                        let awaiting = try await buyer.waitForCase(caseID, toLeave: ["APPROVED"])
                        #expect(awaiting.record.state == "AWAITING_RETURN_SHIPMENT")
                        _ = try await support.advanceShipment(.with { $0.shipmentID = awaiting.record.returnShipment.shipmentID; $0.to = .delivered })
                        #expect(try await seller.waitForCase(caseID, toLeave: ["AWAITING_RETURN_SHIPMENT", "RETURN_IN_TRANSIT"]).record.state == "RETURN_DELIVERED")
                        #expect(try await seller.act(.confirmReceipt, onCase: caseID).state == "INSPECTING")
                        let inspecting = try await seller.caseView(caseID).record
                        _ = try await seller.inspect(
                            .with {
                                $0.action = .with { $0.caseID = caseID; $0.version = inspecting.version }
                                $0.lines = inspecting.lines.map { line in .with { $0.lineID = line.lineID; $0.receivedOk = line.quantity } }
                            })
                        let refunded = try await buyer.waitForCase(caseID, toLeave: ["INSPECTING", "REFUND_APPROVED", "REFUNDING"])
                        #expect(refunded.record.state == "REFUNDED")
                        #expect(refunded.record.amount.amountMinor == 10_500)
                        #expect(refunded.sagas.map(\.definition).contains("Refund"))
                        let view = try await buyer.getOrder(.with { $0.orderID = order.orderID })
                        #expect(view.order.refunded.amountMinor == 10_500)
                        // The seller's client acting for another seller is refused, naming the record.
                        let error = await #expect(throws: AftercareError.self) { _ = try await seller.acting(as: .seller("seller_other")).caseView(caseID) }
                        #expect(error?.code == .permissionDenied)
                        #expect(error?.method == "aftercare.gateway.v1.Gateway/GetCase")
                    }
                }
            }
        }
    }

    /// Whether `done` held within 30 s, asked every 50 ms.
    static func poll(_ done: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if try await done() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    @Test("one error type: a refusal names the field and is not retried; an unreachable gateway is retried as the policy says")
    func errorsAndRetries() async throws {
        try await GatewayWorld.run { world in
            try await Self.withClient(world, as: "buyer-app", party: .buyer("buyer_lib")) { buyer in
                let refused = await #expect(throws: AftercareError.self) {
                    _ = try await buyer.apply(.refundOnly, orderID: "", lines: [:], reason: .other)
                }
                #expect(refused?.code == .invalidArgument)
                #expect(refused?.message.contains("order_id") == true, "\(refused?.message ?? "")")
                #expect(refused?.attempts == 1)
                let malformed = await #expect(throws: AftercareError.self) {
                    _ = try await buyer.caseView("cas_x", options: .init(traceID: "not-hex"))
                }
                #expect(malformed?.code == .invalidArgument)
                #expect(malformed?.message.contains("traceID") == true)
            }
        }
        let certificates = try await SharedCertificates.get()
        let directory = try TemporaryDirectory()
        let nowhere = AftercareClient.Configuration(
            endpoint: .unix(path: directory.appending("no-gateway.sock")),
            tls: .init(caFile: certificates.caFile, certificateFile: certificates.certificateFile("cli"), privateKeyFile: certificates.keyFile("cli")),
            party: .operator("oncall"), defaultTimeout: .milliseconds(500),
            retries: RetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(10), maximumBackoff: .milliseconds(20)))
        try await AftercareClient.withClient(nowhere) { client in
            let error = await #expect(throws: AftercareError.self) { _ = try await client.systemHealth(.init()) }
            #expect(error?.isTransient == true, "\(String(describing: error))")
            #expect(error?.attempts == 3)
            #expect(error?.outcome == .notExecuted)
            // An operator's saga action is retried only when it certainly did not run, as here.
            let action = await #expect(throws: AftercareError.self) { _ = try await client.retrySaga(.with { $0.sagaID = "s"; $0.reason = "r" }) }
            #expect(action?.attempts == 3)
        }
    }
}

@Suite("The client library's configuration")
struct ClientConfigurationTests {
    @Test("endpoints and parties parse from their written forms, and print back the same")
    func parsing() {
        #expect(AftercareClient.Endpoint("unix:/run/aftercare/gateway.sock") == .unix(path: "/run/aftercare/gateway.sock"))
        #expect(AftercareClient.Endpoint("/tmp/g.sock") == .unix(path: "/tmp/g.sock"))
        #expect(AftercareClient.Endpoint("tcp:gateway.shop.internal:7100") == .tcp(host: "gateway.shop.internal", port: 7100))
        #expect(AftercareClient.Endpoint("tcp:gateway:0") == nil)
        #expect(AftercareClient.Endpoint("tcp::7100") == nil)
        #expect(AftercareClient.Endpoint("") == nil)
        #expect(AftercareClient.Endpoint.tcp(host: "h", port: 1).description == "tcp:h:1")
        #expect(AftercareClient.Endpoint.list("unix:/a.sock,tcp:gw-2:7100") == [.unix(path: "/a.sock"), .tcp(host: "gw-2", port: 7100)])
        #expect(AftercareClient.Endpoint.list("tcp:gw-1:7100") == [.tcp(host: "gw-1", port: 7100)])
        #expect(AftercareClient.Endpoint.list("tcp:gw-1:7100,") == nil)
        #expect(AftercareClient.Endpoint.list("tcp:gw-1:7100,gw-2") == nil)
        var several = AftercareClient.Configuration(endpoints: [.unix(path: "/a.sock"), .unix(path: "/b.sock")], tls: nil)
        #expect(several.endpoint == .unix(path: "/a.sock"))
        several.endpoint = .unix(path: "/c.sock")
        #expect(several.endpoints == [.unix(path: "/c.sock")])
        for party in [Party.buyer("b_1"), .seller("s"), .platform("agent"), .operator("oncall")] { #expect(Party(party.description) == party) }
        #expect(Party("buyer:") == nil)
        #expect(Party("robot:1") == nil)
        let run = AftercareClient.Configuration.runDirectory("/tmp/run", certificate: "seller-app", party: .seller("s"))
        #expect(run.endpoint == .unix(path: "/tmp/run/run/gateway.sock"))
        #expect(run.tls == .init(caFile: "/tmp/run/certs/ca.pem", certificateFile: "/tmp/run/certs/seller-app.pem", privateKeyFile: "/tmp/run/certs/seller-app.key"))
    }

    @Test("back-off doubles from the initial wait up to the maximum, within ±20 %, and a longer server hint wins")
    func backoff() {
        let policy = RetryPolicy(maxAttempts: 5, initialBackoff: .milliseconds(100), maximumBackoff: .milliseconds(300))
        var backoff = policy.backoff
        for (attempt, base) in [(1, 100), (2, 200), (3, 300), (4, 300)] {
            let wait = policy.wait(&backoff, hint: nil)
            #expect(wait >= .milliseconds(base) * 0.8 && wait <= .milliseconds(base) * 1.2, "\(attempt): \(wait)")
        }
        var first = policy.backoff
        #expect(policy.wait(&first, hint: .seconds(2)) == .seconds(2))
        #expect(RetryPolicy(maxAttempts: 0).maxAttempts == 1)
    }
}
