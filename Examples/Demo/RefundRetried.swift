import AftercareAftersalesAPI
import AftercareClient
import AftercareGatewayAPI
import AftercareOrdersAPI
import AftercareRPC

/// 1. A refund-only case on an order not yet shipped; the Refund saga's call to payments is lost
/// on the way (the gateway's fault layer drops it), so the attempt times out, the saga asks payments
/// what became of it (never arrived), backs off and calls again: paid once.
struct RefundRetried: Scenario {
    let number = 1
    let title = "Refund-only before shipping; the refund call to payments is lost once and retried"

    func run(_ demo: Demo) async throws -> ScenarioReport {
        let order = try await demo.paidOrder([.init(sku: "tea-longjing-\(demo.tag)", title: "Longjing tea, 250 g", category: "food", quantity: 1, unitPriceMinor: 16_800)])
        try await demo.faults("drop-request payments/Refund #1")
        say("  gateway (test mode): the next payments/Refund request will be lost on the way")
        let opened = try await demo.buyer.apply(
            .refundOnly, orderID: order.orderID, lines: [order.lines[0].lineID: 1], reason: .other, description: "ordered twice by mistake")
        demo.tell(opened, "opened; decision: \(opened.decision.sentence)")
        say("  (the first refund attempt waits for its 5 s deadline)")
        let refunded = try await demo.settle(opened.record.caseID, leaving: ["APPROVED", "REFUNDING"], expecting: "REFUNDED")
        try await demo.faults("")
        demo.tell(refunded, "refunded \(refunded.record.amount.formatted)")
        let saga = try demo.saga("Refund", of: refunded)
        return ScenarioReport(number: self.number, title: self.title, cases: [refunded.record.caseID], sagas: ["refund": saga.sagaID], shown: [saga.sagaID])
    }
}
