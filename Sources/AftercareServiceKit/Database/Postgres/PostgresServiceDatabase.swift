package import Logging
import CoreMetrics
import NIOPosix
import PostgresNIO

/// A service's database on PostgreSQL, through postgres-nio's `PostgresClient` (a connection
/// pool): the PostgreSQL driver of the database layer (``SQLDatabase``).
///
/// Each write transaction is one PostgreSQL transaction on one pooled connection, `BEGIN
/// ISOLATION LEVEL READ COMMITTED` … `COMMIT`: each statement sees what committed before it
/// started, and the stores keep every read-then-write rule with a row lock, a lock key
/// (``SQLConnection/serialize(on:)``) or a constraint, so that concurrent transactions leave what
/// one after the other would have (SQLite's single writer). A transaction PostgreSQL rolls back
/// for a deadlock (or, in a transaction that asked for `SERIALIZABLE`, a serialization failure)
/// runs again, at most ``attempts`` times. There is no group commit: transactions run side by
/// side, up to the pool's size. Reads run on a `REPEATABLE READ READ ONLY` snapshot. Bodies are
/// synchronous, like GRDB's: they run on a thread pool of the driver's, each statement waiting for
/// the server's answer there.
///
/// Not `SERIALIZABLE`: its predicate locks are taken per index page or whole table, and on small
/// tables nearly every pair of writers conflicts. Under the saga benchmark (8 and 32 refunds at
/// once) that rolled back thousands of transactions, each run again, for fewer sagas per second
/// than `READ COMMITTED` with the stores' own locks, which rolled back none.
package final class PostgresServiceDatabase: SQLDatabase {
    /// How many times a transaction runs at most when PostgreSQL keeps rolling it back for a
    /// deadlock or a serialization failure.
    static let attempts = 12

    /// Where the database is, without its password: named in storage faults and the health check.
    package let target: String
    private let client: PostgresClient
    private let running: Task<Void, Never>
    private let threads: NIOThreadPool
    private let logger: Logger
    /// `aftercare_database_write_duration_seconds`, as on SQLite: each write transaction, from
    /// asking for it to its commit or last rollback (waiting for a connection and every attempt
    /// included).
    private let writeDuration = Timer(label: "aftercare_database_write_duration_seconds")

    private init(location: PostgresLocation, connections: Int, logger: Logger) {
        let client = PostgresClient(configuration: location.clientConfiguration(maximumConnections: connections), backgroundLogger: logger)
        let threads = NIOThreadPool(numberOfThreads: connections)
        threads.start()
        self.target = location.description
        self.client = client
        self.threads = threads
        self.logger = logger
        self.running = Task { await client.run() }
    }

    /// Connects to the database at `location` and migrates it (the shared tables, then
    /// `migrations`).
    /// - Parameters:
    ///   - location: the server, the database, the user and password, TLS.
    ///   - migrations: the service's portable migrations.
    ///   - connections: the most connections (and transactions at once).
    ///   - reachableWithin: how long to wait for the server at open. The pool itself keeps a
    ///     call waiting while it retries to connect, for up to a minute, before it fails it.
    ///   - logger: postgres-nio's log.
    /// - Throws: ``PostgresRefusal`` at once when the server refuses the connection for a reason
    ///   waiting will not change (TLS, the password, the database's name, `pg_hba.conf`); a
    ///   ``StorageFault`` (`DATABASE_UNREACHABLE`) when it cannot be reached within
    ///   `reachableWithin`; a migration's error.
    package static func open(
        _ location: PostgresLocation, migrations: SQLMigrations, connections: Int = 8, reachableWithin: Duration = .seconds(30), logger: Logger
    ) async throws -> PostgresServiceDatabase {
        // One connection of its own first: the pool retries whatever goes wrong, a wrong password
        // as a server not up yet, and would report either as "no connection".
        try await Self.probe(location, within: reachableWithin, logger: logger)
        let database = PostgresServiceDatabase(location: location, connections: connections, logger: logger)
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await PostgresMigrator.migrate(SharedTables.migrations.appending(migrations), on: database) }
                group.addTask {
                    try await Task.sleep(for: reachableWithin)
                    throw StorageFault(cause: .unreachable, message: "no connection within \(reachableWithin)", path: database.target)
                }
                try await group.next()
                group.cancelAll()
            }
        } catch {
            await database.close()
            throw error
        }
        return database
    }

    /// Connects once to `location`, outside the pool, trying again every 200 ms while the server
    /// cannot be reached, for at most `within`.
    /// - Throws: ``PostgresRefusal`` at the first refusal that waiting will not change; a
    ///   ``StorageFault`` (`DATABASE_UNREACHABLE`, with the last error) after `within`.
    private static func probe(_ location: PostgresLocation, within: Duration, logger: Logger) async throws {
        let configuration = try location.connectionConfiguration()
        let deadline = ContinuousClock.now + within
        while true {
            do {
                let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
                try? await connection.close()
                return
            } catch {
                if let refusal = PostgresRefusal(error) { throw refusal }
                guard ContinuousClock.now + .milliseconds(200) < deadline else {
                    throw StorageFault(cause: .unreachable, message: "no connection within \(within): \(PostgresStatementError(error).map { "\($0)" } ?? "\(error)")", path: location.description)
                }
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Stops the pool and the body threads; calls after this fail.
    package func close() async {
        self.running.cancel()
        await self.running.value
        try? await self.threads.shutdownGracefully()
    }

    /// Runs `body` in a `READ COMMITTED` transaction, again after a deadlock or a serialization
    /// failure, at most ``attempts`` times.
    /// - Throws: `body`'s error; a ``StorageFault`` (`DATABASE_CONTENTION`: not executed, a caller
    ///   may try again) when every attempt was rolled back for conflicts with concurrent
    ///   transactions; one of the storage (`DATABASE_UNREACHABLE`, …).
    ///
    /// An attempt after the first takes, before it begins and in key order, the lock keys the
    /// earlier ones asked for (``SQLConnection/serialize(on:)``): it cannot deadlock on them
    /// again, nor, in a transaction that asked for `SERIALIZABLE`, be rolled back a second time
    /// for numbering under them.
    @discardableResult
    package func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        let start = ContinuousClock.now
        defer { self.writeDuration.recordElapsed(since: start) }
        let asked = TransactionLockKeys()
        var attempt = 1
        while true {
            do {
                return try await self.run(begin: "BEGIN ISOLATION LEVEL READ COMMITTED", holding: asked.sorted, asked: asked, body)
            } catch where PostgresFaults.isRetryable(error) {
                guard attempt < Self.attempts else {
                    throw StorageFault(
                        cause: .contention, message: "rolled back \(attempt) times: \(error)",
                        path: self.target)
                }
                attempt += 1
                // Exponential back-off with full jitter, at most 250 ms: the writers that
                // conflicted spread out instead of meeting again.
                try await Task.sleep(for: .milliseconds(Int.random(in: 1...min(250, 2 << attempt))))
            }
        }
    }

    package func snapshot<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await self.run(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    /// Runs `body` in one transaction opened with `begin`, on one pooled connection; commits it
    /// when `body` returns, rolls it back when it throws.
    /// - Parameters:
    ///   - held: lock keys the session takes before `begin` and holds until the transaction ended.
    ///   - asked: where to keep the keys `body` asks for.
    func run<T: Sendable>(
        begin: String, holding held: [SQLLockKey] = [], asked: TransactionLockKeys? = nil,
        _ body: @escaping @Sendable (any SQLConnection) throws -> T
    ) async throws -> T {
        do {
            return try await self.client.withConnection { connection in
                try await self.threads.runIfActive { [logger] in
                    let sql = PostgresSQLConnection(connection, logger: logger, holding: held, asked: asked)
                    defer { sql.releaseSessionLocks() }
                    try sql.holdSessionLocks()
                    try sql.execute(begin)
                    do {
                        let value = try body(sql)
                        try sql.execute("COMMIT")
                        // A retried transaction ran on a new connection object: only this
                        // attempt's actions are here.
                        for action in sql.committedActions { action() }
                        return value
                    } catch {
                        _ = try? sql.execute("ROLLBACK")
                        throw error
                    }
                }
            }
        } catch {
            throw PostgresFaults.storageFault(error, target: self.target) ?? PostgresStatementError(error) ?? error
        }
    }
}
