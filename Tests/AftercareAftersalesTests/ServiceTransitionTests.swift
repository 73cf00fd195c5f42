@testable import AftercareAftersales
import AftercareAftersalesAPI
import AftercareRPC
import AftercareServiceKit
import Testing

/// Every row of every case machine made by the service: a new case driven through the RPCs into
/// the row's `from` state, then the row's event sent with arguments under which its guards hold.
/// The case must be in the row's `to` state, with the row in its history, one version per entry,
/// the feed's events, and the timers the row starts, stops and fires.
@Suite("The service makes every row of the case machines", .serialized)
struct ServiceTransitionTests {
    /// The case before the row's call (nothing before OpenCase).
    struct Before {
        var version: UInt64 = 0
        var entries = 0
        var events = 0
        var timers: [String: Aftercare_Aftersales_V1_CaseTimer] = [:]
    }

    @Test(arguments: ServiceRow.all)
    func theServiceMakesTheRow(_ row: ServiceRow) async throws {
        try await AftersalesHarness.run(policy: row.policy) { harness in
            var driver = ServiceDriver(harness, kind: row.kind)
            driver.disputeAccepts = row.rule.guards.contains(.somethingAccepted)
            for (index, step) in row.path.enumerated() {
                let firing: ServiceDriver.Firing = index.isMultiple(of: 2) ? .backgroundPass : .touch
                let reached = try await driver.send(step, firing: firing)
                try #require(reached.record.state == step.to.rawValue, "step \(index + 1), \(step.event.rawValue) from \(step.from.rawValue)")
            }
            var before = Before()
            if !driver.caseID.isEmpty {
                let current = try await harness.get(driver.caseID)
                before = Before(
                    version: current.record.version, entries: current.history.count, events: try await harness.eventTrail(driver.caseID).count,
                    timers: Dictionary(uniqueKeysWithValues: current.record.timers.map { ($0.name, $0) }))
            }

            let response: Aftercare_Aftersales_V1_CaseResponse
            switch row.way {
            case .application: response = try await driver.open(reviewedAs: row.outcome!)
            case .reviewAgain: response = try await driver.addEvidence(reviewedAs: row.outcome!)
            case .fired(let firing): response = try await driver.send(row.rule, firing: firing)
            case .call: response = try await driver.send(row.rule)
            }
            let now = harness.clock.nowMicros
            let after = try await harness.get(driver.caseID)
            let (transitions, rowIndex) = row.transitions

            // The state, and the history: the row's entry, then what its call also ran.
            #expect(response.record.state == transitions.last!.to.rawValue)
            #expect(after.record.state == transitions.last!.to.rawValue)
            #expect(after.record.closed == row.machine.terminalStates.contains(transitions.last!.to))
            let entries = Array(after.history.dropFirst(before.entries))
            var expected = transitions.map { "\($0.event.rawValue): \($0.from.rawValue) → \($0.to.rawValue)" }
            if row.way == .application { expected.insert("opened:  → REQUESTED", at: 0) }
            #expect(entries.map { "\($0.event): \($0.fromState) → \($0.toState)" } == expected)
            let rowEntry = try #require(entries.dropFirst(entries.count - transitions.count + rowIndex).first)
            #expect(rowEntry.event == row.rule.event.rawValue && rowEntry.fromState == row.rule.from.rawValue)
            #expect(rowEntry.toState == row.rule.to.rawValue)
            for (entry, transition) in zip(entries.suffix(transitions.count), transitions) {
                #expect(entry.effects == transition.effects.map(\.description), "\(entry.event)")
                #expect(!entry.recordedOnly)
            }

            // One version per history entry.
            #expect(after.record.version == before.version + UInt64(entries.count))
            #expect(entries.map(\.seq) == Array(Int64(before.version) + 1...Int64(after.record.version)))

            // The feed: changed per entry, saga_requested after the entry that starts a saga,
            // closed when the case closes.
            var trail = row.way == .application ? ["opened", "changed: opened"] : []
            for transition in transitions {
                trail.append("changed: \(transition.event.rawValue)")
                for case .startSaga(let saga) in transition.effects { trail.append("saga_requested: \(saga.rawValue)") }
                if transition.isTerminal && transition.to != transition.from { trail.append("closed: \(transition.event.rawValue)") }
            }
            #expect(Array(try await harness.eventTrail(driver.caseID).dropFirst(before.events)) == trail)

            // Timers: a firing one FIRED, stopped ones STOPPED, started ones RUNNING with the
            // policy's deadline; the others as they were.
            var timers = before.timers
            for transition in transitions {
                if case .timer(let timer) = transition.event.source {
                    timers[timer.rawValue]?.status = .fired
                    timers[timer.rawValue]?.endedAtUnixMicros = now
                }
                for effect in transition.effects {
                    switch effect {
                    case .startTimer(let timer):
                        var started = Aftercare_Aftersales_V1_CaseTimer()
                        started.name = timer.rawValue
                        started.status = .running
                        started.startedAtUnixMicros = now
                        started.deadlineUnixMicros = now + row.policy.seconds(of: timer) * 1_000_000
                        timers[timer.rawValue] = started
                    case .stopTimer(let timer) where timers[timer.rawValue]?.status == .running:
                        timers[timer.rawValue]?.status = .stopped
                        timers[timer.rawValue]?.endedAtUnixMicros = now
                    default:
                        break
                    }
                }
            }
            #expect(Dictionary(uniqueKeysWithValues: after.record.timers.map { ($0.name, $0) }) == timers)

            try await Self.checkEffects(of: row, on: after, harness: harness)
        }
    }

