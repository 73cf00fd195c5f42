import Synchronization

/// Counts calls running across all of a server's connections against a bound; a call counts from
/// its admission until its span is recorded, so a server that stops waits for the last span.
final class CallLimiter: Sendable {
    private struct State {
        var running = 0
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes a slot, or returns `false` when all are taken.
    func tryAcquire() -> Bool {
        self.state.withLock { state in
            guard state.running < self.limit else { return false }
            state.running += 1
            return true
        }
    }

    func release() {
        let waiters = self.state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.running -= 1
            guard state.running == 0 else { return [] }
            defer { state.idleWaiters = [] }
            return state.idleWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Suspends until no call runs.
    func waitUntilIdle() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = self.state.withLock { state in
                if state.running == 0 { return true }
                state.idleWaiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }
}
