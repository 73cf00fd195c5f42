import AftercareAftersalesAPI
import AftercareClient
import AftercareGatewayAPI
import AftercareLogisticsAPI
import SwiftProtobuf

/// 4. An exchange the seller approves — Return setup reserves the replacement and issues the return
/// label — and the buyer then withdraws before shipping the return: Return cancellation cancels
/// the label and releases the replacement's stock.
struct ExchangeWithdrawn: Scenario {
    let number = 4
    let title = "An exchange withdrawn after approval, before the return ships: label cancelled, replacement stock released"

    func run(_ demo: Demo) async throws -> ScenarioReport {
        let replacement = "shirt-m-\(demo.tag)"
        let opened = try await demo.approvedExchange(
            of: .init(sku: "shirt-s-\(demo.tag)", title: "Linen shirt, S", category: "apparel", quantity: 1, unitPriceMinor: 26_000),
            for: replacement, inStock: 3, because: "too small")
        let awaiting = try await demo.settle(opened.record.caseID, leaving: ["APPROVED"], expecting: "AWAITING_RETURN_SHIPMENT")
        let reserved = try await demo.stock(replacement)
        demo.tell(awaiting, "label \(awaiting.record.returnShipment.trackingNumber); stock of \(replacement): 3 → \(reserved) (one reserved)")
        _ = try await demo.buyer.act(.withdraw, onCase: opened.record.caseID)
        let closed = try await demo.settle(opened.record.caseID, leaving: ["AWAITING_RETURN_SHIPMENT", "RETURN_CANCELLING"], expecting: "CLOSED_WITHDRAWN")
        let released = try await demo.stock(replacement)
        let label = try await demo.support.getShipment(.with { $0.shipmentID = awaiting.record.returnShipment.shipmentID })
        demo.tell(closed, "buyer withdrew; return label \(label.state); stock of \(replacement): \(released)")
        let setup = try demo.saga("Return setup", of: closed)
        let cancellation = try demo.saga("Return cancellation", of: closed)
        return ScenarioReport(
            number: self.number, title: self.title, cases: [closed.record.caseID], sagas: ["return_setup": setup.sagaID, "return_cancellation": cancellation.sagaID],
            shown: [cancellation.sagaID], facts: ["stock_before": 3, "stock_reserved": reserved, "stock_after": released])
    }
}
