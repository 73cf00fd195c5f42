import Foundation
import SwiftProtobuf

/// A stored record that does not read as the record it should be: a field naming a value this
/// version does not know, or bytes that are not the record.
struct StoredRecordError: Error, CustomStringConvertible {
    let description: String
}

/// Reads a stored enumeration's raw value, naming the field when this version does not know it.
private func known<Value: RawRepresentable<String>>(_ raw: String, _ field: String) throws -> Value {
    guard let value = Value(rawValue: raw) else { throw StoredRecordError(description: "stored \(field) \"\(raw)\" is not known") }
    return value
}

extension CaseRecord {
    /// The record as stored in `cases.record`.
    func storedData() throws -> Data {
        try self.stored.serializedData()
    }

    /// The record stored as `data`.
    init(storedData data: Data) throws {
        try self.init(try Aftercare_Aftersales_Records_V1_StoredCase(serializedBytes: data))
    }

    var stored: Aftercare_Aftersales_Records_V1_StoredCase {
        var stored = Aftercare_Aftersales_Records_V1_StoredCase()
        stored.caseID = self.caseID
        stored.kind = self.kind.rawValue
        stored.state = self.state.rawValue
        stored.version = self.version
        stored.orderID = self.orderID
        stored.buyerID = self.buyerID
        stored.sellerID = self.sellerID
        stored.reason = self.reason.rawValue
        stored.description_p = self.description
        stored.lines = self.lines.map(\.stored)
        stored.requested = self.requested.stored
        stored.amount = self.amount.stored
        stored.replacementSku = self.replacementSKU
        stored.facts = self.facts.stored
        if let decision = self.decision { stored.decision = decision.stored }
        if let offer = self.offer { stored.offer = offer.stored }
        stored.escalationUsed = self.escalationUsed
        stored.evidenceRequestedFrom = self.evidenceRequestedFrom?.rawValue ?? ""
        stored.evidenceWindowClosed = self.evidenceWindowClosed
        stored.cancellation = self.cancellation?.rawValue ?? ""
        stored.returnPickedUp = self.returnPickedUp
        if let shipment = self.returnShipment { stored.returnShipment = shipment.stored }
        if let shipment = self.replacementShipment { stored.replacementShipment = shipment.stored }
        if let shipment = self.backToBuyerShipment { stored.backToBuyerShipment = shipment.stored }
        stored.carrierProgress = self.carrierProgress
        stored.failureReason = self.failureReason
        stored.manualPayoutReference = self.manualPayoutReference
        stored.refundID = self.refundID
        stored.convertedFromCaseID = self.convertedFromCaseID
        stored.convertedToCaseID = self.convertedToCaseID
        stored.createdAtMicros = self.createdAtMicros
        stored.updatedAtMicros = self.updatedAtMicros
        if let closedAt = self.closedAtMicros { stored.closedAtMicros = closedAt }
        return stored
    }

    init(_ stored: Aftercare_Aftersales_Records_V1_StoredCase) throws {
        self.init(
            caseID: stored.caseID,
            kind: try known(stored.kind, "case kind"),
            state: try known(stored.state, "case state"),
            version: stored.version,
            orderID: stored.orderID,
            buyerID: stored.buyerID,
            sellerID: stored.sellerID,
            reason: try known(stored.reason, "case reason"),
            description: stored.description_p,
            lines: try stored.lines.map(CaseLineRecord.init),
            requested: Amount(stored.requested),
            amount: Amount(stored.amount),
            replacementSKU: stored.replacementSku,
            facts: try ApplicationFacts(stored.facts),
            decision: stored.hasDecision ? try DecisionSummary(stored.decision) : nil,
            offer: stored.hasOffer ? try OfferRecord(stored.offer) : nil,
            escalationUsed: stored.escalationUsed,
            evidenceRequestedFrom: stored.evidenceRequestedFrom.isEmpty ? nil : try known(stored.evidenceRequestedFrom, "evidence party"),
            evidenceWindowClosed: stored.evidenceWindowClosed,
            cancellation: stored.cancellation.isEmpty ? nil : try known(stored.cancellation, "cancellation"),
            returnPickedUp: stored.returnPickedUp,
            returnShipment: stored.hasReturnShipment ? CaseShipment(stored.returnShipment) : nil,
            replacementShipment: stored.hasReplacementShipment ? CaseShipment(stored.replacementShipment) : nil,
            backToBuyerShipment: stored.hasBackToBuyerShipment ? CaseShipment(stored.backToBuyerShipment) : nil,
            carrierProgress: stored.carrierProgress,
            failureReason: stored.failureReason,
            manualPayoutReference: stored.manualPayoutReference,
            refundID: stored.refundID,
            convertedFromCaseID: stored.convertedFromCaseID,
            convertedToCaseID: stored.convertedToCaseID,
            createdAtMicros: stored.createdAtMicros,
            updatedAtMicros: stored.updatedAtMicros,
            closedAtMicros: stored.hasClosedAtMicros ? stored.closedAtMicros : nil)
    }
}

