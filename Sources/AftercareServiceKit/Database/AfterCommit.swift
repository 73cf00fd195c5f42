package import GRDB
import Synchronization

/// What a write asked to run once its changes are committed: a body of a group-committed batch
/// registers here (``ServiceDatabase/afterCommit(in:_:)``), and the batch runs the actions of the
/// bodies whose savepoints it kept after its `COMMIT`, and drops those of a body that rolled back.
/// GRDB's own `afterNextTransaction` fires at the batch's commit for every body, rolled back or
/// not, which is right for a wake-up but not for a count.
enum AfterCommit {
    /// The actions of the body running now on each writer connection, by connection.
    private static let running = Mutex<[ObjectIdentifier: [@Sendable () -> Void]]>([:])

    /// Opens the list of the body about to run on `db`.
    static func begin(_ db: Database) {
        Self.running.withLock { $0[ObjectIdentifier(db)] = [] }
    }

    /// Closes the list of the body that ran on `db`, and answers its actions.
    static func end(_ db: Database) -> [@Sendable () -> Void] {
        Self.running.withLock { $0.removeValue(forKey: ObjectIdentifier(db)) } ?? []
    }

    /// Adds `action` to the list of the body running on `db`; `false` when no body runs there (a
    /// write outside group commit).
    static func add(_ action: @escaping @Sendable () -> Void, on db: Database) -> Bool {
        Self.running.withLock { running in
            guard running[ObjectIdentifier(db)] != nil else { return false }
            running[ObjectIdentifier(db)]!.append(action)
            return true
        }
    }
}

extension ServiceDatabase {
    /// Runs `action` once the write running `db` has committed — not when that write's own
    /// savepoint rolled back though the rest of its batch committed, and not when the batch failed.
    /// For what must count committed changes exactly (metrics); actions run in the order
    /// registered, before the write returns to its caller, and must not block.
    package static func afterCommit(in db: Database, _ action: @escaping @Sendable () -> Void) {
        guard !AfterCommit.add(action, on: db) else { return }
        // Not a group-committed body (a test's bare database): the transaction is the write.
        db.afterNextTransaction(onCommit: { _ in action() })
    }
}
