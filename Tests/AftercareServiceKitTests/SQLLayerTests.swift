import AftercareServiceKit
import AftercareTesting
import Foundation
import Logging
import Testing

/// The database layer's semantics, the same on both drivers: what a store may rely on.
@Suite("Database layer")
struct SQLLayerTests {
    static let migrations: SQLMigrations = {
        var migrations = SQLMigrations()
        migrations.register("test-v1") { db in
            try db.executeScript("""
                CREATE TABLE layer_items (
                    id TEXT PRIMARY KEY,
                    amount BIGINT NOT NULL,
                    quantity INTEGER NOT NULL,
                    payload \(db.dialect.bytes),
                    note TEXT,
                    flag INTEGER NOT NULL
                );
                CREATE INDEX layer_items_by_amount ON layer_items (amount)
                """)
        }
        return migrations
    }()

    static func insert(_ id: String, amount: Int64, note: String? = nil, in db: any SQLConnection) throws -> Int {
        try db.execute(
            "INSERT INTO layer_items (id, amount, quantity, payload, note, flag) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [id, amount, 2, Data([0, 1, 255]), note, amount > 100])
    }

    static func ids(_ database: any SQLDatabase) async throws -> [String] {
        try await database.snapshot { db in try db.queryValues("SELECT id FROM layer_items ORDER BY id", as: String.self) }
    }

    @Test("the same rows and types on both drivers: integers, text, bytes, NULL, flags; rows changed counted", arguments: TestSQLDriver.allCases)
    func sameRows(driver: TestSQLDriver) async throws {
        try await driver.withDatabase(migrations: Self.migrations) { database in
            let changes = try await database.transaction { db in
                [try Self.insert("a", amount: 150, note: "it's ? here", in: db), try Self.insert("b", amount: 7, in: db), try Self.insert("a", amount: 1, in: db)]
            }
            #expect(changes == [1, 1, 0])
            let updated = try await database.transaction { db in try db.execute("UPDATE layer_items SET quantity = quantity + ? WHERE amount < ?", [1, Int64(1_000)]) }
            #expect(updated == 2)
            let rows = try await database.snapshot { db in try db.query("SELECT id, amount, quantity, payload, note, flag FROM layer_items ORDER BY id", []) }
            #expect(rows.map(\.columns) == Array(repeating: ["id", "amount", "quantity", "payload", "note", "flag"], count: 2))
            let first = try #require(rows.first)
            #expect(try first.decode("amount", as: Int64.self) == 150)
            #expect(try first.decode("quantity", as: Int.self) == 3)
            #expect(try first.decode("payload", as: Data.self) == Data([0, 1, 255]))
            #expect(try first.decode("note", as: String?.self) == "it's ? here")
            #expect(try first.decode("flag", as: Bool.self))
            #expect(try rows[1].decode("note", as: String?.self) == nil)
            #expect(try !rows[1].decode("flag", as: Bool.self))
            #expect(throws: SQLDecodingError.self) { try rows[1].decode("note", as: String.self) }
            let literal = try await database.snapshot { db in try db.queryOne("SELECT 'a?b' AS literal, ? AS value", ["c"]) }
            #expect(literal?.values == [.text("a?b"), .text("c")])
        }
    }

    @Test("SUM, COUNT and MAX read as Int64 on both (PostgreSQL's SUM of BIGINT is NUMERIC); of no rows, NULL", arguments: TestSQLDriver.allCases)
    func aggregates(driver: TestSQLDriver) async throws {
        try await driver.withDatabase(migrations: Self.migrations) { database in
            let empty = try await database.snapshot { db in try db.queryValue("SELECT SUM(amount) FROM layer_items", as: Int64.self) }
            #expect(empty == nil)
            try await database.transaction { db in
                _ = try Self.insert("a", amount: 4_000_000_000_000, in: db)
                _ = try Self.insert("b", amount: 5, in: db)
            }
            let row = try await database.snapshot { db in
                try db.queryOne("SELECT SUM(amount) AS total, COUNT(*) AS count, MAX(amount) AS top, SUM(quantity) AS quantities FROM layer_items")
            }
            #expect(row?.values == [.integer(4_000_000_000_005), .integer(2), .integer(4_000_000_000_000), .integer(4)])
        }
    }

    @Test("a body that throws rolls back only itself: concurrent transactions commit", arguments: TestSQLDriver.allCases)
    func failedBodyRollsBackItself(driver: TestSQLDriver) async throws {
        struct Refused: Error {}
        try await driver.withDatabase(migrations: Self.migrations) { database in
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<6 {
                    group.addTask {
                        do {
                            try await database.transaction { db in
                                _ = try Self.insert("item-\(index)", amount: Int64(index), in: db)
                                if index == 3 { throw Refused() }
                            }
                            return true
                        } catch is Refused {
                            return false
                        }
                    }
                }
                var committed = 0
                for try await ok in group where ok { committed += 1 }
                #expect(committed == 5)
            }
            #expect(try await Self.ids(database) == ["item-0", "item-1", "item-2", "item-4", "item-5"])
        }
    }