extension HistoryEntryRecord {
    /// The entry as stored in `case_history.record`.
    func storedData() throws -> Data {
        var stored = Aftercare_Aftersales_Records_V1_StoredHistoryEntry()
        stored.seq = self.seq
        stored.event = self.event
        stored.actor = self.actor
        stored.actorID = self.actorID
        stored.from = self.from
        stored.to = self.to
        stored.atMicros = self.atMicros
        stored.reasonCode = self.reasonCode
        stored.note = self.note
        stored.decisionID = self.decisionID
        stored.sagaID = self.sagaID
        stored.sagaStep = self.sagaStep
        stored.traceID = self.traceID
        stored.recordedOnly = self.recordedOnly
        stored.effects = self.effects
        return try stored.serializedData()
    }

    /// The entry stored as `data`.
    init(storedData data: Data) throws {
        let stored = try Aftercare_Aftersales_Records_V1_StoredHistoryEntry(serializedBytes: data)
        self.init(
            seq: stored.seq, event: stored.event, actor: stored.actor, actorID: stored.actorID, from: stored.from, to: stored.to,
            atMicros: stored.atMicros, reasonCode: stored.reasonCode, note: stored.note, decisionID: stored.decisionID,
            sagaID: stored.sagaID, sagaStep: stored.sagaStep, traceID: stored.traceID, recordedOnly: stored.recordedOnly,
            effects: stored.effects)
    }
}

extension Amount {
    var stored: Aftercare_Aftersales_Records_V1_StoredAmount {
        var stored = Aftercare_Aftersales_Records_V1_StoredAmount()
        stored.minor = self.minor
        stored.currency = self.currency
        return stored
    }

    init(_ stored: Aftercare_Aftersales_Records_V1_StoredAmount) {
        self.init(stored.minor, stored.currency)
    }
}

extension CaseLineRecord {
    var stored: Aftercare_Aftersales_Records_V1_StoredCaseLine {
        var stored = Aftercare_Aftersales_Records_V1_StoredCaseLine()
        stored.lineID = self.lineID
        stored.sku = self.sku
        stored.category = self.category
        stored.quantity = self.quantity
        stored.unitPrice = self.unitPrice.stored
        stored.acceptance = self.acceptance.rawValue
        stored.receivedOk = self.receivedOK
        stored.damaged = self.damaged
        stored.wrongItem = self.wrongItem
        stored.short = self.short
        return stored
    }

    init(_ stored: Aftercare_Aftersales_Records_V1_StoredCaseLine) throws {
        self.init(
            lineID: stored.lineID, sku: stored.sku, category: stored.category, quantity: stored.quantity,
            unitPrice: Amount(stored.unitPrice), acceptance: try known(stored.acceptance, "line acceptance"),
            receivedOK: stored.receivedOk, damaged: stored.damaged, wrongItem: stored.wrongItem, short: stored.short)
    }
}

