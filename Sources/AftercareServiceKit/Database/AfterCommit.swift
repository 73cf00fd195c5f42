import GRDB
import Synchronization

/// What a write asked to run once its changes are committed (``SQLConnection/afterCommit(_:)`` on
/// the GRDB driver): a body of a group-committed batch registers here, and the batch runs the
/// actions of the bodies whose savepoints it kept after its `COMMIT`, and drops those of a body
/// that rolled back. GRDB's own `afterNextTransaction` fires at the batch's commit for every body,
/// rolled back or not, which is right for a wake-up but not for a count.
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

    /// How many actions the body running on `db` has registered so far (0 outside a body).
    static func count(on db: Database) -> Int {
        Self.running.withLock { $0[ObjectIdentifier(db)]?.count ?? 0 }
    }

    /// Drops the actions registered after the first `kept`: a savepoint inside the body rolled back.
    static func drop(after kept: Int, on db: Database) {
        Self.running.withLock { running in
            guard let actions = running[ObjectIdentifier(db)], actions.count > kept else { return }
            running[ObjectIdentifier(db)] = Array(actions.prefix(kept))
        }
    }
}
