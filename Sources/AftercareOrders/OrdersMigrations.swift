public import AftercareServiceKit

/// The orders service's tables, for its SQLite database (``AftercareServiceKit/SQLMigrations/orders``).
public enum OrdersMigrations {
    /// Every migration of the orders service, in order.
    public static let all = ServiceMigrations(portable: .orders)
}

extension SQLMigrations {
    /// The orders service's tables: orders and their lines, case reservations (and the ones they
    /// replaced), stock and its movements. Explicit primary keys, BIGINT money in minor units, times
    /// in unix microseconds by the service clock, 0 for "not yet". Registered once, run on SQLite and
    /// on PostgreSQL.
    package static let orders: SQLMigrations = {
        var migrations = SQLMigrations()
        migrations.register("orders-v1") { db in
            try db.executeScript("""
                CREATE TABLE orders (
                    order_id TEXT PRIMARY KEY,
                    buyer_id TEXT NOT NULL,
                    seller_id TEXT NOT NULL,
                    status TEXT NOT NULL,
                    currency TEXT NOT NULL,
                    shipping_fee_minor BIGINT NOT NULL,
                    total_minor BIGINT NOT NULL,
                    paid_minor BIGINT NOT NULL,
                    refunded_minor BIGINT NOT NULL,
                    payment_id TEXT NOT NULL,
                    promised_delivery_at BIGINT NOT NULL,
                    paid_at BIGINT NOT NULL,
                    shipped_at BIGINT NOT NULL,
                    delivered_at BIGINT NOT NULL,
                    completed_at BIGINT NOT NULL,
                    cancelled_at BIGINT NOT NULL,
                    cancel_reason TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL
                );
                CREATE INDEX orders_by_buyer ON orders (buyer_id, order_id);
                CREATE INDEX orders_by_seller ON orders (seller_id, order_id);
                CREATE INDEX orders_by_created ON orders (created_at);
                CREATE INDEX orders_by_paid ON orders (paid_at);
                CREATE TABLE order_lines (
                    line_id TEXT PRIMARY KEY,
                    order_id TEXT NOT NULL REFERENCES orders (order_id),
                    line_no INTEGER NOT NULL,
                    sku TEXT NOT NULL,
                    title TEXT NOT NULL,
                    category TEXT NOT NULL,
                    option_label TEXT NOT NULL,
                    quantity BIGINT NOT NULL,
                    unit_price_minor BIGINT NOT NULL,
                    refunded_quantity BIGINT NOT NULL,
                    returned_quantity BIGINT NOT NULL,
                    refunded_minor BIGINT NOT NULL,
                    exchanged_from_line_id TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL
                );
                CREATE INDEX order_lines_by_order ON order_lines (order_id, line_no);
                CREATE TABLE reservations (
                    case_id TEXT PRIMARY KEY,
                    order_id TEXT NOT NULL REFERENCES orders (order_id),
                    kind TEXT NOT NULL,
                    status TEXT NOT NULL,
                    saga_id TEXT NOT NULL,
                    currency TEXT NOT NULL,
                    amount_minor BIGINT NOT NULL,
                    previous_amount_minor BIGINT,
                    line_id TEXT NOT NULL,
                    replacement_sku TEXT NOT NULL,
                    replacement_option TEXT NOT NULL,
                    quantity BIGINT NOT NULL,
                    committed_minor BIGINT,
                    closed_at BIGINT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL
                );
                CREATE INDEX reservations_by_order ON reservations (order_id, status);
                CREATE INDEX reservations_by_closed ON reservations (status, closed_at);
                CREATE TABLE reservation_lines (
                    case_id TEXT NOT NULL REFERENCES reservations (case_id),
                    line_id TEXT NOT NULL,
                    quantity BIGINT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    PRIMARY KEY (case_id, line_id)
                );
                CREATE TABLE stock (
                    sku TEXT PRIMARY KEY,
                    quantity BIGINT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL
                );
                CREATE TABLE stock_movements (
                    movement_id TEXT PRIMARY KEY,
                    sku TEXT NOT NULL,
                    delta BIGINT NOT NULL,
                    quantity_after BIGINT NOT NULL,
                    case_id TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL
                );
                CREATE INDEX stock_movements_by_sku ON stock_movements (sku, created_at);
                """)
        }
        migrations.register("orders-v2") { db in
            // The released reservations a new saga's reservation replaced: the whole record, lines
            // included, as the Reservation message, so a case's history survives in the database.
            try db.executeScript("""
                CREATE TABLE replaced_reservations (
                    replaced_id TEXT PRIMARY KEY,
                    case_id TEXT NOT NULL,
                    order_id TEXT NOT NULL REFERENCES orders (order_id),
                    saga_id TEXT NOT NULL,
                    reservation \(db.dialect.bytes) NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL
                );
                CREATE INDEX replaced_reservations_by_case ON replaced_reservations (case_id, replaced_id);
                """)
        }
        migrations.register("orders-v3") { db in
            // When a delivered order completes by itself; orders delivered before this column get
            // the default seven days after their delivery.
            try db.executeScript("""
                ALTER TABLE orders ADD COLUMN auto_complete_at BIGINT NOT NULL DEFAULT 0;
                UPDATE orders SET auto_complete_at = delivered_at + 604800000000 WHERE status = 'delivered';
                CREATE INDEX orders_by_auto_complete ON orders (status, auto_complete_at);
                """)
        }
        migrations.register("orders-v4") { db in
            // The catalogue on the stock rows: the seller a SKU belongs to (the first who set its
            // stock), the product it is a variant of and its unit price.
            try db.executeScript("""
                ALTER TABLE stock ADD COLUMN seller_id TEXT NOT NULL DEFAULT '';
                ALTER TABLE stock ADD COLUMN product_id TEXT NOT NULL DEFAULT '';
                ALTER TABLE stock ADD COLUMN unit_price_minor BIGINT NOT NULL DEFAULT 0;
                ALTER TABLE stock ADD COLUMN price_currency TEXT NOT NULL DEFAULT '';
                """)
        }
        migrations.register("orders-v5-party-totals") { db in
            // A buyer's or seller's totals (every Apply reads the buyer's) searched the window's
            // committed refunds of every party, and each of the party's orders ever made: now only
            // the party's orders in the window, and their own reservations.
            try db.executeScript("""
                CREATE INDEX orders_by_buyer_created ON orders (buyer_id, created_at);
                CREATE INDEX orders_by_buyer_paid ON orders (buyer_id, paid_at);
                CREATE INDEX orders_by_seller_created ON orders (seller_id, created_at);
                CREATE INDEX orders_by_seller_paid ON orders (seller_id, paid_at);
                DROP INDEX reservations_by_order;
                CREATE INDEX reservations_by_order ON reservations (order_id, status, closed_at);
                """)
        }
        return migrations
    }()
}
