import AftercareAftersalesAPI
import AftercareRPC

extension CaseRecord {
    /// The case as the API answers it, with its evidence and timers.
    func proto(evidence: [EvidenceRecord], timers: [TimerRecord]) -> Aftercare_Aftersales_V1_Case {
        var message = Aftercare_Aftersales_V1_Case()
        message.caseID = self.caseID
        message.kind = self.kind.proto
        message.state = self.state.rawValue
        message.closed = self.isClosed
        message.version = UInt64(self.version)
        message.orderID = self.orderID
        message.buyerID = self.buyerID
        message.sellerID = self.sellerID
        message.reason = self.reason.proto
        message.description_p = self.description
        message.lines = self.lines.map(\.proto)
        message.requested = self.requested.message
        message.amount = self.amount.message
        message.replacementSku = self.replacementSKU
        if let decision = self.decision { message.decision = decision.proto }
        if let offer = self.offer { message.offer = offer.proto }
        message.escalationUsed = self.escalationUsed
        message.evidenceRequestedFrom = self.evidenceRequestedFrom?.proto ?? .unspecified
        message.evidenceWindowClosed = self.evidenceWindowClosed
        message.cancellation = self.cancellation?.rawValue ?? ""
        message.returnPickedUp = self.returnPickedUp
        if let shipment = self.returnShipment { message.returnShipment = shipment.proto }
        if let shipment = self.replacementShipment { message.replacementShipment = shipment.proto }
        if let shipment = self.backToBuyerShipment { message.backToBuyerShipment = shipment.proto }
        message.failureReason = self.failureReason
        message.manualPayoutReference = self.manualPayoutReference
        message.refundID = self.refundID
        message.convertedFromCaseID = self.convertedFromCaseID
        message.convertedToCaseID = self.convertedToCaseID
        message.evidence = evidence.map(\.proto)
        message.timers = timers.map(\.proto)
        message.createdAtUnixMicros = self.createdAtMicros
        message.updatedAtUnixMicros = self.updatedAtMicros
        message.closedAtUnixMicros = self.closedAtMicros ?? 0
        return message
    }
}

extension CaseLineRecord {
    init(_ proto: Aftercare_Aftersales_V1_CaseLine) {
        self.init(
            lineID: proto.lineID, sku: proto.sku, category: proto.category, quantity: proto.quantity, unitPrice: Amount(proto.unitPrice))
    }

    var proto: Aftercare_Aftersales_V1_CaseLine {
        var message = Aftercare_Aftersales_V1_CaseLine()
        message.lineID = self.lineID
        message.sku = self.sku
        message.category = self.category
        message.quantity = self.quantity
        message.unitPrice = self.unitPrice.message
        message.acceptance =
            switch self.acceptance {
            case .pending: .pending
            case .accepted: .accepted
            case .rejected: .rejected
            }
        message.receivedOk = self.receivedOK
        message.damaged = self.damaged
        message.wrongItem = self.wrongItem
        message.short = self.short
        message.disposition = self.disposition
        return message
    }
}

extension DecisionSummary {
    var proto: Aftercare_Aftersales_V1_DecisionSummary {
        var message = Aftercare_Aftersales_V1_DecisionSummary()
        message.decisionID = self.decisionID
        message.outcome = self.outcome.rawValue
        message.decidingRule = self.decidingRule
        message.sellerMayRefuse = self.sellerMayRefuse
        message.sentence = self.sentence
        message.policyVersion = self.policyVersion
        return message
    }
}

extension OfferRecord {
    var proto: Aftercare_Aftersales_V1_CounterOffer {
        var message = Aftercare_Aftersales_V1_CounterOffer()
        message.kind = self.kind.proto
        if let amount = self.amount { message.amount = amount.message }
        message.note = self.note
        return message
    }
}

extension CaseShipment {
    init(_ proto: Aftercare_Aftersales_V1_CaseShipment) {
        self.init(shipmentID: proto.shipmentID, carrier: proto.carrier, trackingNumber: proto.trackingNumber, labelURI: proto.labelUri)
    }

    var proto: Aftercare_Aftersales_V1_CaseShipment {
        var message = Aftercare_Aftersales_V1_CaseShipment()
        message.shipmentID = self.shipmentID
        message.carrier = self.carrier
        message.trackingNumber = self.trackingNumber
        message.labelUri = self.labelURI
        message.lastEvent = self.lastEvent
        return message
    }
}

extension HistoryEntryRecord {
    var proto: Aftercare_Aftersales_V1_HistoryEntry {
        var message = Aftercare_Aftersales_V1_HistoryEntry()
        message.seq = self.seq
        message.event = self.event
        message.actor = self.actor
        message.actorID = self.actorID
        message.fromState = self.from
        message.toState = self.to
        message.atUnixMicros = self.atMicros
        message.reasonCode = self.reasonCode
        message.note = self.note
        message.decisionID = self.decisionID
        message.sagaID = self.sagaID
        message.sagaStep = self.sagaStep
        message.traceID = self.traceID
        message.recordedOnly = self.recordedOnly
        message.effects = self.effects
        return message
    }
}

extension EvidenceRecord {
    var proto: Aftercare_Aftersales_V1_Evidence {
        var message = Aftercare_Aftersales_V1_Evidence()
        message.evidenceID = self.evidenceID
        message.kind = self.kind.proto
        message.uri = self.uri
        message.sha256 = self.sha256
        message.text = self.text
        message.uploadedBy = self.party.proto
        message.uploaderID = self.uploaderID
        message.stage = self.stage.rawValue
        message.addedAtUnixMicros = self.addedAtMicros
        return message
    }
}

extension TimerRecord {
    var proto: Aftercare_Aftersales_V1_CaseTimer {
        var message = Aftercare_Aftersales_V1_CaseTimer()
        message.name = self.timer.rawValue
        message.status =
            switch self.status {
            case .running: .running
            case .stopped: .stopped
            case .fired: .fired
            }
        message.startedAtUnixMicros = self.startedAtMicros
        message.deadlineUnixMicros = self.deadlineMicros
        message.endedAtUnixMicros = self.endedAtMicros ?? 0
        return message
    }
}
