import Synchronization

/// A connection's locked state as far as "are calls open?" goes, so that tasks (drain, close)
/// can wait for the last call to end. Client and server connections share it.
protocol CallTracking {
    var hasOpenCalls: Bool { get }
    /// Tasks waiting for the last open call to end.
    var idleWaiters: [CheckedContinuation<Void, Never>] { get set }
}

extension CallTracking {
    /// The waiters to resume, if no call is open any more (call after removing one).
    mutating func takeIdleWaiters() -> [CheckedContinuation<Void, Never>] {
        guard !self.hasOpenCalls else { return [] }
        defer { self.idleWaiters = [] }
        return self.idleWaiters
    }
}

extension Mutex where Value: CallTracking {
    /// Suspends until no call is open.
    borrowing func waitUntilIdle() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = self.withLock { state in
                if !state.hasOpenCalls { return true }
                state.idleWaiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }
}
