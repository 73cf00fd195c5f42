package import AftercareRPC

/// An event the machine does not accept in the case's current state: no row, or no row whose
/// guards hold. Nothing changes; the service answers FAILED_PRECONDITION naming the state.
package struct CaseRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    /// The case's kind.
    package let kind: CaseKind
    /// The state the event found.
    package let state: CaseState
    /// The event refused.
    package let event: CaseEvent
    /// For rows that exist but whose guards failed: the first failing guard of each row.
    package let failedGuards: [CaseGuard]

    package var description: String {
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
    package var rpcError: RPCError {
        RPCError(.failedPrecondition, self.description, outcome: .notExecuted)
    }
}
