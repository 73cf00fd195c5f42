public import AftercareRPC
import CoreMetrics
public import GRDB

/// A service's own SQLite database: WAL, `synchronous=FULL` (a committed change survives power
/// loss: this is money), foreign keys on, migrated at open — the shared tables (event feed, step and
/// idempotency ledgers, spans) first, then the service's own.
///
/// Every SQL statement the kit and the services write is portable to PostgreSQL: no `AUTOINCREMENT`,
/// no SQLite-only functions; sequence numbers are assigned inside the write transaction.
///
/// A read or write the storage refuses (disk full, I/O error, read-only file, …) throws a
/// ``StorageFault`` naming the cause; the health check fails while the last write's fault stands.
///
/// Writes are grouped: concurrent calls' write transactions join one SQLite transaction, one WAL
/// commit and fsync, each in its own savepoint, each caller answered after that commit
/// (``write(_:)``).
public struct ServiceDatabase: Sendable {
    /// The connections. Every write goes through ``write(_:)`` (group commit); only the
    /// migrations at open use the writer directly, before any call can write: GRDB's migrator
    /// runs each migration in a transaction of its own, which cannot be a savepoint of a batch.
    private let writer: any DatabaseWriter
    /// The file, or `:memory:`.
    public let path: String
    private let faults: StorageFaultMemory
    private let commits: GroupCommit
    /// `aftercare_database_write_duration_seconds`: each write, from asking for it to its batch's
    /// commit or rollback (waiting for the batch before included).
    private let writeDuration = Timer(label: "aftercare_database_write_duration_seconds")

    private init(writer: any DatabaseWriter, path: String) {
        let faults = StorageFaultMemory()
        self.writer = writer
        self.path = path
        self.faults = faults
        self.commits = GroupCommit(writer: writer, path: path, faults: faults)
    }

    /// Opens (creating it if needed) the database file at `path` and migrates it.
    /// - Parameters:
    ///   - path: the SQLite file; its directory must exist.
    ///   - migrations: the service's own migrations, registered after the shared ones.
    public static func open(path: String, migrations: ServiceMigrations) throws -> ServiceDatabase {
        var configuration = Self.configuration()
        configuration.busyMode = .timeout(10)
        let pool = try DatabasePool(path: path, configuration: configuration)
        let database = ServiceDatabase(writer: pool, path: path)
        try database.migrate(migrations)
        return database
    }

    /// An in-memory database, migrated: for tests.
    public static func inMemory(migrations: ServiceMigrations) throws -> ServiceDatabase {
        let queue = try DatabaseQueue(configuration: Self.configuration())
        let database = ServiceDatabase(writer: queue, path: ":memory:")
        try database.migrate(migrations)
        return database
    }

    /// Its connections' GRDB label: the statements run through the layer on them are logged
    /// (``StatementLog``), not those of other GRDB connections (a test's own to a service's file).
    static let label = "aftercare.service-database"

    private static func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.label = Self.label
        configuration.foreignKeysEnabled = true
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        return configuration
    }

    private func migrate(_ migrations: ServiceMigrations) throws {
        var migrator = DatabaseMigrator()
        SharedTables.migrations.register(in: &migrator)
        migrations.register(&migrator)
        try migrator.migrate(self.writer)
    }

    /// Runs `body` in one write transaction: all of its changes commit, or none. Concurrent
    /// writes share one transaction and one commit (group commit), each `body` in its own
    /// savepoint, in the order asked: `body` sees the writes of the ones before it, as if each had
    /// committed alone in that order. Returns only after the commit.
    /// - Throws: `body`'s error (its changes rolled back, the other writes unaffected); a
    ///   ``StorageFault`` when the storage refused the write or its commit (nothing of it was
    ///   written), remembered for the health check until a write succeeds.
    @discardableResult
    public func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        let start = ContinuousClock.now
        defer { self.writeDuration.recordElapsed(since: start) }
        return try await self.commits.write(body)
    }

    /// The writes waiting for the next batch while one is under way: what a test waits for to know
    /// that its concurrent writes will share a batch.
    package var waitingWrites: Int { self.commits.waiting }

    /// Runs `body` on a consistent snapshot.
    /// - Throws: `body`'s error, or a ``StorageFault`` when the storage refused the read.
    public func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await self.writer.read(body)
        } catch {
            throw StorageFault(error, path: self.path) ?? error
        }
    }

    /// Commits a write that changes nothing but a page of the file (SQLite's `user_version`, set
    /// to itself), so that a full disk or a read-only file shows.
    /// - Throws: the ``StorageFault`` when the storage refused it.
    public func probeWrite() async throws {
        try await self.write { db in
            let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
            try db.execute(sql: "PRAGMA user_version = \(version)")
        }
    }

    /// The health check of the database: a read that must succeed and, while the last write
    /// failed with a storage fault, a probe write that must succeed too (``probeWrite()``).
    public var healthCheck: HealthCheck {
        HealthCheck(name: "database") { [self] in
            if self.faults.last != nil { try await self.probeWrite() }
            return try await self.read { db in
                let version = try String.fetchOne(db, sql: "SELECT sqlite_version()") ?? "?"
                let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "?"
                return "sqlite \(version), journal \(mode), \(self.path)"
            }
        }
    }
}

/// A service's own migrations, in order. Never edit a migration that shipped; add one.
public struct ServiceMigrations: Sendable {
    let register: @Sendable (inout DatabaseMigrator) -> Void
    /// The same migrations on the database layer, when they were registered there: what the
    /// PostgreSQL driver runs. `nil` for migrations written against GRDB alone (SQLite only).
    package let portable: SQLMigrations?

    /// - Parameter register: registers the service's migrations (`migrator.registerMigration("v1") { db in … }`).
    public init(_ register: @escaping @Sendable (inout DatabaseMigrator) -> Void) {
        self.register = register
        self.portable = nil
    }

    /// Migrations registered once through the database layer, run by GRDB's migrator here and by
    /// the PostgreSQL driver there.
    package init(portable migrations: SQLMigrations) {
        self.register = { migrator in migrations.register(in: &migrator) }
        self.portable = migrations
    }

    /// No tables of its own.
    public static let none = ServiceMigrations { _ in }
}
