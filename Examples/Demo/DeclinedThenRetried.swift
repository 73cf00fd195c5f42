import AftercareAftersalesAPI
import AftercareClient
import AftercareGatewayAPI
import AftercareOrdersAPI
import AftercareRPC
import SwiftProtobuf

/// 3. A refund-only case whose refund the provider declines (the simulated merchant balance is
/// short for a charge's first refund of an amount ending in 98): the Refund saga compensates — the
/// reservation released, the case's refund failed — then an operator retries it with
/// `aftercare case retry-refund`, a new Refund saga that succeeds.
struct DeclinedThenRetried: Scenario {
    let number = 3
    let title = "A refund the provider declines: compensated, then retried by an operator"

    func run(_ demo: Demo) async throws -> ScenarioReport {
        let order = try await demo.paidOrder([.init(sku: "kettle-\(demo.tag)", title: "Iron kettle", category: "home", quantity: 1, unitPriceMinor: 12_998)])
        let opened = try await demo.buyer.apply(.refundOnly, orderID: order.orderID, lines: [order.lines[0].lineID: 1], reason: .other, description: "changed my mind")
        demo.tell(opened, "opened; decision: \(opened.decision.sentence)")
        let failed = try await demo.settle(opened.record.caseID, leaving: ["APPROVED", "REFUNDING"], expecting: "REFUND_FAILED")
        let declined = try demo.saga("Refund", of: failed)
        demo.tell(failed, "the provider declined; saga \(declined.sagaID) \(declined.state): \(declined.reason)")
        let afterDecline = try await demo.support.getOrder(.with { $0.orderID = order.orderID })
        say("  order: refundable \(afterDecline.order.refundable.formatted) again (the reservation was released)")
        say("")
        say("$ aftercare case retry-refund \(failed.record.caseID) --reason \"merchant balance topped up\"")
        try demo.runCLI(["case", "retry-refund", failed.record.caseID, "--reason", "merchant balance topped up"])
        let refunded = try await demo.settle(failed.record.caseID, leaving: ["REFUND_FAILED", "APPROVED", "REFUND_APPROVED", "REFUNDING"], expecting: "REFUNDED")
        let retried = try demo.saga("Refund", of: refunded)
        demo.tell(refunded, "refunded \(refunded.record.amount.formatted) by saga \(retried.sagaID)")
        return ScenarioReport(
            number: self.number, title: self.title, cases: [refunded.record.caseID], sagas: ["declined_refund": declined.sagaID, "retried_refund": retried.sagaID],
            shown: [declined.sagaID, retried.sagaID],
            facts: ["refundable_after_decline_minor": afterDecline.order.refundable.amountMinor, "refunded_minor": refunded.record.amount.amountMinor])
    }
}
