package import AftercareServiceKit
import Logging

/// The database layer's two drivers, for tests that run the same store code on both: SQLite
/// through GRDB (an in-memory ``ServiceDatabase``) and PostgreSQL through postgres-nio (a
/// database of its own on this process's ``TestPostgres`` server).
package enum TestSQLDriver: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite
    case postgres

    package var description: String { self.rawValue }

    /// Runs `body` on a fresh database of this driver, migrated with `migrations`, and closes it.
    package func withDatabase<T: Sendable>(migrations: SQLMigrations, _ body: (any SQLDatabase) async throws -> T) async throws -> T {
        switch self {
        case .sqlite:
            return try await body(try ServiceDatabase.inMemory(migrations: ServiceMigrations(portable: migrations)))
        case .postgres:
            let database = try await PostgresServiceDatabase.open(
                try await TestPostgres.database(), migrations: migrations, connections: 4, logger: Logger.test("database"))
            do {
                let value = try await body(database)
                await database.close()
                return value
            } catch {
                await database.close()
                throw error
            }
        }
    }
}
