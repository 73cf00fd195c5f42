/// One row of a machine's table: `from --event [guards] / effects--> to`.
package struct CaseTransitionRule: Sendable, Hashable {
    /// The state the row applies in.
    package let from: CaseState
    /// The event it answers.
    package let event: CaseEvent
    /// Predicates that must all hold; rows of the same state and event have exclusive guards.
    package let guards: [CaseGuard]
    /// What the row asks for, besides what the machine derives (stopped timers, started sagas).
    package let effects: [CaseEffect]
    /// The next state (the same one for a self-loop).
    package let to: CaseState

    init(
        _ from: CaseState, _ event: CaseEvent, _ guards: [CaseGuard] = [], _ effects: [CaseEffect] = [],
        _ to: CaseState
    ) {
        self.from = from
        self.event = event
        self.guards = guards
        self.effects = effects
        self.to = to
    }

    /// The same row for several states (`{A, B} --event--> C`).
    static func from(
        _ states: [CaseState], _ event: CaseEvent, _ guards: [CaseGuard] = [], _ effects: [CaseEffect] = [],
        _ to: CaseState
    ) -> [CaseTransitionRule] {
        states.map { CaseTransitionRule($0, event, guards, effects, to) }
    }

    /// The same row for several events (`--a | b-->`).
    static func on(
        _ from: CaseState, _ events: [CaseEvent], _ guards: [CaseGuard] = [], _ effects: [CaseEffect] = [],
        _ to: CaseState
    ) -> [CaseTransitionRule] {
        events.map { CaseTransitionRule(from, $0, guards, effects, to) }
    }
}
