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

    /// A case with every field of the record set, none to its default: what a stored record must
    /// give back whole.
    static func everyField() -> CaseRecord {
        var record = self.caseRecord("cas_full", lines: ["line_1", "line_2"], state: .refunding, at: 5_000)
        record.kind = .returnAndRefund
        record.version = 7
        record.amount = Amount(8_000, "CNY")
        record.replacementSKU = "sku_new"
        record.facts.completedAtMicros = 4_000
        record.facts.evidence = ApplicationFacts.EvidenceCounts(photos: 2, videos: 1, texts: 3)
        record.lines[1].inspect(receivedOK: 1, damaged: 2, wrongItem: 3, short: 4)
        record.lines[0].inspect(receivedOK: 0, damaged: 0, wrongItem: 0, short: 1)
        record.decision = DecisionSummary(
            decisionID: "dec_1", outcome: .sellerReview, decidingRule: "high_value", sellerMayRefuse: true, sentence: "Because.",
            policyVersion: "2026-12")
        record.offer = OfferRecord(kind: .amount, amount: Amount(5_000, "CNY"), note: "half")
        record.escalationUsed = true
        record.evidenceRequestedFrom = .seller
        record.evidenceWindowClosed = true
        record.cancellation = .shipByExpired
        record.returnPickedUp = true
        record.returnShipment = CaseShipment(shipmentID: "shp_1", carrier: "sf", trackingNumber: "SF1", labelURI: "label://1", lastEvent: "delivered")
        record.replacementShipment = CaseShipment(shipmentID: "shp_2", carrier: "yto", trackingNumber: "YT2", labelURI: "")
        record.backToBuyerShipment = CaseShipment(shipmentID: "shp_3", carrier: "zto", trackingNumber: "ZT3", labelURI: "label://3")
        record.carrierProgress = ["shp_1": "delivered", "shp_2": "in_transit"]
        record.failureReason = "provider declined"
        record.manualPayoutReference = "bank-77"
        record.refundID = "rfd_1"
        record.convertedFromCaseID = "cas_0"
        record.convertedToCaseID = "cas_2"
        record.closedAtMicros = 9_000
        return record
    }

    /// A history entry with every field set.
    static func everyFieldEntry() -> HistoryEntryRecord {
        HistoryEntryRecord(
            seq: 3, event: "payments.refund", actor: "saga", actorID: "gateway", from: "REFUNDING", to: "REFUNDED", atMicros: 6_000,
            reasonCode: "approved", note: "paid back", decisionID: "dec_1", sagaID: "sg_1", sagaStep: "refund",
            traceID: "4bf92f3577b34da6a3ce929d0e0e4736", recordedOnly: true, effects: ["refund", "notify"])
    }
}
