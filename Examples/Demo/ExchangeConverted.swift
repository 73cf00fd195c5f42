import AftercareAftersalesAPI
import AftercareClient
import AftercareGatewayAPI
import AftercareLogisticsAPI
import AftercareRPC
import SwiftProtobuf

/// 5. An exchange whose replacement is out of stock: Return setup is refused its reservation and
/// compensates, the case offers a conversion, the buyer accepts it, and the new return-and-refund
/// case runs through its return to refunded.
struct ExchangeConverted: Scenario {
    let number = 5
    let title = "An exchange out of stock: setup compensated, conversion accepted, the new return-and-refund refunded"

    func run(_ demo: Demo) async throws -> ScenarioReport {
        let replacement = "scarf-blue-\(demo.tag)"
        let opened = try await demo.approvedExchange(
            of: .init(sku: "scarf-red-\(demo.tag)", title: "Silk scarf, red", category: "apparel", quantity: 1, unitPriceMinor: 18_800),
            for: replacement, inStock: 0, because: "wrong colour")
        let offered = try await demo.settle(opened.record.caseID, leaving: ["PENDING_SELLER", "APPROVED"], expecting: "CONVERSION_OFFERED")
        let setup = try demo.saga("Return setup", of: offered)
        demo.tell(offered, "\(replacement) is out of stock; Return setup \(setup.state): \(setup.reason)")
        let converted = try await demo.buyer.act(.acceptOffer, onCase: opened.record.caseID)
        let linked = converted.convertedToCaseID
        say("  case \(opened.record.caseID): \(converted.state) — the buyer accepted a return-and-refund instead: case \(linked)")
        let awaiting = try await demo.settle(linked, leaving: ["APPROVED"], expecting: "AWAITING_RETURN_SHIPMENT")
        try await demo.advance(awaiting.record.returnShipment.shipmentID, to: .delivered)
        _ = try await demo.settle(linked, leaving: ["AWAITING_RETURN_SHIPMENT", "RETURN_IN_TRANSIT"], expecting: "RETURN_DELIVERED")
        _ = try await demo.seller.act(.confirmReceipt, onCase: linked)
        let inspecting = try await demo.seller.caseView(linked)
        _ = try await demo.seller.inspect(
            .with {
                $0.action = .with { $0.caseID = linked; $0.version = inspecting.record.version }
                $0.lines = inspecting.record.lines.map { line in .with { $0.lineID = line.lineID; $0.receivedOk = line.quantity } }
            })
        let refunded = try await demo.settle(linked, leaving: ["INSPECTING", "REFUND_APPROVED", "REFUNDING"], expecting: "REFUNDED")
        demo.tell(refunded, "returned, inspected, refunded \(refunded.record.amount.formatted)")
        let refund = try demo.saga("Refund", of: refunded)
        return ScenarioReport(
            number: self.number, title: self.title, cases: [opened.record.caseID, linked],
            sagas: ["exchange_setup": setup.sagaID, "converted_refund": refund.sagaID], shown: [setup.sagaID, refund.sagaID],
            facts: ["refunded_minor": refunded.record.amount.amountMinor])
    }
}