extension ApplicationFacts {
    var stored: Aftercare_Aftersales_Records_V1_StoredFacts {
        var stored = Aftercare_Aftersales_Records_V1_StoredFacts()
        stored.kind = self.kind.rawValue
        stored.reason = self.reason.rawValue
        stored.lines = self.lines.map { line in
            var stored = Aftercare_Aftersales_Records_V1_StoredFactsLine()
            stored.orderLineID = line.orderLineID
            stored.category = line.category
            stored.quantity = line.quantity
            stored.casesBefore = Int64(line.casesBefore)
            return stored
        }
        stored.requested = self.requested.stored
        stored.orderStatus = self.orderStatus.rawValue
        if let micros = self.deliveredAtMicros { stored.deliveredAtMicros = micros }
        if let micros = self.promisedDeliveryMicros { stored.promisedDeliveryMicros = micros }
        if let micros = self.completedAtMicros { stored.completedAtMicros = micros }
        stored.paid = self.paid.stored
        stored.refundable = self.refundable.stored
        stored.evidencePhotos = Int64(self.evidence.photos)
        stored.evidenceVideos = Int64(self.evidence.videos)
        stored.evidenceTexts = Int64(self.evidence.texts)
        stored.buyerOrders = self.buyer.orders
        stored.buyerPaid = self.buyer.paid.stored
        stored.buyerRefunded = self.buyer.refunded.stored
        stored.nowMicros = self.nowMicros
        return stored
    }

    init(_ stored: Aftercare_Aftersales_Records_V1_StoredFacts) throws {
        self.init(
            kind: try known(stored.kind, "facts kind"),
            reason: try known(stored.reason, "facts reason"),
            lines: stored.lines.map { line in
                Line(orderLineID: line.orderLineID, category: line.category, quantity: line.quantity, casesBefore: Int(line.casesBefore))
            },
            requested: Amount(stored.requested),
            orderStatus: try known(stored.orderStatus, "facts order status"),
            deliveredAtMicros: stored.hasDeliveredAtMicros ? stored.deliveredAtMicros : nil,
            promisedDeliveryMicros: stored.hasPromisedDeliveryMicros ? stored.promisedDeliveryMicros : nil,
            paid: Amount(stored.paid),
            refundable: Amount(stored.refundable),
            evidence: EvidenceCounts(photos: Int(stored.evidencePhotos), videos: Int(stored.evidenceVideos), texts: Int(stored.evidenceTexts)),
            buyer: BuyerTotals(orders: stored.buyerOrders, paid: Amount(stored.buyerPaid), refunded: Amount(stored.buyerRefunded)),
            nowMicros: stored.nowMicros,
            completedAtMicros: stored.hasCompletedAtMicros ? stored.completedAtMicros : nil)
    }
}

extension DecisionSummary {
    var stored: Aftercare_Aftersales_Records_V1_StoredDecision {
        var stored = Aftercare_Aftersales_Records_V1_StoredDecision()
        stored.decisionID = self.decisionID
        stored.outcome = self.outcome.rawValue
        stored.decidingRule = self.decidingRule
        stored.sellerMayRefuse = self.sellerMayRefuse
        stored.sentence = self.sentence
        stored.policyVersion = self.policyVersion
        return stored
    }

    init(_ stored: Aftercare_Aftersales_Records_V1_StoredDecision) throws {
        self.init(
            decisionID: stored.decisionID, outcome: try known(stored.outcome, "decision outcome"), decidingRule: stored.decidingRule,
            sellerMayRefuse: stored.sellerMayRefuse, sentence: stored.sentence, policyVersion: stored.policyVersion)
    }
}

extension OfferRecord {
    var stored: Aftercare_Aftersales_Records_V1_StoredOffer {
        var stored = Aftercare_Aftersales_Records_V1_StoredOffer()
        stored.kind = self.kind.rawValue
        if let amount = self.amount { stored.amount = amount.stored }
        stored.note = self.note
        return stored
    }

    init(_ stored: Aftercare_Aftersales_Records_V1_StoredOffer) throws {
        self.init(kind: try known(stored.kind, "offer kind"), amount: stored.hasAmount ? Amount(stored.amount) : nil, note: stored.note)
    }
}

extension CaseShipment {
    var stored: Aftercare_Aftersales_Records_V1_StoredShipment {
        var stored = Aftercare_Aftersales_Records_V1_StoredShipment()
        stored.shipmentID = self.shipmentID
        stored.carrier = self.carrier
        stored.trackingNumber = self.trackingNumber
        stored.labelUri = self.labelURI
        stored.lastEvent = self.lastEvent
        return stored
    }

    init(_ stored: Aftercare_Aftersales_Records_V1_StoredShipment) {
        self.init(
            shipmentID: stored.shipmentID, carrier: stored.carrier, trackingNumber: stored.trackingNumber, labelURI: stored.labelUri,
            lastEvent: stored.lastEvent)
    }
}
