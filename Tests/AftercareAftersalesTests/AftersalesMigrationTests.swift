@testable import AftercareAftersales
import AftercareServiceKit
import AftercareTesting
import Foundation
import Testing

/// Aftersales' migrations, registered once, on both drivers: the identifiers SQLite files were
/// migrated under, and every table taking a row.
@Suite("Aftersales migrations")
struct AftersalesMigrationTests {
    @Test("the identifiers of the shipped migrations, in order (a file migrated before re-runs none of them)")
    func identifiers() {
        #expect(SQLMigrations.aftersales.migrations.map(\.identifier) == [
                "aftersales-v1", "aftersales-v2-open-cases", "aftersales-v3-line-locks", "aftersales-v4-stored-records",
            ])
    }

    @Test("every table takes a row, and a history entry's number is unique per case, on both drivers", arguments: TestSQLDriver.allCases)
    func everyTable(driver: TestSQLDriver) async throws {
        try await driver.withDatabase(migrations: .aftersales) { database in
            let inserted = try await database.transaction { db in
                [
                    try db.execute(
                        """
                        INSERT INTO cases (case_id, kind, state, closed, version, order_id, buyer_id, seller_id, record, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                        ["cas_1", "refund_only", "requested", false, Int64(1), "ord_1", "buyer_1", "seller_1", Data(), Int64(1), Int64(2)]),
                    try db.execute("INSERT INTO case_lines (case_id, order_id, line_id) VALUES (?, ?, ?)", ["cas_1", "ord_1", "line_1"]),
                    try db.execute("INSERT INTO case_history (case_id, seq, record, at) VALUES (?, ?, ?, ?)", ["cas_1", Int64(1), Data(), Int64(1)]),
                    try db.execute(
                        "INSERT INTO case_evidence (evidence_id, case_id, party, kind, body, added_at) VALUES (?, ?, ?, ?, ?, ?)",
                        ["evd_1", "cas_1", "buyer", "photo", "{}", Int64(1)]),
                    try db.execute(
                        "INSERT INTO case_timers (case_id, timer, status, started_at, deadline, ended_at) VALUES (?, ?, ?, ?, ?, ?)",
                        ["cas_1", "T_review", "running", Int64(1), Int64(5), Int64?.none]),
                    try db.execute(
                        """
                        INSERT INTO decisions (decision_id, case_id, policy_version, policy_fingerprint, outcome, decided_at, body)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                        ["dec_1", "cas_1", "v1", "fp", "approve", Int64(1), "{}"]),
                    try db.execute(
                        "INSERT INTO policies (fingerprint, version, source, first_used_at) VALUES (?, ?, ?, ?)", ["fp", "v1", "version: v1", Int64(1)]),
                    try db.execute(
                        "INSERT INTO carrier_events (carrier_event_id, case_id, history_seq) VALUES (?, ?, ?)", ["sf-1", "cas_1", Int64(1)]),
                    try db.execute("INSERT INTO case_line_locks (order_id, line_id) VALUES (?, ?)", ["ord_1", "line_1"]),
                ]
            }
            #expect(inserted == Array(repeating: 1, count: 9))
            let open = try await database.snapshot { db in
                try db.queryValues("SELECT case_id FROM cases WHERE closed = 0 AND kind = ? AND state = ?", ["refund_only", "requested"], as: String.self)
            }
            #expect(open == ["cas_1"])
            let duplicateHistory = await #expect(throws: (any Error).self) {
                try await database.transaction { db in
                    try db.execute("INSERT INTO case_history (case_id, seq, record, at) VALUES (?, ?, ?, ?)", ["cas_1", Int64(1), Data(), Int64(2)])
                }
            }
            #expect(duplicateHistory != nil)
        }
    }

    /// Aftersales' migrations up to `aftersales-v3-line-locks`, and the later ones.
    private static func split() -> (before: SQLMigrations, after: SQLMigrations) {
        var before = SQLMigrations()
        var after = SQLMigrations()
        for migration in SQLMigrations.aftersales.migrations {
            if ["aftersales-v1", "aftersales-v2-open-cases", "aftersales-v3-line-locks"].contains(migration.identifier) {
                before.register(migration.identifier, migration.apply)
            } else {
                after.register(migration.identifier, migration.apply)
            }
        }
        return (before, after)
    }

    /// The JSON text aftersales stored before `aftersales-v4-stored-records`.
    private static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test("aftersales-v4 turns every case and history entry stored as JSON into its record, every field kept, on both drivers",
          arguments: TestSQLDriver.allCases)
    func jsonToRecords(driver: TestSQLDriver) async throws {
        let (before, later) = Self.split()
        let full = StoreFixtures.everyField()
        let plain = StoreFixtures.caseRecord("cas_plain")
        let entries = [StoreFixtures.everyFieldEntry(), StoreFixtures.entry(1, "opened")]
        try await driver.withDatabase(migrations: before) { database in
            let (cases, history, columns) = try await database.transaction { db in
                // More rows than a page of the conversion, so it pages.
                let extra = StoredRecordsMigration.pageSize + 1
                for record in [full, plain] + (0..<extra).map({ StoreFixtures.caseRecord("cas_x\($0)") }) {
                    try db.execute(
                        """
                        INSERT INTO cases (case_id, kind, state, closed, version, order_id, buyer_id, seller_id, details, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                        [
                            record.caseID, record.kind.rawValue, record.state.rawValue, record.isClosed, record.version, record.orderID,
                            record.buyerID, record.sellerID, try Self.json(record), record.createdAtMicros, record.updatedAtMicros,
                        ])
                }
                for (caseID, entry) in [(full.caseID, entries[0]), (full.caseID, entries[1])] + (0..<extra).map({ ("cas_x\($0)", StoreFixtures.entry(1)) }) {
                    try db.execute(
                        "INSERT INTO case_history (case_id, seq, entry, at) VALUES (?, ?, ?, ?)", [caseID, entry.seq, try Self.json(entry), entry.atMicros])
                }
                for migration in later.migrations { try migration.apply(db) }
                let store = AftersalesStore()
                return (
                    try [full.caseID, plain.caseID, "cas_x\(extra - 1)"].map { try store.caseRecord($0, in: db) },
                    try store.history(full.caseID, in: db),
                    try db.query("SELECT * FROM cases WHERE case_id = ?", [full.caseID]).first?.columns ?? []
                )
            }
            #expect(cases == [full, plain, StoreFixtures.caseRecord("cas_x\(StoredRecordsMigration.pageSize)")])
            #expect(history == entries.sorted { $0.seq < $1.seq })
            #expect(!columns.contains("details"))
            #expect(columns.contains("record"))
        }
    }

    @Test("aftersales-v4 stops at a case whose JSON does not read, naming it, and changes nothing, on both drivers", arguments: TestSQLDriver.allCases)
    func unreadableJSON(driver: TestSQLDriver) async throws {
        let (before, later) = Self.split()
        try await driver.withDatabase(migrations: before) { database in
            try await database.transaction { db in
                try db.execute(
                    """
                    INSERT INTO cases (case_id, kind, state, closed, version, order_id, buyer_id, seller_id, details, created_at, updated_at)
                    VALUES ('cas_bad', 'refund_only', 'REQUESTED', 0, 1, 'ord_1', 'buyer_1', 'seller_1', '{"caseID": 1', 1, 1)
                    """)
            }
            let failure = await #expect(throws: (any Error).self) {
                try await database.transaction { db in
                    for migration in later.migrations { try migration.apply(db) }
                }
            }
            #expect("\(failure.map { $0 } as Any)".contains("case cas_bad"))
            let details = try await database.snapshot { db in
                try db.queryValue("SELECT details FROM cases WHERE case_id = 'cas_bad'", as: String.self)
            }
            #expect(details == #"{"caseID": 1"#)
        }
    }
}
