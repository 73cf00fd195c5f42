import Synchronization

/// A follower's cursor between writes: the sequence number of the last event every handler
/// finished with, not yet written.
final class CursorBuffer: Sendable {
    private let pending = Mutex<Int64?>(nil)

    /// Notes that every handler finished with `seq`.
    func handled(_ seq: Int64) {
        self.pending.withLock { $0 = max($0 ?? seq, seq) }
    }

    /// The position to write, if any, taken.
    func take() -> Int64? {
        self.pending.withLock { pending in
            defer { pending = nil }
            return pending
        }
    }
}
