@testable import AftercareAftersales
import AftercareServiceKit
import AftercareTesting
import Testing

/// Aftersales' migrations, registered once, on both drivers: the identifiers SQLite files were
/// migrated under, and every table taking a row.
@Suite("Aftersales migrations")
struct AftersalesMigrationTests {
    @Test("the identifiers of the shipped migrations, in order (a file migrated before re-runs none of them)")
    func identifiers() {
        #expect(SQLMigrations.aftersales.migrations.map(\.identifier) == ["aftersales-v1", "aftersales-v2-open-cases", "aftersales-v3-line-locks"])
    }

    @Test("every table takes a row, and a history entry's number is unique per case, on both drivers", arguments: TestSQLDriver.allCases)
    func everyTable(driver: TestSQLDriver) async throws {
        try await driver.withDatabase(migrations: .aftersales) { database in
            let inserted = try await database.transaction { db in
                [
                    try db.execute(
                        """
                        INSERT INTO cases (case_id, kind, state, closed, version, order_id, buyer_id, seller_id, details, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                        ["cas_1", "refund_only", "requested", false, Int64(1), "ord_1", "buyer_1", "seller_1", "{}", Int64(1), Int64(2)]),
                    try db.execute("INSERT INTO case_lines (case_id, order_id, line_id) VALUES (?, ?, ?)", ["cas_1", "ord_1", "line_1"]),
                    try db.execute("INSERT INTO case_history (case_id, seq, entry, at) VALUES (?, ?, ?, ?)", ["cas_1", Int64(1), "{}", Int64(1)]),
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
                    try db.execute("INSERT INTO case_history (case_id, seq, entry, at) VALUES (?, ?, ?, ?)", ["cas_1", Int64(1), "{}", Int64(2)])
                }
            }
            #expect(duplicateHistory != nil)
        }
    }
}
