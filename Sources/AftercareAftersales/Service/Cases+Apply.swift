import AftercareAftersalesAPI
import AftercareRPC
import AftercareServiceKit
import AftercareWire
import Logging

extension Cases {
    /// Applies `action` to `record` through its kind's machine: FAILED_PRECONDITION naming the state
    /// when the machine refuses (nothing written); otherwise the effects, the new state, a history
    /// entry, the feed events, and what the transition asks to run next (a review again, a linked
    /// case). A carrier event on a closed case is kept in the history only.
    @discardableResult
    func apply(_ action: CaseEventRequest, to record: inout CaseRecord, context: ServerContext?, in db: any SQLConnection) throws -> HistoryEntryRecord {
        let transition = try self.transition(for: action, on: record)
        let now = self.clock.nowMicros
        let from = record.state
        record.version += 1
        record.updatedAtMicros = now
        var entry = HistoryEntryRecord(
            seq: record.version, event: action.event.rawValue, actor: action.actor, actorID: action.actorID, from: from.rawValue,
            to: transition.to.rawValue, atMicros: now, reasonCode: action.reasonCode, note: action.note,
            decisionID: action.decision?.id ?? "", recordedOnly: transition.recordedOnly,
            effects: transition.effects.map(\.description))
        Self.stamp(&entry, context: context)
        for var evidence in action.evidence {
            evidence.stage = from
            try self.store.insert(evidence, in: db)
        }
        if case .timer(let timer) = action.event.source {
            try self.endTimer(timer, of: record.caseID, as: .fired, in: db)
        }
        var followUps = FollowUps()
        for effect in transition.effects {
            try self.perform(effect, of: action, on: &record, followUps: &followUps, at: now, in: db)
        }
        if !action.refundID.isEmpty { record.refundID = action.refundID }
        record.state = transition.to
        let closes = transition.isTerminal && transition.to != from
        if closes { record.closedAtMicros = now }
        try self.store.update(record, in: db)
        try self.store.append(entry, caseID: record.caseID, in: db)
        CaseMetrics.transitioned(record, from: from, in: db)
        if let carrier = action.carrier, !carrier.eventID.isEmpty {
            try self.store.keepCarrierEvent(carrier.eventID, caseID: record.caseID, seq: entry.seq, in: db)
        }
        let message = try self.message(record, in: db)
        try self.publish(AftersalesEventTypes.changed, message, entry: entry, context: context, in: db)
        if let saga = followUps.saga { try self.publishSaga(saga, message, entrySeq: entry.seq, context: context, in: db) }
        if closes {
            try self.publish(AftersalesEventTypes.closed, message, entry: entry, context: context, in: db)
        }
        db.logCommitted(
            context?.logger, "case event applied",
            metadata: [
                "case.id": "\(record.caseID)", "case.event": "\(action.event.rawValue)", "case.from": "\(from.rawValue)",
                "case.to": "\(transition.to.rawValue)", "case.version": "\(record.version)",
            ])
        if var linked = followUps.linked {
            try self.insertLinked(&linked, from: record, entry: entry, context: context, in: db)
        }
        if followUps.evaluateAgain {
            try self.evaluate(&record, freshFacts: action.freshFacts, context: context, in: db)
        }
        if transition.to != from || transition.effects.contains(.recordLabel) || transition.effects.contains(.recordTracking) {
            try self.catchUp(&record, context: context, in: db)
        }
        return entry
    }

    /// What the machine says to `action` on `record`, as the RPC error when it refuses.
    private func transition(for action: CaseEventRequest, on record: CaseRecord) throws -> CaseTransition {
        do {
            return try record.machine.apply(action.event, in: record.state, facts: action.facts(on: record))
        } catch {
            if record.isClosed && (action.event.isCarrierProgress || action.event == .returnToBuyerShipmentCreated) {
                // News about a parcel never bounces off a closed case: a carrier event, or the
                // back-to-buyer shipment whose delivery closed the case before it was recorded.
                let effect: CaseEffect = action.event.isCarrierProgress ? .recordCarrierEvent : .recordTracking
                return CaseTransition(
                    kind: record.kind, from: record.state, event: action.event, to: record.state, effects: [effect],
                    recordedOnly: true, isTerminal: true)
            }
            throw error.rpcError
        }
    }

