/// A database's migrations, in order, registered once and run by both drivers: GRDB's migrator
/// (its `grdb_migrations` table, so files migrated before the layer existed stay as they are) and
/// the PostgreSQL driver's (``PostgresMigrator``). Never edit a migration that shipped; add one.
package struct SQLMigrations: Sendable {
    /// One migration: its identifier, recorded once it ran, and what it runs.
    package struct Migration: Sendable {
        package let identifier: String
        /// Runs the migration inside its transaction; DDL spells what the dialects disagree on
        /// through ``SQLConnection/dialect`` (`BLOB` / `BYTEA`).
        package let apply: @Sendable (any SQLConnection) throws -> Void
    }

    /// The migrations, in the order registered.
    package private(set) var migrations: [Migration] = []

    package init() {}

    /// Registers a migration after those registered before.
    package mutating func register(_ identifier: String, _ apply: @escaping @Sendable (any SQLConnection) throws -> Void) {
        self.migrations.append(Migration(identifier: identifier, apply: apply))
    }

    /// These migrations, then `other`'s.
    package func appending(_ other: SQLMigrations) -> SQLMigrations {
        var both = self
        both.migrations += other.migrations
        return both
    }
}
