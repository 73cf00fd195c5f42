/// The answer of ``CaseMachine/apply(_:in:facts:)``: where the case goes and what to do.
public struct CaseTransition: Codable, Sendable, Hashable {
    /// The case's kind.
    public let kind: CaseKind
    /// The state the event found.
    public let from: CaseState
    /// The event applied.
    public let event: CaseEvent
    /// The next state (`from` for a self-loop or a recorded-only carrier event).
    public let to: CaseState
    /// Everything to do, in order: stopped timers of the state left, the row's effects, then the
    /// saga the new state starts.
    public let effects: [CaseEffect]
    /// True for a carrier event that matches no row: kept in the case history, nothing moves.
    public let recordedOnly: Bool
    /// Whether `to` is terminal.
    public let isTerminal: Bool
}
