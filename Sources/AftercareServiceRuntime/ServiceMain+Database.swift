import AftercareServiceKit

extension ServiceMain {
    /// The service's database, held by this process alone (``DatabaseLock``; shared with the other
    /// instances under `database.shared`), opened, migrated and
    /// shown writable by a probe write — so a read-only file, a read-only file system or a full disk
    /// stops the start (exit status 78) rather than failing every write later.
    /// - Returns: the database and the lock to release at the end.
    /// - Throws: a ``ServiceSettingsError`` on `database.path` naming the file and the cause.
    static func openDatabase(_ settings: ServiceSettings, migrations: ServiceMigrations) async throws -> (ServiceDatabase, DatabaseLock) {
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