    @Test("a savepoint that throws, or whose statement fails, rolls back only its own changes", arguments: TestSQLDriver.allCases)
    func savepoints(driver: TestSQLDriver) async throws {
        struct Refused: Error {}
        try await driver.withDatabase(migrations: Self.migrations) { database in
            let outcomes = try await database.transaction { db in
                _ = try Self.insert("a", amount: 1, in: db)
                var refused = false
                do {
                    try db.withSavepoint { () throws -> Void in
                        _ = try Self.insert("b", amount: 2, in: db)
                        throw Refused()
                    }
                } catch is Refused {
                    refused = true
                }
                // A statement the database refuses (a duplicate key) inside a savepoint: on
                // PostgreSQL too, the transaction goes on after it.
                let duplicate = (try? db.withSavepoint {
                    try db.execute("INSERT INTO layer_items (id, amount, quantity, flag) VALUES (?, ?, ?, ?)", ["a", Int64(9), 1, false])
                }) == nil
                let nested = try db.withSavepoint {
                    _ = try Self.insert("c", amount: 3, in: db)
                    return try db.withSavepoint { try Self.insert("d", amount: 4, in: db) }
                }
                return [refused, duplicate, nested == 1]
            }
            #expect(outcomes == [true, true, true])
            #expect(try await Self.ids(database) == ["a", "c", "d"])
        }
    }

    @Test(
        "concurrent read-then-write transactions (MAX + 1) under one lock key stay serial: dense numbers, none lost",
        arguments: TestSQLDriver.allCases)
    func serialNumbering(driver: TestSQLDriver) async throws {
        try await driver.withDatabase(migrations: Self.migrations) { database in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await database.transaction { db in
                            try db.serialize(on: SQLLockKey("layer_items"))
                            let next = (try db.queryValue("SELECT MAX(amount) FROM layer_items", as: Int64.self) ?? 0) + 1
                            _ = try Self.insert("item-\(next)", amount: next, in: db)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let amounts = try await database.snapshot { db in try db.queryValues("SELECT amount FROM layer_items ORDER BY amount", as: Int64.self) }
            #expect(amounts == Array(1...8))
        }
    }

    @Test("migrations run once: opening a migrated database again keeps its rows", arguments: TestSQLDriver.allCases)
    func migrationsIdempotent(driver: TestSQLDriver) async throws {
        switch driver {
        case .sqlite:
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let path = directory.appending("test.sqlite")
            let first = try ServiceDatabase.open(path: path, migrations: ServiceMigrations(portable: Self.migrations))
            try await first.transaction { db in _ = try Self.insert("a", amount: 1, in: db) }
            let again = try ServiceDatabase.open(path: path, migrations: ServiceMigrations(portable: Self.migrations))
            #expect(try await Self.ids(again) == ["a"])
        case .postgres:
            let location = try await TestPostgres.database()
            let first = try await PostgresServiceDatabase.open(location, migrations: Self.migrations, logger: Logger.test("database"))
            try await first.transaction { db in _ = try Self.insert("a", amount: 1, in: db) }
            await first.close()
            let again = try await PostgresServiceDatabase.open(location, migrations: Self.migrations, logger: Logger.test("database"))
            #expect(try await Self.ids(again) == ["a"])
            let recorded = try await again.snapshot { db in try db.queryValues("SELECT identifier FROM aftercare_migrations ORDER BY identifier", as: String.self) }
            #expect(recorded == ["service-kit-v1", "test-v1"])
            await again.close()
        }
    }
}
