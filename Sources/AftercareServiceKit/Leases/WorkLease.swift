/// One piece of background work — following a feed, a periodic pass — that only one of several
/// processes sharing a database runs at a time: the process holding the work's row in
/// `work_leases`, and only until the lease runs out. The holder renews the lease every third of
/// its duration while it works (``run(logger:_:)``) and confirms it in each transaction the work
/// writes (``confirm(in:)``), so a holder that lost it writes nothing more; when the holder dies or
/// hangs, another process takes the work over once the lease ran out. A process restarted under
/// the same owner name takes its own lease back at once.
public struct WorkLease: Sendable {
    /// What the work is, unique in the database (e.g. `feed:orders`).
    public let name: String
    /// The process's name among those sharing the database.
    public let owner: String
    /// How long the lease lasts without renewal.
    public let duration: Duration
    let database: any SQLDatabase
    let clock: ServiceClock

    /// - Parameters:
    ///   - name: what the work is, unique in the database.
    ///   - owner: this process's name among those sharing the database (the same again for a
    ///     process restarted in its place).
    ///   - duration: how long the lease lasts without renewal: how long the work of a dead
    ///     process waits before another takes it over.
    ///   - database: the shared database, migrated with ``register(in:as:)``.
    ///   - clock: when leases run out.
    public init(name: String, owner: String, duration: Duration, database: any SQLDatabase, clock: ServiceClock) {
        self.name = name
        self.owner = owner
        self.duration = duration
        self.database = database
        self.clock = clock
    }

    /// Registers the leases' table in a service's migrations, as the migration `identifier`.
    /// - Parameters:
    ///   - migrations: the service's migrations.
    ///   - identifier: the migration's name in that service's database.
    public static func register(in migrations: inout SQLMigrations, as identifier: String) {
        migrations.register(identifier) { db in
            try db.execute("""
                CREATE TABLE work_leases (
                    name TEXT PRIMARY KEY,
                    owner TEXT NOT NULL,
                    expires_at BIGINT NOT NULL
                )
                """)
        }
    }

    /// Takes the lease until now plus ``duration`` if no other process holds it (nobody does, the
    /// holder is ``owner`` itself, or its lease ran out).
    /// - Returns: whether ``owner`` holds it now.
    public func take() async throws -> Bool {
        let (name, owner, now, micros) = (self.name, self.owner, self.clock.nowMicros, self.duration.wholeMicroseconds)
        return try await self.database.transaction { db in
            try db.execute(
                """
                INSERT INTO work_leases (name, owner, expires_at) VALUES (?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
                WHERE work_leases.owner = excluded.owner OR work_leases.expires_at < ?
                """,
                [name, owner, now + micros, now]) == 1
        }
    }

    /// Renews the lease in `db`, the transaction of a write made under it, so that the write
    /// commits only while ``owner`` still holds the lease.
    /// - Throws: ``WorkLeaseLost`` when another process holds it now (the transaction then
    ///   rolls back).
    public func confirm(in db: any SQLConnection) throws {
        let changed = try db.execute(
            "UPDATE work_leases SET expires_at = ? WHERE name = ? AND owner = ?", [self.clock.nowMicros + self.duration.wholeMicroseconds, self.name, self.owner])
        guard changed == 1 else { throw WorkLeaseLost(name: self.name, owner: self.owner) }
    }

    /// Renews the lease on its own.
    /// - Returns: whether ``owner`` still holds it.
    public func renew() async throws -> Bool {
        do {
            try await self.database.transaction { [self] db in try self.confirm(in: db) }
            return true
        } catch is WorkLeaseLost {
            return false
        }
    }

    /// Lets the lease go, so that another process may take the work over at once (a process that
    /// stops gracefully); a lease another process holds by now is left alone.
    public func release() async throws {
        let (name, owner) = (self.name, self.owner)
        try await self.database.transaction { db in
            _ = try db.execute("DELETE FROM work_leases WHERE name = ? AND owner = ?", [name, owner])
        }
    }
}

/// A write under a ``WorkLease`` that its owner no longer holds: another process took the work over.
public struct WorkLeaseLost: Error, CustomStringConvertible {
    /// The work.
    public let name: String
    /// The process that lost it.
    public let owner: String

    public var description: String { "the lease of \(self.name) is no longer \(self.owner)'s: another process does this work" }
}
