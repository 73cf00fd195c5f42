import Foundation
public import GRDB

/// The GRDB driver: a GRDB `Database` inside its transaction is the layer's ``SQLConnection``, so
/// code that still writes GRDB (the services not yet on the layer) hands its `db` to a store on the
/// layer as it is. Every statement is a cached statement, prepared once per connection.
///
/// With `AFTERCARE_SQL_LOG` set, each statement run through the layer on a ``ServiceDatabase`` is
/// logged (``StatementLog``), as the PostgreSQL driver logs its own: not what GRDB runs by itself
/// (transactions, savepoints, pragmas), nor what a test reads with GRDB directly or through a
/// connection of its own to a service's file. Scripts (``executeScript(_:)``, the migrations' DDL)
/// are not logged: the schema is spelled per dialect and not compared, and each store's suite runs
/// its migrations on PostgreSQL.
extension Database: SQLConnection {
    public var dialect: SQLDialect { .sqlite }

    @discardableResult
    public func execute(_ sql: String, _ arguments: [any SQLConvertible]) throws -> Int {
        self.log(sql)
        try self.cachedStatement(sql: sql).execute(arguments: Self.arguments(arguments))
        return self.changesCount
    }

    public func query(_ sql: String, _ arguments: [any SQLConvertible]) throws -> [SQLRow] {
        self.log(sql)
        return try Row.fetchAll(try self.cachedStatement(sql: sql), arguments: Self.arguments(arguments)).map(Self.row(from:))
    }

    public func executeScript(_ sql: String) throws {
        try self.execute(sql: sql)
    }

    public func withSavepoint<T>(_ body: () throws -> T) throws -> T {
        let registered = AfterCommit.count(on: self)
        var result: T?
        do {
            try self.inSavepoint {
                result = try body()
                return .commit
            }
        } catch {
            AfterCommit.drop(after: registered, on: self)
            throw error
        }
        // The savepoint committed, so the body returned.
        return result!
    }

    public func afterCommit(_ action: @escaping @Sendable () -> Void) {
        guard !AfterCommit.add(action, on: self) else { return }
        // Not a group-committed body (a test's bare database, a migration): the transaction is
        // the write.
        self.afterNextTransaction(onCommit: { _ in action() })
    }

    /// SQLite's one writer already runs write transactions one after the other.
    public func serialize(on key: SQLLockKey) {}

    /// Records `sql` in the statement log, if there is one and this is a service database's connection.
    private func log(_ sql: String) {
        guard let log = StatementLog.shared, self.configuration.label == ServiceDatabase.label else { return }
        log.record(sql)
    }

    private static func arguments(_ values: [any SQLConvertible]) -> StatementArguments {
        StatementArguments(values.map { value -> (any DatabaseValueConvertible)? in
            switch value.sqlValue {
            case .null: DatabaseValue.null
            case .integer(let integer): integer.databaseValue
            case .real(let real): real.databaseValue
            case .text(let text): text.databaseValue
            case .bytes(let bytes): bytes.databaseValue
            case .bool(let flag): flag.databaseValue
            }
        })
    }

    private static func row(from row: Row) -> SQLRow {
        SQLRow(
            columns: Array(row.columnNames),
            values: row.databaseValues.map { value in
                switch value.storage {
                case .null: .null
                case .int64(let integer): .integer(integer)
                case .double(let real): .real(real)
                case .string(let text): .text(text)
                case .blob(let bytes): .bytes(bytes)
                }
            })
    }
}

extension SQLMigrations {
    /// Registers each migration in GRDB's `migrator`, under its identifier.
    func register(in migrator: inout DatabaseMigrator) {
        for migration in self.migrations {
            migrator.registerMigration(migration.identifier) { db in try migration.apply(db) }
        }
    }
}

extension ServiceDatabase: SQLDatabase {
    /// ``write(_:)`` through the layer: group commit, each body in its own savepoint.
    @discardableResult
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await self.write { db in try body(db) }
    }

    /// ``read(_:)`` through the layer.
    public func snapshot<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await self.read { db in try body(db) }
    }
}
