import Synchronization

/// The lock keys one write transaction asked for (``SQLConnection/serialize(on:)``), kept across
/// its attempts: an attempt after a rollback takes them before its snapshot.
final class TransactionLockKeys: Sendable {
    private let keys = Mutex<Set<SQLLockKey>>([])

    /// Keeps `key`.
    func insert(_ key: SQLLockKey) {
        _ = self.keys.withLock { $0.insert(key) }
    }

    /// Every key kept so far, in the order sessions take them.
    var sorted: [SQLLockKey] {
        self.keys.withLock { $0.sorted() }
    }
}
