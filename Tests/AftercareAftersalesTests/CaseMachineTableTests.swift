import AftercareAftersalesAPI
import AftercareRPC
import Testing

@testable import AftercareAftersales

/// Properties of the machines read from their own tables: every row does what it says, terminal
/// states accept nothing, every state is reachable, rows of one state and event never overlap.
@Suite struct CaseMachineTableTests {
    static let machines = CaseKind.allCases.map(CaseMachine.machine(for:))

    @Test(arguments: machines.flatMap { machine in machine.rules.map { (machine.kind, $0) } })
    func everyRowOfTheTableIsALegalTransition(kind: CaseKind, rule: CaseTransitionRule) throws {
        let machine = CaseMachine.machine(for: kind)
        let transition = try machine.apply(rule.event, in: rule.from, facts: .satisfying(rule.guards))
        #expect(transition.to == rule.to)
        #expect(transition.from == rule.from)
        #expect(!transition.recordedOnly)
        for effect in rule.effects { #expect(transition.effects.contains(effect)) }
        #expect(transition.isTerminal == machine.terminalStates.contains(rule.to))
    }

    @Test(arguments: CaseKind.allCases)
    func terminalStatesAcceptNothing(kind: CaseKind) {
        let machine = CaseMachine.machine(for: kind)
        #expect(!machine.terminalStates.isEmpty)
        for state in machine.terminalStates {
            #expect(!machine.rules.contains { $0.from == state }, "\(state) has outgoing rows")
            for event in CaseEvent.allCases {
                for facts in [CaseFacts(), CaseFacts.permissive] {
                    #expect(throws: CaseRefusal.self, "\(kind) \(state) accepted \(event)") {
                        try machine.apply(event, in: state, facts: facts)
                    }
                }
            }
        }
    }

    @Test(arguments: CaseKind.allCases)
    func everyStateIsReachableFromRequestedAndEveryPathCanEnd(kind: CaseKind) {
        let machine = CaseMachine.machine(for: kind)
        var reached: Set<CaseState> = [.requested]
        var frontier: [CaseState] = [.requested]
        while let state = frontier.popLast() {
            for rule in machine.rules where rule.from == state && reached.insert(rule.to).inserted {
                frontier.append(rule.to)
            }
        }
        #expect(reached == Set(machine.states))
        for state in machine.states where !machine.terminalStates.contains(state) {
            #expect(machine.rules.contains { $0.from == state && $0.to != state }, "\(state) has no way out")
        }
    }

    @Test(arguments: CaseKind.allCases)
    func rowsOfOneStateAndEventHaveExclusiveGuards(kind: CaseKind) throws {
        let machine = CaseMachine.machine(for: kind)
        for rule in machine.rules {
            let siblings = machine.rules.filter { $0.from == rule.from && $0.event == rule.event && $0 != rule }
            for sibling in siblings {
                #expect(
                    !sibling.guards.allSatisfy { $0.holds(.satisfying(rule.guards)) },
                    "\(rule.from) \(rule.event.rawValue): \(rule.guards) also satisfies \(sibling.guards)")
            }
        }
    }

    @Test func sagasStartOnEntryAsTheSpecificationSays() {
        #expect(CaseMachine.refundOnly.sagaOnEntry == [.approved: .refund])
        #expect(
            CaseMachine.returnAndRefund.sagaOnEntry == [
                .approved: .returnSetup, .returnCancelling: .returnCancellation, .returningToBuyer: .returnToBuyer,
                .refundApproved: .refund,
            ])
        #expect(
            CaseMachine.exchange.sagaOnEntry == [
                .approved: .returnSetup, .returnCancelling: .returnCancellation, .returningToBuyer: .returnToBuyer,
                .returnAccepted: .exchangeFulfilment,
            ])
    }

    @Test func timerDefaultsAreTheSpecifications() {
        let hour: Int64 = 3600
        let expected: [CaseTimer: Int64] = [
            .seller: 48 * hour, .evidence: 72 * hour, .offer: 72 * hour, .escalate: 168 * hour, .arbiter: 72 * hour,
            .ship: 168 * hour, .confirm: 168 * hour, .inspect: 48 * hour,
        ]
        for timer in CaseTimer.allCases { #expect(timer.defaultSeconds == expected[timer]) }
    }

    @Test func eventSourcesAreReadFromTheirNames() {
        #expect(CaseEvent.evaluate.source == .review)
        #expect(CaseEvent.sellerReject.source == .actor("seller"))
        #expect(CaseEvent.operatorManualPayout.source == .actor("operator"))
        #expect(CaseEvent.fired(.ship) == .shipTimerFired)
        #expect(CaseEvent.shipTimerFired.source == .timer(.ship))
        #expect(CaseEvent.returnCancellationAlreadyPickedUp.source == .saga(.returnCancellation))
        #expect(CaseEvent.carrierOther.isCarrierProgress)
        #expect(!CaseEvent.refundRefunded.isCarrierProgress)
        for timer in CaseTimer.allCases { #expect(CaseEvent.fired(timer).source == .timer(timer)) }
    }
}
