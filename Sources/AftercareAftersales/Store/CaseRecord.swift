/// A case as aftersales stores it: the whole record is kept as JSON, with the fields that lists,
/// filters and locks use copied into columns (`AftersalesStore`).
struct CaseRecord: Codable, Sendable, Hashable {
    var caseID: String
    var kind: CaseKind
    var state: CaseState
    /// The version token: raised by every history entry.
    var version: Int64
    var orderID: String
    var buyerID: String
    var sellerID: String
    var reason: CaseReason
    var description: String
    var lines: [CaseLineRecord]
    var requested: Amount
    /// What the case will refund (the requested amount until an offer, inspection or ruling).
    var amount: Amount
    var replacementSKU: String
    /// The facts of the last review.
    var facts: ApplicationFacts
    var decision: DecisionSummary?
    var offer: OfferRecord?
    var escalationUsed = false
    var evidenceRequestedFrom: CaseParty?
    var evidenceWindowClosed = false
    var cancellation: CaseFacts.Cancellation?
    var returnPickedUp = false
    var returnShipment: CaseShipment?
    var replacementShipment: CaseShipment?
    var backToBuyerShipment: CaseShipment?
    /// Every carrier event's shipment and its furthest event, also for shipments the case has not
    /// recorded yet (`Cases.catchUp`).
    var carrierProgress: [String: String] = [:]
    var failureReason = ""
    var manualPayoutReference = ""
    var refundID = ""
    var convertedFromCaseID = ""
    var convertedToCaseID = ""
    var createdAtMicros: Int64
    var updatedAtMicros: Int64
    var closedAtMicros: Int64?

    /// The kind's machine.
    var machine: CaseMachine { CaseMachine.machine(for: self.kind) }

    /// Whether the case is in a terminal state.
    var isClosed: Bool { self.machine.terminalStates.contains(self.state) }
}

/// The parties of a case who act or add evidence.
enum CaseParty: String, Codable, Sendable, Hashable {
    case buyer, seller, platform
}

/// An order line of a case, with its inspection once there is one.
struct CaseLineRecord: Codable, Sendable, Hashable {
    enum Acceptance: String, Codable, Sendable, Hashable { case pending, accepted, rejected }

    var lineID: String
    var sku: String
    var category: String
    var quantity: Int64
    var unitPrice: Amount
    var acceptance = Acceptance.pending
    var receivedOK: Int64 = 0
    var damaged: Int64 = 0
    var wrongItem: Int64 = 0
    var short: Int64 = 0

    /// "restock" (everything received in order), "quarantine" (something damaged or wrong),
    /// "dispose" (nothing came back); empty until inspected.
    var disposition: String {
        guard self.acceptance != .pending else { return "" }
        if self.damaged + self.wrongItem > 0 { return "quarantine" }
        return self.receivedOK > 0 ? "restock" : "dispose"
    }

    /// Records an inspection of this line.
    mutating func inspect(receivedOK: Int64, damaged: Int64, wrongItem: Int64, short: Int64) {
        self.receivedOK = receivedOK
        self.damaged = damaged
        self.wrongItem = wrongItem
        self.short = short
        self.acceptance = receivedOK > 0 ? .accepted : .rejected
    }
}

/// The review decision in force on a case, as the case shows it.
struct DecisionSummary: Codable, Sendable, Hashable {
    var decisionID: String
    var outcome: ReviewOutcome
    var decidingRule: String
    var sellerMayRefuse: Bool
    var sentence: String
    var policyVersion: String
}

/// The seller's counter-offer.
struct OfferRecord: Codable, Sendable, Hashable {
    var kind: CaseFacts.Offer
    var amount: Amount?
    var note: String
}

/// One of a case's shipments, as its saga recorded it.
struct CaseShipment: Codable, Sendable, Hashable {
    var shipmentID: String
    var carrier: String
    var trackingNumber: String
    var labelURI: String
    var lastEvent: String = ""
}

/// One immutable entry of a case's history.
struct HistoryEntryRecord: Codable, Sendable, Hashable {
    var seq: Int64
    var event: String
    var actor: String
    var actorID: String
    var from: String
    var to: String
    var atMicros: Int64
    var reasonCode: String = ""
    var note: String = ""
    var decisionID: String = ""
    var sagaID: String = ""
    var sagaStep: String = ""
    var traceID: String = ""
    var recordedOnly = false
    var effects: [String] = []
}

/// An evidence item.
struct EvidenceRecord: Codable, Sendable, Hashable {
    enum Kind: String, Codable, Sendable, Hashable { case photo, video, text }

    var evidenceID: String
    var caseID: String
    var kind: Kind
    var uri: String
    var sha256: String
    var text: String
    var party: CaseParty
    var uploaderID: String
    var stage: CaseState
    var addedAtMicros: Int64
}

/// A durable timer of a case: the latest run of that timer.
struct TimerRecord: Codable, Sendable, Hashable {
    enum Status: String, Codable, Sendable, Hashable { case running, stopped, fired }

    var caseID: String
    var timer: CaseTimer
    var status: Status
    var startedAtMicros: Int64
    var deadlineMicros: Int64
    var endedAtMicros: Int64?
}
