/// A database's migrations, in order, registered once and run by both drivers: GRDB's migrator
/// (its `grdb_migrations` table, so files migrated before the layer existed stay as they are) and
/// the PostgreSQL driver's (``PostgresMigrator``). Never edit a migration that shipped; add one.
public struct SQLMigrations: Sendable {
    /// One migration: its identifier, recorded once it ran, and what it runs.
    public struct Migration: Sendable {
        public let identifier: String
        /// Runs the migration inside its transaction; DDL spells what the dialects disagree on
        /// through ``SQLConnection/dialect`` (`BLOB` / `BYTEA`).
        public let apply: @Sendable (any SQLConnection) throws -> Void
    }

    /// The migrations, in the order registered.
    public private(set) var migrations: [Migration] = []

    public init() {}

    /// Registers a migration after those registered before.
    public mutating func register(_ identifier: String, _ apply: @escaping @Sendable (any SQLConnection) throws -> Void) {
        self.migrations.append(Migration(identifier: identifier, apply: apply))
    }

    /// These migrations, then `other`'s.
    public func appending(_ other: SQLMigrations) -> SQLMigrations {
        var both = self
        both.migrations += other.migrations
        return both
    }
}
