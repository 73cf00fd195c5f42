import AftercareRPC
import AftercareServiceKit
import AftercareWire
import Foundation
import GRDB
import Logging

/// A service database in memory with one table of its own, `counters`, which the tests' writes
/// change, and the kit's pieces over it.
struct KitFixture: Sendable {
    let database: ServiceDatabase
    let clock: ServiceClock
    let ledger: MutationLedger
    let feed: EventFeed

    static let migrations = ServiceMigrations(portable: Self.portable)

    /// The fixture's table on the database layer, for both drivers.
    static let portable: SQLMigrations = {
        var migrations = SQLMigrations()
        migrations.register("test-v1") { db in
            try db.execute("CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL)")
        }
        return migrations
    }()

    init() throws {
        self.database = try ServiceDatabase.inMemory(migrations: Self.migrations)
        self.clock = ServiceClock(testMode: true, fixedStart: Date(timeIntervalSince1970: 1_790_000_000))
        self.ledger = MutationLedger(database: self.database, clock: self.clock)
        self.feed = EventFeed(source: "test", database: self.database, clock: self.clock)
    }

    /// Adds `amount` to counter `name` and answers the new value, as money.
    static func add(_ amount: Int64, to name: String, in db: any SQLConnection) throws -> Aftercare_Common_V1_Money {
        try db.execute(
            "INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = counters.value + excluded.value",
            [name, amount])
        return Aftercare_Common_V1_Money(try db.queryValue("SELECT value FROM counters WHERE name = ?", [name], as: Int64.self) ?? 0, "CNY")
    }

    func counter(_ name: String) async throws -> Int64? {
        try await self.database.read { db in try Int64.fetchOne(db, sql: "SELECT value FROM counters WHERE name = ?", arguments: [name]) }
    }

    func ledgerRows() async throws -> Int {
        try await self.database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM step_ledger") ?? 0 }
    }

    /// A server context for a call of `method`, in saga step `saga` or with `key`.
    static func context(_ method: String = "test.v1.Counters/Add", saga: SagaContext? = nil, key: String? = nil) -> ServerContext {
        ServerContext(
            method: method, deadline: .now + .seconds(30), saga: saga, idempotencyKey: key ?? saga?.defaultIdempotencyKey,
            logger: Logger(label: "test"))
    }
}