    /// What the row's own effects leave on the case.
    static func checkEffects(of row: ServiceRow, on after: Aftercare_Aftersales_V1_CaseResponse, harness: AftersalesHarness) async throws {
        let record = after.record
        for effect in row.rule.effects {
            switch effect {
            case .recordDecision:
                #expect(record.decision.outcome == row.outcome?.rawValue)
            case .setAmount(let source):
                let amount: Int64 =
                    switch source {
                    case .counterOffer: 8_000
                    // An exchange's ruling means "exchange": its amount is ignored.
                    case .ruling: row.kind == .exchange ? record.requested.amountMinor : 9_000
                    case .fullApproved: record.requested.amountMinor
                    case .inspected:
                        record.requested.amountMinor * record.lines.reduce(0) { $0 + $1.receivedOk * $1.unitPrice.amountMinor }
                            / record.lines.reduce(0) { $0 + $1.quantity * $1.unitPrice.amountMinor }
                    }
                #expect(record.amount.amountMinor == amount, "\(source)")
            case .recordOffer:
                #expect(record.offer.kind == (row.rule.guards.contains(.offerIsReturnRequired) ? .returnRequired : .amount))
            case .openLinkedCase(let kind):
                let linked = try await harness.get(record.convertedToCaseID)
                #expect(linked.record.kind == ServiceDriver(harness, kind: kind).wireKind)
                #expect(linked.record.state == "APPROVED" && linked.record.convertedFromCaseID == record.caseID)
                let saga = CaseMachine.machine(for: kind).sagaOnEntry[.approved]!
                #expect(try await harness.eventTrail(linked.record.caseID) == ["opened", "changed: opened", "saga_requested: \(saga.rawValue)"])
            case .useEscalation:
                #expect(record.escalationUsed)
            case .recordEvidenceRequest:
                #expect(record.evidenceRequestedFrom == .seller && !record.evidenceWindowClosed)
            case .closeEvidenceWindow:
                #expect(record.evidenceWindowClosed)
            case .recordLabel:
                #expect(record.returnShipment.shipmentID == ServiceDriver.shipmentID(.return))
            case .recordTracking:
                let shipment = row.rule.event == .returnToBuyerShipmentCreated ? record.backToBuyerShipment : record.replacementShipment
                #expect(!shipment.shipmentID.isEmpty)
            case .implyPickUp:
                #expect(record.returnPickedUp)
            case .recordCancellation:
                #expect(record.cancellation == (row.rule.event == .buyerWithdraw ? "buyer_withdrew" : "ship_by_expired"))
            case .recordInspection:
                #expect(record.lines.allSatisfy { $0.acceptance != .pending })
            case .acceptEveryLine:
                #expect(record.lines.allSatisfy { $0.acceptance == .accepted && $0.receivedOk == $0.quantity })
            case .recordFailureReason:
                #expect(!record.failureReason.isEmpty)
            case .recordManualPayout:
                #expect(record.manualPayoutReference == "payout_1")
            case .recordCarrierEvent:
                #expect(!after.history.last!.recordedOnly)
            case .evaluateAgain, .startTimer, .stopTimer, .startSaga:
                break  // checked with the history, the timers and the feed
            }
        }
    }

    @Test("the rows no call can reach: a case is never at rest in REQUESTED", arguments: CaseKind.allCases)
    func theOnlyRowsNoCallReaches(kind: CaseKind) {
        // OpenCase and the buyer's AddEvidence in AWAITING_EVIDENCE review the case in the same
        // transaction, so `REQUESTED --buyer.withdraw-->` cannot be sent through the service.
        #expect(ServiceRow.undrivable(kind).map { "\($0.from.rawValue) \($0.event.rawValue)" } == ["REQUESTED buyer.withdraw"])
    }

    @Test("every row is driven, every timer row both ways")
    func everyRowIsDriven() {
        let rules = CaseKind.allCases.reduce(0) { $0 + CaseMachine.machine(for: $1).rules.count }
        let driven = Set(ServiceRow.all.map { "\($0.kind) \($0.rule)" })
        #expect(driven.count == rules - CaseKind.allCases.count)
    }
}
