import AftercareAftersalesAPI
import AftercareRPC
import AftercareServiceKit
import Logging

extension Cases {
    /// A buyer's application: the case in REQUESTED ("opened" in its history, with its evidence),
    /// then reviewed at once by the policy.
    /// Answers the case and the decision its review recorded, as stored (`nil` when it recorded none).
    func open(
        _ application: Application, context: ServerContext, in db: any SQLConnection
    ) throws -> (record: CaseRecord, decision: AftersalesStore.StoredDecision?) {
        let now = self.clock.nowMicros
        let lineFacts = try self.lineFacts(of: application, in: db)
        let caseID = RecordID.make("cas", atMicros: now)
        let evidence = application.evidence.map { $0.with(caseID: caseID, party: .buyer, uploaderID: application.buyerID, stage: .requested, atMicros: now) }
        let facts = ApplicationFacts(
            kind: application.kind, reason: application.reason, lines: lineFacts, requested: application.requested,
            orderStatus: application.order.orderStatus, deliveredAtMicros: application.order.deliveredAtMicros,
            promisedDeliveryMicros: application.order.promisedDeliveryMicros, paid: application.order.paid,
            refundable: application.order.refundable, evidence: Self.counts(evidence), buyer: application.order.buyer, nowMicros: now,
            completedAtMicros: application.order.completedAtMicros)
        var record = CaseRecord(
            caseID: caseID, kind: application.kind, state: .requested, version: 0, orderID: application.orderID,
            buyerID: application.buyerID, sellerID: application.sellerID, reason: application.reason,
            description: application.description, lines: application.lines, requested: application.requested,
            amount: application.requested, replacementSKU: application.replacementSKU, facts: facts, createdAtMicros: now,
            updatedAtMicros: now)
        // The "opened" entry first, so the case is written once, at the version the entry gives it.
        let entry = try self.appendEntry(
            "opened", actor: "buyer", actorID: application.buyerID, to: &record, from: "", context: context, in: db)
        try self.store.insert(record, in: db)
        for item in evidence { try self.store.insert(item, in: db) }
        let message = try self.message(record, in: db)
        try self.publish(AftersalesEventTypes.opened, message, entry: nil, context: context, in: db)
        try self.publish(AftersalesEventTypes.changed, message, entry: entry, context: context, in: db)
        db.logCommitted(
            context.logger, "case opened",
            metadata: ["case.id": "\(caseID)", "case.kind": "\(application.kind.rawValue)", "order.id": "\(application.orderID)"])
        let decision = try self.evaluate(&record, facts: facts, context: context, in: db)
        return (record, decision)
    }

    /// The application's lines as the policy sees them, each with the cases opened on it before;
    /// FAILED_PRECONDITION naming the line when one has a case open. The lines' locks are taken
    /// first, in the order of their ids (``AftersalesStore/lockLine(orderID:lineID:in:)``): two
    /// applications on one line count and check one after the other, on PostgreSQL at any
    /// isolation level too, so a line never has two cases open nor more cases than it counted.
    func lineFacts(of application: Application, in db: any SQLConnection) throws -> [ApplicationFacts.Line] {
        for lineID in Set(application.lines.map(\.lineID)).sorted() {
            try self.store.lockLine(orderID: application.orderID, lineID: lineID, in: db)
        }
        return try application.lines.enumerated().map { index, line in
            let onLine = try self.store.casesOnLine(orderID: application.orderID, lineID: line.lineID, in: db)
            if let open = onLine.open.first {
                throw RPCError.failedPrecondition(
                    "lines[\(index)].line_id: order \(application.orderID) line \(line.lineID) already has case \(open) open")
            }
            return ApplicationFacts.Line(orderLineID: line.lineID, category: line.category, quantity: line.quantity, casesBefore: onLine.count)
        }
    }

    /// Reviews a case in REQUESTED by the policy: with `facts`, or the stored facts brought up to
    /// date (the buyer's evidence now, the clock now), or `freshFacts` from the gateway. Answers the
    /// decision as stored, when it is the one now in force on the case (a transition that records
    /// no decision, or a review after this one, leaves `nil`).
    @discardableResult
    func evaluate(
        _ record: inout CaseRecord, facts: ApplicationFacts? = nil, freshFacts: ApplicationFacts? = nil, context: ServerContext?,
        in db: any SQLConnection
    ) throws -> AftersalesStore.StoredDecision? {
        var seen = facts ?? freshFacts ?? record.facts
        if facts == nil {
            seen.evidence = Self.counts(try self.store.evidence(record.caseID, in: db).filter { $0.party == .buyer })
            seen.nowMicros = self.clock.nowMicros
        }
        let decision = self.policy.decide(seen)
        var action = CaseEventRequest(.evaluate, actor: "review", actorID: "policy \(self.policy.version)")
        let decisionID = RecordID.make("dec", atMicros: self.clock.nowMicros)
        action.decision = (decisionID, decision)
        action.note = decision.sentence
        let entry = try self.apply(action, to: &record, context: context, in: db)
        guard record.decision?.decisionID == decisionID else { return nil }
        // Stored by the transition's `recordDecision`, at the entry's time.
        return AftersalesStore.StoredDecision(decisionID: decisionID, caseID: record.caseID, decidedAtMicros: entry.atMicros, decision: decision)
    }

