/// Runs ``SQLMigrations`` on PostgreSQL: the identifiers of those that ran are in
/// `aftercare_migrations`; the rest run in order, in one transaction with their records, under an
/// advisory lock, so two processes starting at once migrate once.
enum PostgresMigrator {
    /// The advisory lock's key ("aftercar" in ASCII).
    private static let lockKey: Int64 = 0x6166_7465_7263_6172

    static func migrate(_ migrations: SQLMigrations, on database: PostgresServiceDatabase) async throws {
        // READ COMMITTED: each statement sees what committed before it, so a process that waited
        // for the lock sees the migrations the other one recorded.
        try await database.run(begin: "BEGIN ISOLATION LEVEL READ COMMITTED") { sql in
            try sql.execute("SELECT pg_advisory_xact_lock(?)", [Self.lockKey])
            try sql.execute("CREATE TABLE IF NOT EXISTS aftercare_migrations (identifier TEXT PRIMARY KEY)")
            let applied = Set(try sql.queryValues("SELECT identifier FROM aftercare_migrations", as: String.self))
            for migration in migrations.migrations where !applied.contains(migration.identifier) {
                try migration.apply(sql)
                try sql.execute("INSERT INTO aftercare_migrations (identifier) VALUES (?)", [migration.identifier])
            }
        }
    }
}
