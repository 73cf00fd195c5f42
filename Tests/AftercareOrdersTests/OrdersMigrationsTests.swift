import AftercareOrders
import AftercareServiceKit
import AftercareTesting
import Foundation
import Testing

/// Orders' migrations, registered once, on both drivers of the database layer: every table takes a
/// row of every column on SQLite and on PostgreSQL.
@Suite("Orders migrations")
struct OrdersMigrationsTests {
    @Test("every table of orders is created and takes a row, alike on both drivers", arguments: TestSQLDriver.allCases)
    func everyTable(driver: TestSQLDriver) async throws {
        try await driver.withDatabase(migrations: .orders) { database in
            let inserted = try await database.transaction { db in
                [
                    try db.execute(
                        """
                        INSERT INTO orders (order_id, buyer_id, seller_id, status, currency, shipping_fee_minor, total_minor, paid_minor,
                            refunded_minor, payment_id, promised_delivery_at, paid_at, shipped_at, delivered_at, completed_at, cancelled_at,
                            cancel_reason, created_at, updated_at, auto_complete_at)
                        VALUES ('ord_1', 'buyer_1', 'seller_1', 'paid', 'CNY', 500, 10500, 10500, 0, 'pay_1', 9, 2, 0, 0, 0, 0, '', 1, 2, 0)
                        """),
                    try db.execute(
                        """
                        INSERT INTO order_lines (line_id, order_id, line_no, sku, title, category, option_label, quantity, unit_price_minor,
                            refunded_quantity, returned_quantity, refunded_minor, exchanged_from_line_id, created_at, updated_at)
                        VALUES ('oln_1', 'ord_1', 1, 'sku_1', 'Shirt', 'apparel', 'M', 2, 5000, 0, 0, 0, '', 1, 1)
                        """),
                    try db.execute(
                        """
                        INSERT INTO reservations (case_id, order_id, kind, status, saga_id, currency, amount_minor, previous_amount_minor,
                            line_id, replacement_sku, replacement_option, quantity, committed_minor, closed_at, created_at, updated_at)
                        VALUES ('case_1', 'ord_1', 'amount', 'open', 'saga_1', 'CNY', 5000, NULL, '', '', '', 0, NULL, 0, 3, 3)
                        """),
                    try db.execute("INSERT INTO reservation_lines (case_id, line_id, quantity, created_at, updated_at) VALUES ('case_1', 'oln_1', 1, 3, 3)"),
                    try db.execute(
                        """
                        INSERT INTO replaced_reservations (replaced_id, case_id, order_id, saga_id, reservation, created_at, updated_at)
                        VALUES (?, 'case_1', 'ord_1', 'saga_0', ?, 3, 3)
                        """, ["rsr_1", Data([0, 1, 255])]),
                    try db.execute(
                        """
                        INSERT INTO stock (sku, quantity, created_at, updated_at, seller_id, product_id, unit_price_minor, price_currency)
                        VALUES ('sku_1', 7, 1, 1, 'seller_1', 'prd_1', 5000, 'CNY')
                        """),
                    try db.execute(
                        """
                        INSERT INTO stock_movements (movement_id, sku, delta, quantity_after, case_id, reason, created_at, updated_at)
                        VALUES ('stm_1', 'sku_1', 7, 7, '', 'set', 1, 1)
                        """),
                ]
            }
            #expect(inserted == Array(repeating: 1, count: 7))
            let archived = try await database.snapshot { db in
                try db.queryValue("SELECT reservation FROM replaced_reservations WHERE replaced_id = ?", ["rsr_1"], as: Data.self)
            }
            #expect(archived == Data([0, 1, 255]))
        }
    }

    @Test("orders-v3 gives the orders delivered before it a completion seven days after delivery, alike on both drivers", arguments: TestSQLDriver.allCases)
    func autoCompletionBackfill(driver: TestSQLDriver) async throws {
        // The migrations up to orders-v2, a delivered order, then orders-v3 and the later ones.
        var before = SQLMigrations()
        var after = SQLMigrations()
        for migration in SQLMigrations.orders.migrations {
            if ["orders-v1", "orders-v2"].contains(migration.identifier) {
                before.register(migration.identifier, migration.apply)
            } else {
                after.register(migration.identifier, migration.apply)
            }
        }
        let later = after
        try await driver.withDatabase(migrations: before) { database in
            let due: Int64? = try await database.transaction { db in
                try db.execute(
                    """
                    INSERT INTO orders (order_id, buyer_id, seller_id, status, currency, shipping_fee_minor, total_minor, paid_minor,
                        refunded_minor, payment_id, promised_delivery_at, paid_at, shipped_at, delivered_at, completed_at, cancelled_at,
                        cancel_reason, created_at, updated_at)
                    VALUES ('ord_1', 'buyer_1', 'seller_1', 'delivered', 'CNY', 0, 100, 100, 0, 'pay_1', 9, 2, 3, 1000, 0, 0, '', 1, 4)
                    """)
                for migration in later.migrations { try migration.apply(db) }
                return try db.queryValue("SELECT auto_complete_at FROM orders WHERE order_id = 'ord_1'", as: Int64.self)
            }
            let delivered: Int64 = 1_000
            #expect(due == delivered + 604_800_000_000)
        }
    }
}
