package import AftercareAftersalesAPI

/// One kind's case machine as data: its transition table, terminal states and the sagas its states
/// start on entry. ``apply(_:in:facts:)`` is the only way a case changes state.
///
/// What the machine derives from the table, for every kind:
/// - leaving a state stops the timers that rows entering it start (a self-loop stops nothing);
/// - entering a state that starts a saga (``sagaOnEntry``) from another state ends the effects with
///   ``CaseEffect/startSaga(_:)``;
/// - a carrier event that matches no row of a non-terminal state is recorded only;
/// - a terminal state accepts nothing.
package struct CaseMachine: Sendable {
    /// The kind this machine runs.
    package let kind: CaseKind
    /// The table, in the specification's order.
    package let rules: [CaseTransitionRule]
    /// The states a case of this kind ends in.
    package let terminalStates: Set<CaseState>
    /// The saga each state starts when a case enters it.
    package let sagaOnEntry: [CaseState: CaseSaga]

    /// The machine of a kind.
    package static func machine(for kind: CaseKind) -> CaseMachine {
        switch kind {
        case .refundOnly: refundOnly
        case .returnAndRefund: returnAndRefund
        case .exchange: exchange
        }
    }

    /// Every state the table mentions, in declaration order.
    package var states: [CaseState] {
        Set(self.rules.flatMap { [$0.from, $0.to] }).sorted()
    }

    /// The timers that rows entering `state` start: they stop when the case leaves it.
    package func timers(of state: CaseState) -> [CaseTimer] {
        var timers: [CaseTimer] = []
        for rule in self.rules where rule.to == state {
            for case .startTimer(let timer) in rule.effects where !timers.contains(timer) {
                timers.append(timer)
            }
        }
        return timers
    }

    /// Applies an event to a case in `state`: the next state and the effects, or a refusal that
    /// names the state (and the guards that failed, when rows exist).
    package func apply(_ event: CaseEvent, in state: CaseState, facts: CaseFacts) throws(CaseRefusal) -> CaseTransition {
        let refusal = { (failed: [CaseGuard]) in
            CaseRefusal(kind: self.kind, state: state, event: event, failedGuards: failed)
        }
        if self.terminalStates.contains(state) { throw refusal([]) }
        let candidates = self.rules.filter { $0.from == state && $0.event == event }
        guard let rule = candidates.first(where: { $0.guards.allSatisfy { $0.holds(facts) } }) else {
            if event.isCarrierProgress && self.states.contains(state) {
                return CaseTransition(
                    kind: self.kind, from: state, event: event, to: state, effects: [.recordCarrierEvent],
                    recordedOnly: true, isTerminal: false)
            }
            throw refusal(candidates.compactMap { $0.guards.first { !$0.holds(facts) } })
        }
        return self.transition(for: rule)
    }

    /// The transition a row makes, with the derived effects around the row's own.
    func transition(for rule: CaseTransitionRule) -> CaseTransition {
        var effects: [CaseEffect] = []
        let moves = rule.to != rule.from
        if moves {
            effects += self.timers(of: rule.from).map { CaseEffect.stopTimer($0) }
        }
        effects += rule.effects
        if moves, let saga = self.sagaOnEntry[rule.to] {
            effects.append(.startSaga(saga))
        }
        return CaseTransition(
            kind: self.kind, from: rule.from, event: rule.event, to: rule.to, effects: effects,
            recordedOnly: false, isTerminal: self.terminalStates.contains(rule.to))
    }
}
