import Synchronization

/// A follower's cursor between writes: the sequence number of the last event every handler
/// finished with, not yet written, and when the cursor was last written.
final class CursorBuffer: Sendable {
    private struct State {
        var pending: Int64?
        var lastWrite = ContinuousClock.now
    }

    private let state = Mutex(State())

    /// Notes that every handler finished with `seq`; answers whether the cursor is due to be
    /// written now (`interval` has passed since the last write).
    func handled(_ seq: Int64, interval: Duration) -> Bool {
        self.state.withLock { state in
            state.pending = max(state.pending ?? seq, seq)
            return ContinuousClock.now - state.lastWrite >= interval
        }
    }

    /// The position to write, if any, taken (it counts as written from now).
    func take() -> Int64? {
        self.state.withLock { state in
            defer {
                state.pending = nil
                state.lastWrite = .now
            }
            return state.pending
        }
    }
}
