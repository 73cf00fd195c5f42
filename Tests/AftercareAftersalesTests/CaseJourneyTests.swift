@testable import AftercareAftersales
import AftercareAftersalesAPI
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import Testing

/// Cases walked through the service from application to their end: states, amounts, history,
/// timers and the feed's events at each step.
@Suite("Case journeys")
struct CaseJourneyTests {
    @Test("return-and-refund: seller review, approval, label, pick-up, delivery, inspection with a damaged unit, partial refund")
    func returnAndRefundPartial() async throws {
        try await AftersalesHarness.run { harness in
            let opened = try await harness.open(Fixtures.application(lines: [("line_1", 2), ("line_2", 1)], requested: 30_000))
            let caseID = opened.record.caseID
            #expect(opened.record.state == "PENDING_SELLER")
            #expect(opened.record.decision.outcome == "seller_review" && opened.record.decision.decidingRule == "default")
            #expect(opened.record.timers.map(\.name) == ["T_seller"])
            #expect(opened.record.timers[0].deadlineUnixMicros == InMemoryService.startMicros + 48 * Micros.hour)
            #expect(opened.history.map(\.event) == ["opened", "evaluate"])

            let approved = try await harness.act(AftersalesMethods.approve, caseID, by: "seller_1")
            #expect(approved.record.state == "APPROVED" && approved.record.timers[0].status == .stopped)
            let awaiting = try await harness.shipment(AftersalesMethods.recordAwaitingReturn, caseID, shipmentID: "shp_return")
            #expect(awaiting.record.state == "AWAITING_RETURN_SHIPMENT" && awaiting.record.returnShipment.shipmentID == "shp_return")
            #expect(awaiting.record.timers.first { $0.name == "T_ship" }?.status == .running)
            #expect(try await harness.carrier(caseID, "picked_up").record.state == "RETURN_IN_TRANSIT")
            #expect(try await harness.carrier(caseID, "in_transit").record.state == "RETURN_IN_TRANSIT")
            let delivered = try await harness.carrier(caseID, "delivered")
            #expect(delivered.record.state == "RETURN_DELIVERED" && delivered.record.returnShipment.lastEvent == "delivered")
            #expect(try await harness.act(AftersalesMethods.confirmReceipt, caseID, by: "seller_1").record.state == "INSPECTING")
            let inspected = try await harness.inspect(caseID, ok: ["line_1": 1])
            #expect(inspected.record.state == "REFUND_APPROVED")
            // One of three units (equal prices) damaged: 2/3 of 300.00.
            #expect(inspected.record.amount.amountMinor == 20_000)
            #expect(inspected.record.lines.map(\.disposition) == ["quarantine", "restock"])
            #expect(try await harness.outcome(AftersalesMethods.recordRefunding, caseID, saga: "saga_refund", step: "record refunding").record.state == "REFUNDING")
            let refunded = try await harness.refunded(caseID, amount: 20_000)
            #expect(refunded.record.state == "REFUNDED" && refunded.record.closed && refunded.record.refundID == "rfd_\(caseID)")

            let trail = try await harness.eventTrail(caseID)
            #expect(trail == [
                "opened", "changed: opened", "changed: evaluate", "changed: seller.approve", "saga_requested: Return setup",
                "changed: saga Return setup: awaiting return", "changed: saga Carrier progress: picked up",
                "changed: saga Carrier progress: other", "changed: saga Carrier progress: delivered", "changed: seller.confirm_receipt",
                "changed: seller.inspect", "saga_requested: Refund", "changed: saga Refund: refunding", "changed: saga Refund: refunded",
                "closed: saga Refund: refunded",
            ])
            #expect(refunded.history.map(\.seq) == Array(1...Int64(refunded.history.count)))
            #expect(refunded.record.version == UInt64(refunded.history.count))
        }
    }
}
