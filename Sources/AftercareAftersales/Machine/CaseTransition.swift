/// The answer of ``CaseMachine/apply(_:in:facts:)``: where the case goes and what to do.
package struct CaseTransition: Codable, Sendable, Hashable {
    /// The case's kind.
    package let kind: CaseKind
    /// The state the event found.
    package let from: CaseState
    /// The event applied.
    package let event: CaseEvent
    /// The next state (`from` for a self-loop or a recorded-only carrier event).
    package let to: CaseState
    /// Everything to do, in order: stopped timers of the state left, the row's effects, then the
    /// saga the new state starts.
    package let effects: [CaseEffect]
    /// True for a carrier event that matches no row: kept in the case history, nothing moves.
    package let recordedOnly: Bool
    /// Whether `to` is terminal.
    package let isTerminal: Bool
}
