public import AftercareRPC

/// A database the stores run on: SQLite through GRDB (``ServiceDatabase``) or PostgreSQL through
/// postgres-nio (``PostgresServiceDatabase``), with the same transaction semantics. A store takes
/// the ``SQLConnection`` its caller's transaction gives it, so one store runs on both.
public protocol SQLDatabase: Sendable {
    /// Runs `body` in one write transaction: all of its changes commit, or none, and the call
    /// returns after the commit. SQLite runs one writer at a time; PostgreSQL runs them side by
    /// side at `READ COMMITTED`, where a body keeps each read-then-write rule with a row lock, a
    /// lock key (``SQLConnection/serialize(on:)``) or a constraint, and runs a transaction rolled
    /// back for a deadlock again, so `body` may run more than once and must do nothing but its
    /// SQL.
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
