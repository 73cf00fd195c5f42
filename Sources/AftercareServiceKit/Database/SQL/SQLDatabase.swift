public import AftercareRPC

/// A database the stores run on: SQLite through GRDB (``ServiceDatabase``) or PostgreSQL through
/// postgres-nio (``PostgresServiceDatabase``), with the same transaction semantics. A store takes
/// the ``SQLConnection`` its caller's transaction gives it, so one store runs on both.
public protocol SQLDatabase: Sendable {
    /// Runs `body` in one write transaction: all of its changes commit, or none, and the call
    /// returns after the commit. Concurrent transactions behave as if they ran one after the
    /// other (SQLite: one writer; PostgreSQL: `SERIALIZABLE`, retried on a serialization failure
    /// or deadlock, so `body` may run more than once and must do nothing but its SQL).
    /// - Throws: `body`'s error, its changes rolled back; a ``StorageFault`` when the storage
    ///   refused the transaction or could not be reached.
    @discardableResult
    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T

    /// Runs `body` on a consistent snapshot, read only.
    /// - Throws: `body`'s error, or a ``StorageFault``.
    func snapshot<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T

    /// The database's health check, for the service's `Health`: it fails while the database
    /// cannot be read (or, after a storage fault, written).
    var healthCheck: HealthCheck { get }
}
