import AftercareAftersalesAPI
import AftercareRPC
import AftercareServiceKit
import AftercareWire
import GRDB
import Logging

extension Cases {
    /// Applies `action` to `record` through its kind's machine: FAILED_PRECONDITION naming the state
    /// when the machine refuses (nothing written); otherwise the effects, the new state, a history
    /// entry, the feed events, and what the transition asks to run next (a review again, a linked
    /// case). A carrier event on a closed case is kept in the history only.
    @discardableResult
    func apply(_ action: CaseAction, to record: inout CaseRecord, context: ServerContext?, in db: Database) throws -> HistoryEntryRecord {
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
            try self.perform(effect, of: action, on: &record, followUps: &followUps, in: db)
        }
        if !action.refundID.isEmpty { record.refundID = action.refundID }
        record.state = transition.to
        if transition.isTerminal && transition.to != from { record.closedAtMicros = now }
        try self.store.update(record, in: db)
        try self.store.append(entry, caseID: record.caseID, in: db)
        if let carrier = action.carrier, !carrier.eventID.isEmpty {
            _ = try self.store.recordCarrierEvent(carrier.eventID, caseID: record.caseID, seq: entry.seq, in: db)
        }
        try self.publish(AftersalesEventTypes.changed, record, entry: entry, context: context, in: db)
        if let saga = followUps.saga { try self.publishSaga(saga, record, entrySeq: entry.seq, context: context, in: db) }
        if transition.isTerminal && transition.to != from {
            try self.publish(AftersalesEventTypes.closed, record, entry: entry, context: context, in: db)
        }
        context?.logger.info(
            "case event applied",
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
        if action.event == .returnCancellationAlreadyPickedUp {
            try self.catchUpOnReturn(&record, context: context, in: db)
        }
        return entry
    }

    /// A return that was delivered (or lost) while its cancellation ran was kept in the history
    /// only; when the cancellation fails because the parcel had been picked up, the case catches
    /// up with that last carrier event, so it never waits in transit for news that already came.
    private func catchUpOnReturn(_ record: inout CaseRecord, context: ServerContext?, in db: Database) throws {
        guard let shipment = record.returnShipment, let event = ["delivered": CaseEvent.carrierDelivered, "lost": .carrierLost][shipment.lastEvent]
        else { return }
        var action = CaseAction(event, actor: "saga", actorID: context?.saga?.sagaID ?? "")
        action.carrier = CaseAction.CarrierEvent(
            shipment: .return, shipmentID: shipment.shipmentID, eventID: "", name: shipment.lastEvent,
            occurredAtMicros: self.clock.nowMicros, description: "")
        action.note = "the return was \(shipment.lastEvent) while its cancellation ran"
        try self.apply(action, to: &record, context: context, in: db)
    }

    /// What the machine says to `action` on `record`, as the RPC error when it refuses.
    private func transition(for action: CaseAction, on record: CaseRecord) throws -> CaseTransition {
        do {
            return try record.machine.apply(action.event, in: record.state, facts: action.facts(on: record))
        } catch {
            if action.event.isCarrierProgress && record.isClosed {
                return CaseTransition(
                    kind: record.kind, from: record.state, event: action.event, to: record.state, effects: [.recordCarrierEvent],
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

    private func perform(
        _ effect: CaseEffect, of action: CaseAction, on record: inout CaseRecord, followUps: inout FollowUps, in db: Database
    ) throws {
        let now = self.clock.nowMicros
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
            record.returnShipment = action.shipment
        case .recordTracking:
            if action.event == .returnToBuyerShipmentCreated {
                record.backToBuyerShipment = action.shipment
            } else {
                record.replacementShipment = action.shipment
            }
        case .recordCarrierEvent:
            guard let carrier = action.carrier else { return }
            Self.note(carrier, on: &record)
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
    func endTimer(_ timer: CaseTimer, of caseID: String, as status: TimerRecord.Status, in db: Database) throws {
        guard var record = try self.store.timers(caseID, in: db).first(where: { $0.timer == timer }), record.status == .running else {
            return
        }
        record.status = status
        record.endedAtMicros = self.clock.nowMicros
        try self.store.save(record, in: db)
    }

    /// Keeps a carrier event on the shipment it is about; a pick-up or delivery of the return
    /// means the goods left the buyer.
    private static func note(_ carrier: CaseAction.CarrierEvent, on record: inout CaseRecord) {
        switch carrier.shipment {
        case .return:
            record.returnShipment?.lastEvent = carrier.name
            if carrier.name == "picked_up" || carrier.name == "delivered" { record.returnPickedUp = true }
        case .replacement:
            record.replacementShipment?.lastEvent = carrier.name
        case .backToBuyer:
            record.backToBuyerShipment?.lastEvent = carrier.name
        }
    }

    /// The case's new amount from `source`.
    static func amount(_ source: CaseEffect.AmountSource, of action: CaseAction, on record: CaseRecord) -> Amount {
        switch source {
        case .counterOffer: record.offer?.amount ?? record.amount
        case .ruling: action.amount ?? record.amount
        case .fullRequested: record.requested
        case .inspected: InspectedAmount.of(record.lines, requested: record.requested)
        }
    }
}
