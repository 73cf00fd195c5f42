import AftercareServiceKit
import Logging

extension ServiceMain {
    /// The service's database as opened: where its data is, the file lock SQLite holds (none on
    /// PostgreSQL), and how to let it go at the end.
    struct OpenedDatabase {
        let database: any SQLDatabase
        let lock: DatabaseLock?
        /// The PostgreSQL pool to close at the end; `nil` for SQLite.
        let postgres: PostgresServiceDatabase?

        /// Releases the lock and closes the pool.
        func close() async {
            self.lock?.release()
            await self.postgres?.close()
        }
    }

    /// The service's database: PostgreSQL when `database.url` is set, else its SQLite file. A
    /// server that refuses the connection for good (TLS, the password, the database's name) stops
    /// the start as a configuration error on the setting to fix (exit status 78).
    static func openDatabase(
        _ settings: ServiceSettings, migrations: ServiceMigrations, logger: Logger
    ) async throws -> OpenedDatabase {
        guard let location = settings.databaseURL else {
            let (database, lock) = try await Self.openSQLite(settings, migrations: migrations)
            return OpenedDatabase(database: database, lock: lock, postgres: nil)
        }
        guard let portable = migrations.portable else {
            throw ServiceSettingsError(key: "database.url", problem: "\(settings.executableName) runs on SQLite only (database.path)")
        }
        // Several processes may share the database (several instances, several gateways): no
        // lock; each transaction is serializable.
        do {
            let database = try await PostgresServiceDatabase.open(location, migrations: portable, logger: logger)
            return OpenedDatabase(database: database, lock: nil, postgres: database)
        } catch let refusal as PostgresRefusal {
            throw ServiceSettingsError(key: refusal.setting, problem: "\(location): \(refusal.message)")
        }
    }

    /// The service's SQLite file, held by this process alone (``DatabaseLock``; shared with the
    /// other instances under `database.shared`), opened, migrated and shown writable by a probe
    /// write — so a read-only file, a read-only file system or a full disk stops the start (exit
    /// status 78) rather than failing every write later.
    /// - Returns: the database and the lock to release at the end.
    /// - Throws: a ``ServiceSettingsError`` on `database.path` naming the file and the cause.
    private static func openSQLite(_ settings: ServiceSettings, migrations: ServiceMigrations) async throws -> (ServiceDatabase, DatabaseLock) {
        let path = settings.databasePath
        let lock = try DatabaseLock.acquire(databasePath: path, shared: settings.databaseShared)
        let database: ServiceDatabase
        do {
            database = try ServiceDatabase.open(path: path, migrations: migrations)
        } catch {
            throw ServiceSettingsError(key: "database.path", problem: "cannot open \(path): \(StorageFault(error, path: path) ?? error)")
        }
        do {
            try await database.probeWrite()
        } catch {
            throw ServiceSettingsError(key: "database.path", problem: "cannot write \(path): \(error)")
        }
        return (database, lock)
    }
}