    /// Evidence counted by kind, as the policy sees it.
    static func counts(_ evidence: [EvidenceRecord]) -> ApplicationFacts.EvidenceCounts {
        ApplicationFacts.EvidenceCounts(
            photos: evidence.count { $0.kind == .photo }, videos: evidence.count { $0.kind == .video },
            texts: evidence.count { $0.kind == .text })
    }

    /// The linked case a conversion opens: the same order, lines, reason and requested amount, in
    /// APPROVED under the original's decision.
    func linkedCase(_ kind: CaseKind, from original: CaseRecord, atMicros now: Int64) -> CaseRecord {
        var facts = original.facts
        facts.kind = kind
        return CaseRecord(
            caseID: RecordID.make("cas", atMicros: now), kind: kind, state: .approved, version: 0, orderID: original.orderID,
            buyerID: original.buyerID, sellerID: original.sellerID, reason: original.reason, description: original.description,
            lines: original.lines.map {
                CaseLineRecord(lineID: $0.lineID, sku: $0.sku, category: $0.category, quantity: $0.quantity, unitPrice: $0.unitPrice)
            },
            requested: original.requested, amount: original.requested, replacementSKU: "", facts: facts, decision: original.decision,
            convertedFromCaseID: original.caseID, createdAtMicros: now, updatedAtMicros: now)
    }

    /// Stores the linked case of a conversion with copies of the original's evidence, and announces
    /// it: opened, its first history entry, and the saga APPROVED starts.
    func insertLinked(_ linked: inout CaseRecord, from original: CaseRecord, entry: HistoryEntryRecord, context: ServerContext?, in db: any SQLConnection)
        throws
    {
        try self.store.insert(linked, in: db)
        let now = self.clock.nowMicros
        for item in try self.store.evidence(original.caseID, in: db) {
            var copy = item
            copy.evidenceID = RecordID.make("evd", atMicros: now)
            copy.caseID = linked.caseID
            try self.store.insert(copy, in: db)
        }
        let saga = linked.machine.sagaOnEntry[.approved]
        let opened = try self.appendEntry(
            "opened", actor: entry.actor, actorID: entry.actorID,
            note: "converted from case \(original.caseID) (\(entry.event) in \(entry.from))",
            effects: saga.map { ["start saga \($0.rawValue)"] } ?? [], to: &linked, from: "", context: context, in: db)
        linked.updatedAtMicros = now
        try self.store.update(linked, in: db)
        let message = try self.message(linked, in: db)
        try self.publish(AftersalesEventTypes.opened, message, entry: nil, context: context, in: db)
        try self.publish(AftersalesEventTypes.changed, message, entry: opened, context: context, in: db)
        if let saga { try self.publishSaga(saga, message, entrySeq: opened.seq, context: context, in: db) }
    }
}

/// A buyer's application, checked (``AftersalesRequestCheck/openCase(_:)``).
struct Application: Sendable {
    var kind: CaseKind
    var orderID: String
    var buyerID: String
    var sellerID: String
    var reason: CaseReason
    var description: String
    var lines: [CaseLineRecord]
    var requested: Amount
    var replacementSKU: String
    var evidence: [EvidenceInput]
    /// What the gateway gathered about the order and the buyer.
    var order: AftersalesRequestCheck.OrderFacts
}

/// Evidence as a caller sent it, checked.
struct EvidenceInput: Sendable, Hashable {
    var kind: EvidenceRecord.Kind
    var uri: String
    var sha256: String
    var text: String

    /// The record of this evidence on a case.
    func with(caseID: String, party: CaseParty, uploaderID: String, stage: CaseState, atMicros: Int64) -> EvidenceRecord {
        EvidenceRecord(
            evidenceID: RecordID.make("evd", atMicros: atMicros), caseID: caseID, kind: self.kind, uri: self.uri, sha256: self.sha256,
            text: self.text, party: party, uploaderID: uploaderID, stage: stage, addedAtMicros: atMicros)
    }
}
