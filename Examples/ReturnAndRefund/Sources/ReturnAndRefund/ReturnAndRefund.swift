import AftercareAftersalesAPI
import AftercareClient
import AftercareGatewayAPI
import AftercareLogisticsAPI
import AftercareOrdersAPI
import AftercarePaymentsAPI
import AftercareRPC
import ArgumentParser
import Foundation
import SwiftProtobuf

/// `aftercare-example-return`: one return-and-refund from start to finish through the gateway's
/// public API, as a shop front end, a seller back office and a support desk would make it, then
/// its Refund saga as an on-call engineer reads it from the operator API. It needs a running
/// system with the carrier simulator on, as `make run` starts it.
@main
struct ReturnAndRefund: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aftercare-example-return",
        abstract: "One return-and-refund through the running gateway, then its Refund saga's attempts.")

    @Option(help: "The run directory `make run` started the services in (run/, certs/).")
    var runDir: String

    func run() async throws {
        let callers = Callers(runDirectory: self.runDir)
        try await withThrowingTaskGroup(of: Void.self) { group in
            // Each client keeps its connection while its run() runs.
            for client in callers.all { group.addTask { try await client.run() } }
            defer { for client in callers.all { client.beginGracefulShutdown() } }
            try await callers.returnAndRefund()
        }
    }
}

/// The four callers. The certificate gives each connection its role; the party says who acts.
struct Callers: Sendable {
    let buyer: AftercareClient
    let seller: AftercareClient
    let support: AftercareClient
    let cli: AftercareClient

    init(runDirectory: String) {
        func client(_ certificate: String, _ party: Party) -> AftercareClient {
            AftercareClient(configuration: .runDirectory(runDirectory, certificate: certificate, party: party))
        }
        self.buyer = client("buyer-app", .buyer("buyer_example"))
        self.seller = client("seller-app", .seller("seller_example"))
        self.support = client("support", .platform("agent_example"))
        self.cli = client("cli", .operator("example"))
    }

    var all: [AftercareClient] { [self.buyer, self.seller, self.support, self.cli] }

    func returnAndRefund() async throws {
        // The buyer places an order of two lines and pays it through Alipay.
        let order = try await self.buyer.placeOrder(
            NewOrder(
                sellerID: "seller_example", currency: "CNY",
                lines: [
                    .init(sku: "tea-longjing-250g", title: "Longjing tea, 250 g", category: "tea", quantity: 2, unitPriceMinor: 16_800),
                    .init(sku: "cup-celadon", title: "Celadon cup", category: "home", quantity: 1, unitPriceMinor: 5_900),
                ]))
        let paid = try await self.buyer.pay(orderID: order.orderID, channel: .alipay)
        guard paid.payment.status == .paymentCaptured else { throw ExampleError("payment \(paid.payment.paymentID) is \(paid.payment.status)") }
        print("buyer: placed \(order.orderID) (\(order.total.formatted)) and paid it: order \(paid.order.status)")

        // The seller ships it; support delivers the parcel with the carrier simulator. The gateway
        // marks the order delivered when it reads the delivery on logistics' feed.
        let tracking = "SF\(Int(Date().timeIntervalSince1970 * 1_000))"
        let shipped = try await self.seller.ship(orderID: order.orderID, carrier: "sf_express", trackingNumber: tracking)
        _ = try await self.support.advanceShipment(.with { $0.shipmentID = shipped.shipment.shipmentID; $0.to = .delivered })
        let deadline = ContinuousClock.now + .seconds(30)
        while try await self.buyer.getOrder(.with { $0.orderID = order.orderID }).order.status != .delivered {
            guard ContinuousClock.now < deadline else { throw ExampleError("order \(order.orderID) is not delivered after 30 s") }
            try await Task.sleep(for: .milliseconds(100))
        }
        print("seller: shipped with sf_express \(tracking); carrier: delivered; order delivered")

        // The buyer returns both lines without a reason, within seven days of delivery: the policy
        // approves at once, and the Return setup saga makes the return label.
        let lines = Dictionary(uniqueKeysWithValues: order.lines.map { ($0.lineID, $0.quantity) })
        let opened = try await self.buyer.apply(.returnAndRefund, orderID: order.orderID, lines: lines, reason: .noReason7D)
        let caseID = opened.record.caseID
        print("buyer: case \(caseID) is \(opened.record.state): \"\(opened.decision.sentence)\"")
        let awaiting = try await self.settle(caseID, leaving: ["APPROVED"], expecting: "AWAITING_RETURN_SHIPMENT")
        let label = awaiting.record.returnShipment
        print("gateway: return label \(label.carrier) \(label.trackingNumber) (shipment \(label.shipmentID))")

        // The parcel reaches the seller; the Carrier progress saga records it on the case.
        _ = try await self.support.advanceShipment(.with { $0.shipmentID = label.shipmentID; $0.to = .delivered })
        _ = try await self.settle(caseID, leaving: ["AWAITING_RETURN_SHIPMENT", "RETURN_IN_TRANSIT"], expecting: "RETURN_DELIVERED")
        print("carrier: the return is delivered to the seller")

        // The seller confirms receipt and finds every unit in order; the Refund saga pays it back.
        let inspecting = try await self.seller.act(.confirmReceipt, onCase: caseID)
        _ = try await self.seller.inspect(
            .with {
                $0.action = .with { $0.caseID = caseID; $0.version = inspecting.version }
                $0.lines = inspecting.lines.map { line in .with { $0.lineID = line.lineID; $0.receivedOk = line.quantity } }
            })
        print("seller: received and inspected: every unit in order")
        let refunded = try await self.settle(caseID, leaving: ["INSPECTING", "REFUND_APPROVED", "REFUNDING"], expecting: "REFUNDED")
        print("gateway: case \(caseID) is REFUNDED: \(refunded.record.amount.formatted) by refund \(refunded.record.refundID)")

        // The Refund saga from the operator API, every call attempt it made.
        guard let summary = refunded.sagas.last(where: { $0.definition == "Refund" }) else { throw ExampleError("case \(caseID) has no Refund saga") }
        let saga = try await self.cli.saga(summary.sagaID)
        print("saga \(summary.sagaID) (Refund) \(saga.saga.state), trace \(saga.saga.traceID):")
        for attempt in saga.attempts {
            let took = attempt.endedAtUnixMicros > 0 ? "\((attempt.endedAtUnixMicros - attempt.startedAtUnixMicros) / 1_000) ms" : "in flight"
            print("  \(attempt.step) \(attempt.direction) #\(attempt.attempt): \(attempt.result) (\(took))")
        }
    }

    /// The case once it has left `states` and none of its sagas runs; it must then be `expected`.
    func settle(_ caseID: String, leaving states: Set<String>, expecting expected: String) async throws -> CaseView {
        let view = try await self.buyer.waitForCase(caseID, toLeave: states)
        guard view.record.state == expected else {
            throw ExampleError("case \(caseID) is \(view.record.state), not \(expected); sagas: \(view.sagas.map { "\($0.definition) \($0.state)" })")
        }
        return view
    }
}

/// The system did not do what the example expects.
struct ExampleError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
