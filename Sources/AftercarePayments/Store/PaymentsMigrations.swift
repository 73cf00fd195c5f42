package import AftercareServiceKit

extension SQLMigrations {
    /// Payments' tables: payments (one live payment per order, one per idempotency key) and their
    /// refund intents (one per intent key), with the provider leases on both. Registered once, run
    /// on SQLite (``Payments/migrations``) and on PostgreSQL.
    package static let payments: SQLMigrations = {
        var migrations = SQLMigrations()
        migrations.register("payments-v1") { db in
            try db.executeScript("""
                CREATE TABLE payments (
                    payment_id TEXT PRIMARY KEY,
                    idempotency_key TEXT NOT NULL UNIQUE,
                    order_id TEXT NOT NULL,
                    buyer_id TEXT NOT NULL,
                    seller_id TEXT NOT NULL,
                    amount_minor BIGINT NOT NULL,
                    currency TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    status TEXT NOT NULL,
                    provider_reference TEXT NOT NULL,
                    failure_reason TEXT NOT NULL,
                    refund_lock BIGINT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL
                );
                CREATE INDEX payments_by_order ON payments (order_id, created_at);
                CREATE INDEX payments_by_status ON payments (status, created_at);
                CREATE TABLE refunds (
                    refund_id TEXT PRIMARY KEY,
                    intent_key TEXT NOT NULL UNIQUE,
                    payment_id TEXT NOT NULL REFERENCES payments (payment_id),
                    order_id TEXT NOT NULL,
                    buyer_id TEXT NOT NULL,
                    seller_id TEXT NOT NULL,
                    amount_minor BIGINT NOT NULL,
                    currency TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    charge_reference TEXT NOT NULL,
                    manual_reference TEXT NOT NULL,
                    status TEXT NOT NULL,
                    failure_reason TEXT NOT NULL,
                    provider_reference TEXT NOT NULL,
                    saga_id TEXT NOT NULL,
                    saga_step TEXT NOT NULL,
                    trace_id TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    settled_at BIGINT NOT NULL
                );
                CREATE INDEX refunds_by_payment ON refunds (payment_id, created_at);
                CREATE INDEX refunds_by_status ON refunds (status, created_at);
                """)
        }
        // The refund limit check sums a payment's refunds by status from the index alone.
        migrations.register("payments-v2-refund-sums") { db in
            try db.executeScript("CREATE INDEX refunds_sums ON refunds (payment_id, status, amount_minor)")
        }
        // At most one pending or captured payment per order, held by the database itself: Pay's check
        // reads before it inserts, which on PostgreSQL two transactions could do at once.
        migrations.register("payments-v3-one-live-payment") { db in
            try db.executeScript("CREATE UNIQUE INDEX payments_live_by_order ON payments (order_id) WHERE status <> 'failed'")
        }
        // The in-flight guard as a lease on the row (``ProviderLeases``): who is asking the provider
        // about a pending charge or refund, and until when. Empty owner: nobody.
        migrations.register("payments-v4-provider-leases") { db in
            try db.executeScript("""
                ALTER TABLE payments ADD COLUMN lease_owner TEXT NOT NULL DEFAULT '';
                ALTER TABLE payments ADD COLUMN lease_expires_at BIGINT NOT NULL DEFAULT 0;
                ALTER TABLE refunds ADD COLUMN lease_owner TEXT NOT NULL DEFAULT '';
                ALTER TABLE refunds ADD COLUMN lease_expires_at BIGINT NOT NULL DEFAULT 0;
                """)
        }
        return migrations
    }()
}
