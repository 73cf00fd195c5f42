@testable import AftercareAftersales

/// Records the store suites write directly, without the service.
enum StoreFixtures {
    /// A refund-only case of buyer_1 and seller_1 on `lines` of `order`, requesting 100.00 CNY.
    static func caseRecord(
        _ caseID: String, order: String = "ord_1", lines: [String] = ["line_1"], state: CaseState = .requested, at micros: Int64 = 1_000
    ) -> CaseRecord {
        let requested = Amount(10_000, "CNY")
        let facts = ApplicationFacts(
            kind: .refundOnly, reason: .damaged,
            lines: lines.map { ApplicationFacts.Line(orderLineID: $0, category: "apparel", quantity: 1, casesBefore: 0) },
            requested: requested, orderStatus: .delivered, deliveredAtMicros: micros - 10, promisedDeliveryMicros: micros - 20,
            paid: Amount(30_000, "CNY"), refundable: Amount(30_000, "CNY"), evidence: ApplicationFacts.EvidenceCounts(photos: 1),
            buyer: ApplicationFacts.BuyerTotals(orders: 3, paid: Amount(90_000, "CNY"), refunded: Amount(0, "CNY")), nowMicros: micros)
        return CaseRecord(
            caseID: caseID, kind: .refundOnly, state: state, version: 0, orderID: order, buyerID: "buyer_1", sellerID: "seller_1",
            reason: .damaged, description: "torn seam",
            lines: lines.map { CaseLineRecord(lineID: $0, sku: "sku_\($0)", category: "apparel", quantity: 1, unitPrice: requested) },
            requested: requested, amount: requested, replacementSKU: "", facts: facts, createdAtMicros: micros, updatedAtMicros: micros)
    }

    /// A history entry `seq` of a case, by the buyer.
    static func entry(_ seq: Int64, _ event: String = "evidence added", at micros: Int64 = 1_000) -> HistoryEntryRecord {
        HistoryEntryRecord(seq: seq, event: event, actor: "buyer", actorID: "buyer_1", from: "REQUESTED", to: "REQUESTED", atMicros: micros)
    }
}
