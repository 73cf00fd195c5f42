import Synchronization

/// Counts calls running across all of a server's connections against a bound.
final class CallLimiter: Sendable {
    private let running = Mutex(0)
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes a slot, or returns `false` when all are taken.
    func tryAcquire() -> Bool {
        self.running.withLock { running in
            guard running < self.limit else { return false }
            running += 1
            return true
        }
    }

    func release() {
        self.running.withLock { $0 -= 1 }
    }
}
