package import AftercareServiceKit
package import GRDB
import Synchronization

/// Counts a database's commits that changed something: what a test asserts when it says "one
/// transaction".
package final class CommitCounter: TransactionObserver, Sendable {
    private let state = Mutex((changed: false, commits: 0))

    /// Starts counting `database`'s commits, from now on.
    package static func counting(_ database: ServiceDatabase) async throws -> CommitCounter {
        let counter = CommitCounter()
        try await database.write { db in db.add(transactionObserver: counter, extent: .databaseLifetime) }
        return counter
    }

    /// The commits counted so far.
    package var count: Int { self.state.withLock { $0.commits } }

    package func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { true }

    package func databaseDidChange(with event: DatabaseEvent) {
        self.state.withLock { $0.changed = true }
    }

    package func databaseDidCommit(_ db: Database) {
        self.state.withLock { state in
            if state.changed { state.commits += 1 }
            state.changed = false
        }
    }

    package func databaseDidRollback(_ db: Database) {
        self.state.withLock { $0.changed = false }
    }
}
