import AftercareRPC
import Synchronization

/// What the callers of a phase have recorded so far: calls that succeeded, calls that failed by
/// status, and callers that made all their calls.
final class CallTally: Sendable {
    struct Counts: Sendable {
        var succeeded = 0
        /// By `RPCError.code` (or the error's type, for any other error).
        var failed: [String: Int] = [:]
        /// The first failure of each key, as text: what the report quotes.
        var firstFailure: [String: String] = [:]
        var finishedCallers = 0

        var made: Int { self.succeeded + self.failedTotal }
        var failedTotal: Int { self.failed.values.reduce(0, +) }
    }

    private let counts = Mutex(Counts())

    var snapshot: Counts { self.counts.withLock { $0 } }

    func succeeded() {
        self.counts.withLock { $0.succeeded += 1 }
    }

    func failed(_ error: any Error) {
        let key = (error as? RPCError).map { "\($0.code)" } ?? "\(type(of: error))"
        self.counts.withLock { counts in
            counts.failed[key, default: 0] += 1
            if counts.firstFailure[key] == nil { counts.firstFailure[key] = "\(error)" }
        }
    }

    func callerFinished() {
        self.counts.withLock { $0.finishedCallers += 1 }
    }
}
