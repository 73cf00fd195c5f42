/// One event to apply to a case, with who makes it happen and its arguments. Which arguments an
/// event needs is the handler's business (the request checks make sure they are there); the
/// transition's effects read them.
struct CaseEventRequest: Sendable {
    /// A per-line inspection result.
    struct InspectionLine: Sendable, Hashable {
        var lineID: String
        var receivedOK: Int64
        var damaged: Int64
        var wrongItem: Int64
        var short: Int64
    }

    /// A carrier event on one of the case's shipments.
    struct CarrierEvent: Sendable, Hashable {
        var shipment: CaseFacts.Shipment
        var shipmentID: String
        var eventID: String
        /// Logistics' name: "picked_up", "delivered", "lost", "in_transit", ….
        var name: String
        var occurredAtMicros: Int64
        var description: String
    }

    var event: CaseEvent
    /// "buyer", "seller", "platform", "operator", "review", "timer" or "saga".
    var actor: String
    var actorID: String
    var reasonCode = ""
    var note = ""
    /// The review decision `evaluate` applies, with its new id.
    var decision: (id: String, decision: ReviewDecision)?
    /// Evidence the action carries (kept with the case).
    var evidence: [EvidenceRecord] = []
    var offer: OfferRecord?
    var inspection: [InspectionLine]?
    /// A platform ruling's amount.
    var amount: Amount?
    /// A shipment a saga created (label or tracking).
    var shipment: CaseShipment?
    var carrier: CarrierEvent?
    /// Why a saga failed (the provider's reason, nothing refundable, out of stock).
    var failureReason = ""
    /// A manual payout's reference.
    var reference = ""
    /// The payment refund a Refund saga made.
    var refundID = ""
    /// The party the platform asks for evidence.
    var party: CaseParty?
    /// Fresh facts for a review that runs again.
    var freshFacts: ApplicationFacts?

    init(_ event: CaseEvent, actor: String, actorID: String) {
        self.event = event
        self.actor = actor
        self.actorID = actorID
    }

    /// The guard facts of this action on `record`.
    func facts(on record: CaseRecord) -> CaseFacts {
        CaseFacts(
            reviewOutcome: self.decision?.decision.outcome,
            sellerMayRefuse: record.decision?.sellerMayRefuse ?? true,
            hasReasonCode: !self.reasonCode.isEmpty,
            actionEvidenceCount: self.evidence.count,
            offer: self.offer?.kind ?? record.offer?.kind,
            escalationUsed: record.escalationUsed,
            somethingAccepted: self.inspection.map { $0.contains { $0.receivedOK > 0 } }
                ?? record.lines.contains { $0.receivedOK > 0 },
            cancellation: record.cancellation,
            goodsWithBuyer: !record.returnPickedUp,
            shipment: self.carrier?.shipment)
    }
}
