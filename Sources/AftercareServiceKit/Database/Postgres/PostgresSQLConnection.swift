import Logging
import PostgresNIO

/// The PostgreSQL driver's ``SQLConnection``: one pooled connection inside one transaction. Each
/// call sends its statement and waits for the answer, on one of the driver's body threads (never
/// an event loop, never Swift's cooperative pool).
final class PostgresSQLConnection: SQLConnection {
    private let connection: PostgresConnection
    private let logger: Logger
    /// Savepoints opened so far in this transaction: each gets its own name.
    private var savepoints = 0
    /// What the transaction asked to run once it has committed, in order (``afterCommit(_:)``).
    private(set) var committedActions: [@Sendable () -> Void] = []
    /// The lock keys this session holds from before the transaction began (``holdSessionLocks()``).
    private let held: [SQLLockKey]
    /// Where the keys the body asks for are kept, for the transaction's next attempt.
    private let asked: TransactionLockKeys?
    /// The keys this transaction holds so far (a savepoint rolled back lets go of its own).
    private var taken: Set<SQLLockKey> = []

    /// - Parameters:
    ///   - held: keys to take, with ``holdSessionLocks()``, before the transaction begins.
    ///   - asked: where to keep the keys ``serialize(on:)`` is asked for.
    init(_ connection: PostgresConnection, logger: Logger, holding held: [SQLLockKey] = [], asked: TransactionLockKeys? = nil) {
        self.connection = connection
        self.logger = logger
        self.held = held
        self.asked = asked
        self.taken = Set(held)
    }

    var dialect: SQLDialect { .postgres }

    @discardableResult
    func execute(_ sql: String, _ arguments: [any SQLConvertible]) throws -> Int {
        try self.run(sql, arguments).metadata.rows ?? 0
    }

    func query(_ sql: String, _ arguments: [any SQLConvertible]) throws -> [SQLRow] {
        try self.run(sql, arguments).rows.map(PostgresValues.row(from:))
    }

    func executeScript(_ sql: String) throws {
        for statement in PostgresSQL.statements(in: sql) { _ = try self.run(statement, []) }
    }

    func withSavepoint<T>(_ body: () throws -> T) throws -> T {
        self.savepoints += 1
        let name = "aftercare_\(self.savepoints)"
        try self.execute("SAVEPOINT \(name)")
        let registered = self.committedActions.count
        let taken = self.taken
        do {
            let value = try body()
            try self.execute("RELEASE SAVEPOINT \(name)")
            return value
        } catch {
            // The transaction goes on without the body's changes; if even this fails, the
            // connection is gone and so is the transaction.
            _ = try? self.execute("ROLLBACK TO SAVEPOINT \(name)")
            _ = try? self.execute("RELEASE SAVEPOINT \(name)")
            self.committedActions.removeSubrange(registered...)
            self.taken = taken
            throw error
        }
    }

    func afterCommit(_ action: @escaping @Sendable () -> Void) {
        self.committedActions.append(action)
    }

    func serialize(on key: SQLLockKey) throws {
        self.asked?.insert(key)
        guard !self.taken.contains(key) else { return }
        try self.execute("SELECT pg_advisory_xact_lock(?)", [key.value])
        self.taken.insert(key)
    }

    /// Takes the session's advisory locks on ``held``, in the keys' order (so two sessions taking
    /// the same keys cannot deadlock), before the transaction's snapshot.
    func holdSessionLocks() throws {
        for key in self.held { try self.execute("SELECT pg_advisory_lock(?)", [key.value]) }
    }

    /// Lets go of the session's advisory locks. A connection that cannot is closed, so that it
    /// goes back to the pool holding none.
    func releaseSessionLocks() {
        guard !self.held.isEmpty else { return }
        do {
            try self.execute("SELECT pg_advisory_unlock_all()")
        } catch {
            self.logger.warning("closing a connection that could not release its advisory locks", metadata: ["error": "\(error)"])
            try? self.connection.close().wait()
        }
    }

    private func run(_ sql: String, _ arguments: [any SQLConvertible]) throws -> PostgresQueryResult {
        StatementLog.postgres?.record(sql)
        let query = PostgresQuery(unsafeSQL: PostgresSQL.numbered(sql), binds: PostgresValues.bindings(arguments))
        return try self.connection.query(query, logger: self.logger).wait()
    }
}
