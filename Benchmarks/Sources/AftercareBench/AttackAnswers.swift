import Synchronization

/// What the server answered the attacker's connections: END frames by status, and CONN_ERRORs.
final class AttackAnswers: Sendable {
    struct Counts: Sendable {
        var endsByStatus: [UInt16: Int] = [:]
        var connectionErrors = 0

        var ends: Int { self.endsByStatus.values.reduce(0, +) }
    }

    private let counts = Mutex(Counts())

    var snapshot: Counts { self.counts.withLock { $0 } }

    func end(status: UInt16) {
        self.counts.withLock { $0.endsByStatus[status, default: 0] += 1 }
    }

    func connectionError() {
        self.counts.withLock { $0.connectionErrors += 1 }
    }
}
