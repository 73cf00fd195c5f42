public import AftercareRPC

/// An event the machine does not accept in the case's current state: no row, or no row whose
/// guards hold. Nothing changes; the service answers FAILED_PRECONDITION naming the state.
public struct CaseRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    /// The case's kind.
    public let kind: CaseKind
    /// The state the event found.
    public let state: CaseState
    /// The event refused.
    public let event: CaseEvent
    /// For rows that exist but whose guards failed: the first failing guard of each row.
    public let failedGuards: [CaseGuard]

    public var description: String {
        var text = "case is \(self.state.rawValue): \(self.event.rawValue) is not allowed"
        if self.failedGuards.isEmpty {
            if CaseMachine.machine(for: self.kind).terminalStates.contains(self.state) {
                text += " (the case is closed)"
            }
        } else {
            text += " (requires " + self.failedGuards.map { "\($0.rawValue): \($0.meaning)" }.joined(separator: "; or ") + ")"
        }
        return text
    }

    /// The wire error: FAILED_PRECONDITION with ``description``, nothing executed.
    public var rpcError: RPCError {
        RPCError(.failedPrecondition, self.description, outcome: .notExecuted)
    }
}
