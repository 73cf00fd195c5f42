import Synchronization

/// What a running call's task and its connection's event loop share: why the call was stopped
/// from outside (set on the event loop before the task is cancelled), and its flow-control window.
final class ServerCall: Sendable {
    private let stop = Atomic<UInt8>(0)
    /// A server-streaming call's window; `nil` for a unary call.
    let gate: CreditGate?

    init(gate: CreditGate?) {
        self.gate = gate
    }

    /// Marks the call stopped and ends its window (a waiting writer fails).
    func stop(_ reason: ServerConnectionStateMachine.StopReason) {
        self.stop.store(reason.rawValue, ordering: .releasing)
        self.gate?.close()
    }

    var stopReason: ServerConnectionStateMachine.StopReason? {
        ServerConnectionStateMachine.StopReason(rawValue: self.stop.load(ordering: .acquiring))
    }
}
