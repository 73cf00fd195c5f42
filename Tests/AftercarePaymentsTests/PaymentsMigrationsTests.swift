import AftercarePayments
import AftercareServiceKit
import AftercareTesting
import Testing

/// Payments' migrations, registered once, on both drivers of the database layer: every table takes
/// a row of every column, and the constraints the money relies on hold, on SQLite and on PostgreSQL.
@Suite("Payments migrations")
struct PaymentsMigrationsTests {
    static func insertPayment(_ id: String, key: String, order: String, status: String, in db: any SQLConnection) throws -> Int {
        try db.execute(
            """
            INSERT INTO payments (payment_id, idempotency_key, order_id, buyer_id, seller_id, amount_minor, currency, channel, status,
                provider_reference, failure_reason, refund_lock, created_at, updated_at, lease_owner, lease_expires_at)
            VALUES (?, ?, ?, 'buyer_1', 'seller_1', 10000, 'CNY', 'alipay', ?, '', '', 0, 1, 1, '', 0)
            """, [id, key, order, status])
    }

    static func insertRefund(_ id: String, key: String, in db: any SQLConnection) throws -> Int {
        try db.execute(
            """
            INSERT INTO refunds (refund_id, intent_key, payment_id, order_id, buyer_id, seller_id, amount_minor, currency, channel, reason,
                charge_reference, manual_reference, status, failure_reason, provider_reference, saga_id, saga_step, trace_id, created_at,
                updated_at, settled_at, lease_owner, lease_expires_at)
            VALUES (?, ?, 'pay_1', 'ord_1', 'buyer_1', 'seller_1', 1000, 'CNY', 'alipay', 'damaged', 'ch_1', '', 'pending', '', '', '', '', '', 2, 2, 0, 'a', 9)
            """, [id, key])
    }

    @Test("every table of payments is created and takes a row; keys and the live payment per order are unique, alike on both drivers",
          arguments: TestSQLDriver.allCases)
    func everyTable(driver: TestSQLDriver) async throws {
        try await driver.withDatabase(migrations: .payments) { database in
            let inserted = try await database.transaction { db in
                [
                    try Self.insertPayment("pay_0", key: "pay-0", order: "ord_1", status: "failed", in: db),
                    try Self.insertPayment("pay_1", key: "pay-1", order: "ord_1", status: "captured", in: db),
                    try Self.insertRefund("rfd_1", key: "refund-1", in: db),
                ]
            }
            #expect(inserted == [1, 1, 1])
            // Each refused by a constraint: a second payment under a key, a second live payment of
            // an order, a second refund under an intent key.
            for attempt in [
                { @Sendable (db: any SQLConnection) throws in _ = try Self.insertPayment("pay_2", key: "pay-1", order: "ord_2", status: "pending", in: db) },
                { @Sendable (db: any SQLConnection) throws in _ = try Self.insertPayment("pay_3", key: "pay-3", order: "ord_1", status: "pending", in: db) },
                { @Sendable (db: any SQLConnection) throws in _ = try Self.insertRefund("rfd_2", key: "refund-1", in: db) },
            ] {
                await #expect(throws: (any Error).self) { try await database.transaction(attempt) }
            }
            let counts = try await database.snapshot { db in
                [
                    try db.queryValue("SELECT COUNT(*) FROM payments", as: Int64.self),
                    try db.queryValue("SELECT COUNT(*) FROM refunds", as: Int64.self),
                ]
            }
            #expect(counts == [2, 1])
        }
    }
}
