import Synchronization

/// A call's flow-control window on the server: response messages wait here for credit (WIRE.md §8).
final class CreditGate: Sendable {
    private struct State {
        var credits: Int
        var waiter: CheckedContinuation<Void, any Error>?
        var closed = false
    }

    private let state: Mutex<State>

    init(initial: UInt32) {
        self.state = Mutex(State(credits: Int(initial)))
    }

    /// Takes one credit, waiting until the client grants one or the call ends.
    func acquire() async throws {
        let ready = self.state.withLock { state -> Bool in
            guard state.credits > 0 else { return false }
            state.credits -= 1
            return true
        }
        if ready { return }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resume: Result<Void, any Error>? = self.state.withLock { state in
                    if state.closed || Task.isCancelled { return .failure(CancellationError()) }
                    if state.credits > 0 {
                        state.credits -= 1
                        return .success(())
                    }
                    state.waiter = continuation
                    return nil
                }
                if let resume { continuation.resume(with: resume) }
            }
        } onCancel: {
            self.close()
        }
    }

    /// Adds credit from a CREDIT frame.
    func grant(_ increment: UInt32) {
        let waiter = self.state.withLock { state -> CheckedContinuation<Void, any Error>? in
            state.credits += Int(increment)
            guard let waiter = state.waiter else { return nil }
            state.waiter = nil
            state.credits -= 1
            return waiter
        }
        waiter?.resume()
    }

    /// Ends the window: a waiting writer fails with cancellation.
    func close() {
        let waiter = self.state.withLock { state -> CheckedContinuation<Void, any Error>? in
            state.closed = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(throwing: CancellationError())
    }
}