    /// What a transition's effects ask for after the case is saved.
    struct FollowUps {
        var saga: CaseSaga?
        var linked: CaseRecord?
        var evaluateAgain = false
    }

    /// Runs one effect of the transition made at `now` (its history entry's time).
    private func perform(
        _ effect: CaseEffect, of action: CaseEventRequest, on record: inout CaseRecord, followUps: inout FollowUps, at now: Int64,
        in db: any SQLConnection
    ) throws {
        switch effect {
        case .recordDecision:
            guard let (decisionID, decision) = action.decision else { return }
            try self.store.keep(self.policy, atMicros: now, in: db)
            try self.store.insert(decisionID: decisionID, caseID: record.caseID, decision, atMicros: now, in: db)
            record.facts = decision.facts
            record.decision = DecisionSummary(
                decisionID: decisionID, outcome: decision.outcome, decidingRule: decision.decidingRule,
                sellerMayRefuse: decision.sellerMayRefuse, sentence: decision.sentence, policyVersion: decision.policyVersion)
        case .evaluateAgain:
            followUps.evaluateAgain = true
        case .startTimer(let timer):
            try self.store.save(
                TimerRecord(
                    caseID: record.caseID, timer: timer, status: .running, startedAtMicros: now,
                    deadlineMicros: now + self.policy.seconds(of: timer) * 1_000_000),
                in: db)
        case .stopTimer(let timer):
            try self.endTimer(timer, of: record.caseID, as: .stopped, in: db)
        case .startSaga(let saga):
            followUps.saga = saga
        case .setAmount(let source):
            record.amount = Self.amount(source, of: action, on: record)
        case .recordOffer:
            record.offer = action.offer
        case .openLinkedCase(let kind):
            let linked = self.linkedCase(kind, from: record, atMicros: now)
            record.convertedToCaseID = linked.caseID
            followUps.linked = linked
        case .useEscalation:
            record.escalationUsed = true
        case .recordEvidenceRequest:
            record.evidenceRequestedFrom = action.party
            record.evidenceWindowClosed = false
        case .closeEvidenceWindow:
            record.evidenceWindowClosed = true
        case .recordLabel:
            record.keep(action.shipment, as: .return)
        case .recordTracking:
            record.keep(action.shipment, as: action.event == .returnToBuyerShipmentCreated ? .backToBuyer : .replacement)
        case .recordCarrierEvent:
            guard let carrier = action.carrier else { return }
            record.note(carrier)
        case .implyPickUp:
            record.returnPickedUp = true
        case .recordCancellation:
            record.cancellation = action.event == .buyerWithdraw ? .buyerWithdrew : .shipByExpired
        case .recordInspection:
            for line in action.inspection ?? [] {
                guard let index = record.lines.firstIndex(where: { $0.lineID == line.lineID }) else { continue }
                record.lines[index].inspect(receivedOK: line.receivedOK, damaged: line.damaged, wrongItem: line.wrongItem, short: line.short)
            }
        case .acceptEveryLine:
            for index in record.lines.indices {
                record.lines[index].inspect(receivedOK: record.lines[index].quantity, damaged: 0, wrongItem: 0, short: 0)
            }
        case .recordFailureReason:
            record.failureReason = action.failureReason
        case .recordManualPayout:
            record.manualPayoutReference = action.reference
        }
    }

    /// Marks a running timer stopped or fired; one that is not running is left as it is.
    func endTimer(_ timer: CaseTimer, of caseID: String, as status: TimerRecord.Status, in db: any SQLConnection) throws {
        guard var record = try self.store.timers(caseID, in: db).first(where: { $0.timer == timer }), record.status == .running else {
            return
        }
        record.status = status
        record.endedAtMicros = self.clock.nowMicros
        try self.store.save(record, in: db)
    }

    /// The case's new amount from `source`.
    static func amount(_ source: CaseEffect.AmountSource, of action: CaseEventRequest, on record: CaseRecord) -> Amount {
        switch source {
        case .counterOffer: record.offer?.amount ?? record.amount
        case .ruling: action.amount ?? record.amount
        case .fullApproved: record.amount
        case .inspected: InspectedAmount.of(record.lines, approved: record.amount)
        }
    }
}
