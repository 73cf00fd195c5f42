/// The tables every service has: its event feed, its step and idempotency ledgers, its spans.
enum SharedTables {
    /// Their migrations, on both drivers (bytes are `BLOB` on SQLite, `BYTEA` on PostgreSQL).
    static let migrations: SQLMigrations = {
        var migrations = SQLMigrations()
        migrations.register("service-kit-v1") { db in
            let bytes = db.dialect.bytes
            try db.executeScript("""
                CREATE TABLE feed_events (
                    seq BIGINT PRIMARY KEY,
                    event_id TEXT NOT NULL UNIQUE,
                    type TEXT NOT NULL,
                    occurred_at BIGINT NOT NULL,
                    body \(bytes) NOT NULL
                );
                CREATE TABLE step_ledger (
                    saga_id TEXT NOT NULL,
                    step TEXT NOT NULL,
                    direction TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    method TEXT NOT NULL,
                    status_code INTEGER NOT NULL,
                    status_message TEXT NOT NULL,
                    response \(bytes),
                    recorded_at BIGINT NOT NULL,
                    PRIMARY KEY (saga_id, step, direction)
                );
                CREATE TABLE idempotency_keys (
                    method TEXT NOT NULL,
                    idempotency_key TEXT NOT NULL,
                    request \(bytes) NOT NULL,
                    response \(bytes) NOT NULL,
                    recorded_at BIGINT NOT NULL,
                    PRIMARY KEY (method, idempotency_key)
                );
                CREATE TABLE spans (
                    trace_id TEXT NOT NULL,
                    span_id TEXT NOT NULL,
                    body \(bytes) NOT NULL,
                    start_micros BIGINT NOT NULL
                );
                CREATE INDEX spans_by_trace ON spans (trace_id, start_micros);
                CREATE INDEX spans_by_start ON spans (start_micros);
                """)
        }
        return migrations
    }()
}
