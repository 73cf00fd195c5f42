import AftercareServiceKit
import AftercareTesting
import GRDB
import Logging

extension GatewayWorld {
    /// Runs `sql` on the database of `service` (`orders`, `payments`, `gateway`, …), behind its
    /// back: on SQLite its file (WAL: a running service sees the change at its next read; waiting
    /// up to 10 s for the service's own writes to let go of the file), on PostgreSQL its database,
    /// in a serializable transaction of the database layer's. Answers how many rows it changed.
    @discardableResult
    func writeDatabase(_ service: String, _ sql: String, _ arguments: [any SQLConvertible] = []) async throws -> Int {
        try await self.onDatabase(of: service, write: true) { db in try db.execute(sql, arguments) }
    }

    /// The first column of the first row `sql` answers on the database of `service`.
    func readDatabase(_ service: String, _ sql: String) async throws -> Int64? {
        try await self.rows(service, sql).first.flatMap { try $0.decode(at: 0) as Int64? }
    }

    /// Every row `sql` answers on the database of `service`, read the same on SQLite and PostgreSQL
    /// (integers, `SUM`s and `COUNT`s included, are `Int64`).
    func rows(_ service: String, _ sql: String) async throws -> [SQLRow] {
        try await self.onDatabase(of: service, write: false) { db in try db.query(sql, []) }
    }

    /// Runs `body` in one read-only transaction on the database of `service`.
    func reading<T: Sendable>(_ service: String, _ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await self.onDatabase(of: service, write: false, body)
    }

    /// Runs `body` in one write transaction on the database of `service`, behind its back.
    func writing<T: Sendable>(_ service: String, _ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await self.onDatabase(of: service, write: true, body)
    }

    /// Every row `sql` answers on the simulated providers' own books, `payments-provider.sqlite` in
    /// the world's directory (a SQLite file on PostgreSQL too, shared by every payments instance).
    func providerRows(_ sql: String) throws -> [SQLRow] {
        try Self.queue(self.directory.appending("payments-provider.sqlite")).read { db in try db.query(sql, []) }
    }

    /// Runs `body` in one transaction (read-only unless `write`) on the database of `service`: its
    /// PostgreSQL database through a pool of one connection opened for it, or its SQLite file.
    private func onDatabase<T: Sendable>(
        of service: String, write: Bool, _ body: @escaping @Sendable (any SQLConnection) throws -> T
    ) async throws -> T {
        guard let location = self.layout.databases[service] else {
            let queue = try Self.queue(self.directory.appending("\(service).sqlite"))
            return write ? try await queue.write { db in try body(db) } : try await queue.read { db in try body(db) }
        }
        // Migrated already by the service: opening runs no migration of its own.
        let database = try await PostgresServiceDatabase.open(
            location, migrations: SQLMigrations(), connections: 1, logger: Logger.test("database.\(service)"))
        do {
            let value = write ? try await database.transaction(body) : try await database.snapshot(body)
            await database.close()
            return value
        } catch {
            await database.close()
            throw error
        }
    }

    /// The file at `path`, opened beside its service (waiting up to 10 s for the service's writes).
    private static func queue(_ path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        return try DatabaseQueue(path: path, configuration: configuration)
    }
}
