import AftercareAftersalesAPI
import AftercareClient
import AftercareGatewayAPI
import AftercareLogisticsAPI
import AftercareOrdersAPI
import AftercareRPC
import SwiftProtobuf

/// 2. A return-and-refund of two lines: the return label (Return setup), the parcel picked up and
/// delivered (Carrier progress), the seller confirms receipt and inspects — one line damaged — and
/// the Refund saga refunds the other line only.
struct PartialReturn: Scenario {
    let number = 2
    let title = "Return-and-refund through pick-up, delivery and inspection; one line damaged: a partial refund"

    func run(_ demo: Demo) async throws -> ScenarioReport {
        let order = try await demo.deliveredOrder([
            .init(sku: "cup-celadon-\(demo.tag)", title: "Celadon cup", category: "home", quantity: 1, unitPriceMinor: 5_900),
            .init(sku: "pot-yixing-\(demo.tag)", title: "Yixing teapot", category: "home", quantity: 1, unitPriceMinor: 32_000),
        ])
        let lines = Dictionary(uniqueKeysWithValues: order.lines.map { ($0.lineID, $0.quantity) })
        let opened = try await demo.buyer.apply(.returnAndRefund, orderID: order.orderID, lines: lines, reason: .noReason7D, description: "not what I hoped")
        demo.tell(opened, "opened for \(opened.record.requested.formatted); decision: \(opened.decision.sentence)")
        let awaiting = try await demo.settle(opened.record.caseID, leaving: ["APPROVED"], expecting: "AWAITING_RETURN_SHIPMENT")
        let parcel = awaiting.record.returnShipment
        demo.tell(awaiting, "return label \(parcel.carrier) \(parcel.trackingNumber)")
        try await demo.advance(parcel.shipmentID, to: .pickedUp)
        demo.tell(try await demo.settle(opened.record.caseID, leaving: ["AWAITING_RETURN_SHIPMENT"], expecting: "RETURN_IN_TRANSIT"), "carrier: picked up")
        try await demo.advance(parcel.shipmentID, to: .delivered)
        demo.tell(try await demo.settle(opened.record.caseID, leaving: ["RETURN_IN_TRANSIT"], expecting: "RETURN_DELIVERED"), "carrier: delivered to the seller")
        let caseID = opened.record.caseID
        _ = try await demo.seller.act(.confirmReceipt, onCase: caseID)
        let inspecting = try await demo.seller.caseView(caseID)
        let cup = order.lines[0].lineID
        _ = try await demo.seller.inspect(
            .with {
                $0.action = .with { $0.caseID = caseID; $0.version = inspecting.record.version }
                $0.lines = inspecting.record.lines.map { line in
                    .with {
                        $0.lineID = line.lineID
                        if line.lineID == cup { $0.receivedOk = line.quantity } else { $0.damaged = line.quantity }
                    }
                }
            })
        say("  seller: received; inspected: the cup fine, the teapot damaged")
        let refunded = try await demo.settle(caseID, leaving: ["INSPECTING", "REFUND_APPROVED", "REFUNDING"], expecting: "REFUNDED")
        demo.tell(refunded, "refunded \(refunded.record.amount.formatted) of \(refunded.record.requested.formatted) asked")
        let setup = try demo.saga("Return setup", of: refunded)
        let refund = try demo.saga("Refund", of: refunded)
        return ScenarioReport(
            number: self.number, title: self.title, cases: [caseID], sagas: ["return_setup": setup.sagaID, "refund": refund.sagaID],
            shown: [setup.sagaID, refund.sagaID],
            facts: ["requested_minor": refunded.record.requested.amountMinor, "refunded_minor": refunded.record.amount.amountMinor])
    }
}
